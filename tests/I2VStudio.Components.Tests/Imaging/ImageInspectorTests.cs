using I2VStudio.Components.Imaging;

namespace I2VStudio.Components.Tests.Imaging;

public class ImageInspectorTests
{
    private static readonly ImageLimits Limits = new();

    [Fact]
    public void Inspect_Png_ReadsTypeAndDimensions()
    {
        var head = TestImages.PngHeader(1280, 720);

        var result = ImageInspector.Inspect(head, 500_000, Limits);

        Assert.True(result.IsValid);
        Assert.Equal("image/png", result.ContentType);
        Assert.Equal(1280, result.Width);
        Assert.Equal(720, result.Height);
    }

    [Fact]
    public void Inspect_JpegWithExifBeforeFrameHeader_ReadsDimensionsFromSof0()
    {
        var head = TestImages.JpegHeader(832, 480, exifLength: 30_000);

        var result = ImageInspector.Inspect(head, 2_000_000, Limits);

        Assert.True(result.IsValid);
        Assert.Equal("image/jpeg", result.ContentType);
        Assert.Equal(832, result.Width);
        Assert.Equal(480, result.Height);
    }

    [Fact]
    public void Inspect_ProgressiveJpeg_ReadsDimensionsFromSof2()
    {
        var head = TestImages.JpegHeader(640, 360, progressive: true);

        var result = ImageInspector.Inspect(head, 100_000, Limits);

        Assert.Equal((640, 360), (result.Width, result.Height));
    }

    [Fact]
    public void Inspect_Gif_IsNotImage()
    {
        var result = ImageInspector.Inspect(TestImages.GifHeader(), 1000, Limits);

        Assert.Equal(ImageProblemKind.NotImage, result.Problem);
    }

    [Fact]
    public void Inspect_WebP_IsNotImage()
    {
        var result = ImageInspector.Inspect(TestImages.WebPHeader(), 1000, Limits);

        Assert.Equal(ImageProblemKind.NotImage, result.Problem);
    }

    [Fact]
    public void Inspect_TextFileNamedPng_IsNotImage()
    {
        // The inspector never sees the name "photo.png": only the bytes, which are text.
        var head = "This is not a picture, whatever its name says.\n"u8.ToArray();

        var result = ImageInspector.Inspect(head, head.Length, Limits);

        Assert.Equal(ImageProblemKind.NotImage, result.Problem);
    }

    [Fact]
    public void Inspect_ZeroBytes_IsEmpty()
    {
        var result = ImageInspector.Inspect([], 0, Limits);

        Assert.Equal(ImageProblemKind.Empty, result.Problem);
    }

    [Fact]
    public void Inspect_OverTheSizeCap_IsTooLargeWithoutReadingBytes()
    {
        var result = ImageInspector.Inspect([], Limits.MaxBytes + 1, Limits);

        Assert.Equal(ImageProblemKind.TooLarge, result.Problem);
    }

    [Fact]
    public void Inspect_ExactlyTheSizeCap_IsAccepted()
    {
        var result = ImageInspector.Inspect(TestImages.PngHeader(100, 100), Limits.MaxBytes, Limits);

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Inspect_ConfiguredSmallerSizeCap_IsApplied()
    {
        var limits = new ImageLimits { MaxBytes = 1000 };

        var result = ImageInspector.Inspect(TestImages.PngHeader(10, 10), 1001, limits);

        Assert.Equal(ImageProblemKind.TooLarge, result.Problem);
    }

    [Fact]
    public void Inspect_Png50000By50000_IsTooManyPixelsWithDimensions()
    {
        var result = ImageInspector.Inspect(TestImages.PngHeader(50_000, 50_000), 1_000_000, Limits);

        Assert.Equal(ImageProblemKind.TooManyPixels, result.Problem);
        Assert.Equal(50_000, result.Width);
        Assert.Equal(50_000, result.Height);
    }

    [Fact]
    public void Inspect_JpegJustOverPixelCap_IsTooManyPixels()
    {
        // 8000 × 5001 = 40,008,000 > 40 MP.
        var result = ImageInspector.Inspect(TestImages.JpegHeader(8000, 5001), 5_000_000, Limits);

        Assert.Equal(ImageProblemKind.TooManyPixels, result.Problem);
    }

    [Fact]
    public void Inspect_TruncatedPngHeader_IsUnreadable()
    {
        var head = TestImages.PngHeader(1280, 720)[..20];

        var result = ImageInspector.Inspect(head, 500_000, Limits);

        Assert.Equal(ImageProblemKind.Unreadable, result.Problem);
        Assert.Equal("image/png", result.ContentType);
    }

    [Fact]
    public void Inspect_JpegCutInsideExif_IsUnreadable()
    {
        var head = TestImages.JpegHeader(832, 480, exifLength: 5000)[..3000];

        var result = ImageInspector.Inspect(head, 2_000_000, Limits);

        Assert.Equal(ImageProblemKind.Unreadable, result.Problem);
    }

    [Fact]
    public void Inspect_PngWithZeroWidth_IsUnreadable()
    {
        var result = ImageInspector.Inspect(TestImages.PngHeader(0, 720), 500_000, Limits);

        Assert.Equal(ImageProblemKind.Unreadable, result.Problem);
    }
}
