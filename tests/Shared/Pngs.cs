using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace I2VStudio.Testing;

/// <summary>
/// Real PNG files made in memory: a minimal encoder (8-bit RGB, filter 0, one IDAT), shared as source by the E2E and
/// packaging tests, the emulator's tests and the bench. Each keeps its own pixel patterns; the bytes are what they were.
/// </summary>
internal static class Pngs
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A diagonal gradient with a checker pattern in blue: small on disk, varied enough for a visible video.</summary>
    public static byte[] Gradient(int width, int height, CompressionLevel level = CompressionLevel.Fastest) => Encode(width, height, level, (x, y) =>
        ((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), (byte)((((x / 16) + (y / 16)) % 2 * 160) + 40)));

    /// <summary>Only a PNG signature and an IHDR that claims <paramref name="width"/> × <paramref name="height"/>: no pixels.</summary>
    public static byte[] HeaderOnly(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        WriteChunk(output, "IHDR", Ihdr(width, height));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A PNG whose pixel (x, y) is <paramref name="pixel"/>(x, y), called row by row, left to right.</summary>
    public static byte[] Encode(int width, int height, CompressionLevel level, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        // Scanlines with filter type 0 (None), deflated in a zlib stream, as IDAT.
        var raw = new byte[height * (1 + (width * 3))];
        var i = 0;
        for (var y = 0; y < height; y++)
        {
            raw[i++] = 0;
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                raw[i++] = r;
                raw[i++] = g;
                raw[i++] = b;
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        using var output = new MemoryStream();
        output.Write(Signature);
        WriteChunk(output, "IHDR", Ihdr(width, height));
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] Ihdr(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: truecolour RGB
        return ihdr;
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        output.Write(four);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu);
        output.Write(four);
    }

    // CRC-32 (ISO-HDLC) as PNG chunks use it; System.IO.Hashing is a package, and this is all we need of it.
    private static readonly uint[] CrcTable = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    })];

    private static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }
}
