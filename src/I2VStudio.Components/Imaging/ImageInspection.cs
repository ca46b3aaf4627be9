namespace I2VStudio.Components.Imaging;

/// <summary>Why an image was refused.</summary>
public enum ImageProblemKind
{
    /// <summary>The file has 0 bytes.</summary>
    Empty,
    /// <summary>The file is not a JPEG or PNG (judged by its first bytes).</summary>
    NotImage,
    /// <summary>The file is larger than <see cref="ImageLimits.MaxBytes"/>.</summary>
    TooLarge,
    /// <summary>The header claims more pixels than <see cref="ImageLimits.MaxMegapixels"/>.</summary>
    TooManyPixels,
    /// <summary>A JPEG or PNG signature, but the header is truncated or malformed (no dimensions).</summary>
    Unreadable,
    /// <summary>An image to be taken from this site (e.g. an asset) could not be fetched: deleted, or the request failed.</summary>
    Unavailable,
}

/// <summary>The result of <see cref="ImageInspector.Inspect"/>: either a valid image with its type and size, or a problem.</summary>
/// <param name="ContentType"><c>image/png</c> or <c>image/jpeg</c> when recognised, else null.</param>
/// <param name="Width">Pixel width from the header, when read.</param>
/// <param name="Height">Pixel height from the header, when read.</param>
/// <param name="Problem">Why the image was refused; null when it is acceptable.</param>
public sealed record ImageInspection(string? ContentType, int? Width, int? Height, ImageProblemKind? Problem)
{
    /// <summary>True when the image is a JPEG or PNG within the limits.</summary>
    public bool IsValid => Problem is null;
}

/// <summary>A refused image, with what the user needs to read the message.</summary>
/// <param name="Kind">Why it was refused.</param>
/// <param name="FileName">The file's name as picked.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="Width">Pixel width, when the header was read.</param>
/// <param name="Height">Pixel height, when the header was read.</param>
/// <param name="Limits">The limits in force.</param>
public sealed record ImageProblem(ImageProblemKind Kind, string FileName, long Size, int? Width, int? Height, ImageLimits Limits);

/// <summary>An accepted image, stored in the browser.</summary>
/// <param name="FileName">The file's name as picked (a pasted image gets a generated name).</param>
/// <param name="ContentType">The type detected from its first bytes.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Width">Pixel width from the header.</param>
/// <param name="Height">Pixel height from the header.</param>
/// <param name="BlobKey">Key of the original in the browser's IndexedDB (see <c>BrowserBlobStore</c>).</param>
/// <param name="ThumbnailDataUrl">A JPEG thumbnail (≤ 20 KB) as a data URL.</param>
/// <param name="PreviewUrl">A blob: object URL of the original, valid while the page lives.</param>
public sealed record PickedImage(string FileName, string ContentType, long Size, int Width, int Height,
    string BlobKey, string ThumbnailDataUrl, string PreviewUrl);

/// <summary>What one pick (click, drop or paste) produced: an image or a problem.</summary>
/// <param name="Image">The accepted image; null when refused.</param>
/// <param name="Problem">Why it was refused; null when accepted.</param>
public sealed record PickedImageResult(PickedImage? Image, ImageProblem? Problem);
