using System.ComponentModel.DataAnnotations;

namespace I2VStudio.Components.Imaging;

/// <summary>What the studio accepts as an input image. Bound from <c>I2VStudio:Images</c> and validated on start.</summary>
public sealed class ImageLimits
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "I2VStudio:Images";

    /// <summary>Largest file accepted, in bytes. Default 20 MB (20 × 1024 × 1024).</summary>
    [Range(1, long.MaxValue, ErrorMessage = "I2VStudio:Images:MaxBytes must be a positive number of bytes.")]
    public long MaxBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Largest image accepted, in megapixels (width × height ÷ 1,000,000). Default 40.</summary>
    [Range(0.01, 10_000, ErrorMessage = "I2VStudio:Images:MaxMegapixels must be between 0.01 and 10000.")]
    public double MaxMegapixels { get; set; } = 40;

    /// <summary>The largest number of pixels accepted.</summary>
    public long MaxPixels => (long)(MaxMegapixels * 1_000_000);
}
