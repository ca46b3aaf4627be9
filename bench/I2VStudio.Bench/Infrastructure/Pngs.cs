using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>Real PNG files made in memory (a minimal encoder: RGB, filter 0, one IDAT).</summary>
public static class Pngs
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A gradient with a checker pattern: small on disk, varied enough for a visible video.</summary>
    public static byte[] Gradient(int width, int height) => Encode(width, height, CompressionLevel.Optimal, (x, y) =>
        ((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), (byte)((((x / 16) + (y / 16)) % 2 * 160) + 40)));

    /// <summary>Seeded random pixels: they do not compress, so the file is about 3 bytes per pixel.</summary>
    public static byte[] Noise(int width, int height, int seed = 42)
    {
        var random = new Random(seed);
        var row = new byte[width * 3];
        var y0 = -1;
        return Encode(width, height, CompressionLevel.NoCompression, (x, y) =>
        {
            if (y != y0)
            {
                random.NextBytes(row);
                y0 = y;
            }

            return (row[x * 3], row[(x * 3) + 1], row[(x * 3) + 2]);
        });
    }

    private static byte[] Encode(int width, int height, CompressionLevel level, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
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
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true)) zlib.Write(raw);
        using var output = new MemoryStream();
        output.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        WriteChunk(output, "IHDR", ihdr);
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        output.Write(four);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu);
        output.Write(four);
    }

    private static readonly uint[] Table = [.. Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    })];

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }
}
