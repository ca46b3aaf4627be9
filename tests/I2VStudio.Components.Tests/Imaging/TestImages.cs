using System.Buffers.Binary;

namespace I2VStudio.Components.Tests.Imaging;

/// <summary>Image headers built byte by byte, so each test shows exactly what the inspector sees.</summary>
internal static class TestImages
{
    public static byte[] PngHeader(uint width, uint height)
    {
        var bytes = new byte[33];
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 13);
        "IHDR"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8; // bit depth
        bytes[25] = 6; // RGBA
        return bytes;
    }

    /// <summary>SOI, an EXIF APP1 of <paramref name="exifLength"/> bytes, DQT, DHT, then SOF0 (or SOF2 when progressive).</summary>
    public static byte[] JpegHeader(ushort width, ushort height, int exifLength = 2000, bool progressive = false)
    {
        var list = new List<byte> { 0xFF, 0xD8 };
        Segment(list, 0xE1, [.. "Exif\0\0"u8, .. new byte[exifLength]]);
        Segment(list, 0xDB, new byte[65]);
        Segment(list, 0xC4, [0x00, 0x10, 0x20, 0x30]); // DHT: C4 is not a frame header even though it is in C0..CF
        byte[] sof = [0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
        Segment(list, progressive ? (byte)0xC2 : (byte)0xC0, sof);
        Segment(list, 0xDA, new byte[10]);
        return [.. list];
    }

    private static void Segment(List<byte> list, byte marker, byte[] payload)
    {
        var length = payload.Length + 2;
        list.AddRange([0xFF, marker, (byte)(length >> 8), (byte)length]);
        list.AddRange(payload);
    }

    public static byte[] GifHeader() => [.. "GIF89a"u8, 0x10, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00];

    public static byte[] WebPHeader() => [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8];
}
