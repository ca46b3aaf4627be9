using System.IO.Compression;
using System.Text;
using I2VStudio.Testing;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>Image files made in the test: real PNGs from the shared minimal encoder, and the bad files the studio must refuse.</summary>
internal static class TestImages
{
    /// <summary>A decodable RGB PNG with a diagonal gradient (varied enough for a visible video).</summary>
    public static byte[] Png(int width, int height) => Pngs.Gradient(width, height);

    /// <summary>A decodable PNG of random pixels: it barely compresses, so its size follows its pixel count.</summary>
    public static byte[] NoisePng(int width, int height)
    {
        var random = new Random(42);
        return Pngs.Encode(width, height, CompressionLevel.Fastest, (_, _) => ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
    }

    /// <summary>Only a PNG signature and an IHDR that claims <paramref name="width"/> × <paramref name="height"/>: no pixels.</summary>
    public static byte[] PngHeaderOnly(int width, int height) => Pngs.HeaderOnly(width, height);

    /// <summary>A 1 × 1 GIF89a.</summary>
    public static byte[] Gif() =>
    [
        .. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00,
        0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ];

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
}
