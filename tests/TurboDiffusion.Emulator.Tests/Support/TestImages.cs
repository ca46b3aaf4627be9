using System.IO.Compression;
using System.Text;
using I2VStudio.Testing;

namespace TurboDiffusion.Emulator.Tests.Support;

/// <summary>Test images made in memory with the shared minimal PNG encoder (RGB, 8 bit): all the tests need.</summary>
internal static class TestImages
{
    /// <summary>A colour gradient of the given size.</summary>
    public static byte[] Png(int width, int height) => Pngs.Encode(width, height, CompressionLevel.Fastest, (x, y) =>
        ((byte)(255 * x / Math.Max(1, width - 1)), (byte)(255 * y / Math.Max(1, height - 1)), (byte)((x + y) % 256)));

    /// <summary>A PNG cut off in the middle of its image data.</summary>
    public static byte[] TruncatedPng()
    {
        var whole = Png(320, 180);
        return whole[..(whole.Length / 2)];
    }

    public static byte[] Text() => Encoding.UTF8.GetBytes("This is not an image, whatever its name says.\n");
}
