using System.Buffers.Binary;

namespace I2VStudio.Components.Imaging;

/// <summary>
/// Judges an image by its first bytes, never by its name or MIME type: JPEG and PNG only, dimensions from the
/// header (PNG IHDR, JPEG SOFn), within <see cref="ImageLimits"/>. Pure and synchronous so it runs in .NET on the
/// head the browser sends, and in tests without a browser.
/// </summary>
public static class ImageInspector
{
    /// <summary>How many leading bytes the inspector needs at most (EXIF/APPn segments may precede a JPEG's SOF).</summary>
    public const int HeadLength = 256 * 1024;

    /// <summary>The MIME type of PNG.</summary>
    public const string Png = "image/png";

    /// <summary>The MIME type of JPEG.</summary>
    public const string Jpeg = "image/jpeg";

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Inspects an image.</summary>
    /// <param name="head">The file's first bytes (up to <see cref="HeadLength"/>; may be empty when the size alone decides).</param>
    /// <param name="size">The whole file's size in bytes.</param>
    /// <param name="limits">The limits in force.</param>
    public static ImageInspection Inspect(ReadOnlySpan<byte> head, long size, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (size <= 0) return Fail(ImageProblemKind.Empty);
        // The size is known before any byte is read, so an oversized file is refused without reading it.
        if (size > limits.MaxBytes) return Fail(ImageProblemKind.TooLarge);

        string? type;
        (int Width, int Height)? dims;
        if (head.StartsWith(PngSignature))
        {
            type = Png;
            dims = ReadPng(head);
        }
        else if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            type = Jpeg;
            dims = ReadJpeg(head);
        }
        else
        {
            return Fail(ImageProblemKind.NotImage);
        }

        if (dims is not { } d) return new ImageInspection(type, null, null, ImageProblemKind.Unreadable);
        var problem = (long)d.Width * d.Height > limits.MaxPixels ? ImageProblemKind.TooManyPixels : (ImageProblemKind?)null;
        return new ImageInspection(type, d.Width, d.Height, problem);
    }

    private static ImageInspection Fail(ImageProblemKind kind) => new(null, null, null, kind);

    // PNG: signature (8), then the first chunk must be IHDR: length (4) "IHDR" (4) width (4) height (4), big-endian.
    private static (int, int)? ReadPng(ReadOnlySpan<byte> head)
    {
        if (head.Length < 24 || !head.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        var width = BinaryPrimitives.ReadUInt32BigEndian(head.Slice(16, 4));
        var height = BinaryPrimitives.ReadUInt32BigEndian(head.Slice(20, 4));
        // The PNG spec caps both at 2^31-1; zero is invalid.
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue) return null;
        return ((int)width, (int)height);
    }

    // JPEG: SOI, then segments "FF marker [length(2) payload]" until a start-of-frame (SOF0..SOF15 except DHT C4,
    // JPG C8, DAC CC) gives precision (1), height (2), width (2). APPn (EXIF, ICC) and other segments are skipped by length.
    private static (int, int)? ReadJpeg(ReadOnlySpan<byte> head)
    {
        var i = 2;
        while (i < head.Length)
        {
            if (head[i] != 0xFF) return null;
            // Any number of 0xFF fill bytes may precede a marker.
            while (i < head.Length && head[i] == 0xFF) i++;
            if (i >= head.Length) return null;
            var marker = head[i++];

            // Stand-alone markers carry no length.
            if (marker is 0x01 or (>= 0xD0 and <= 0xD8)) continue;
            // End of image or start of scan before any frame header: no dimensions to be had.
            if (marker is 0xD9 or 0xDA) return null;

            if (i + 2 > head.Length) return null;
            int length = BinaryPrimitives.ReadUInt16BigEndian(head.Slice(i, 2));
            if (length < 2) return null;

            var isSof = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isSof)
            {
                if (length < 7 || i + 7 > head.Length) return null;
                int height = BinaryPrimitives.ReadUInt16BigEndian(head.Slice(i + 3, 2));
                int width = BinaryPrimitives.ReadUInt16BigEndian(head.Slice(i + 5, 2));
                // A zero height means "defined later by DNL", which a browser-side check cannot rely on.
                if (width == 0 || height == 0) return null;
                return (width, height);
            }

            i += length;
        }

        return null;
    }
}
