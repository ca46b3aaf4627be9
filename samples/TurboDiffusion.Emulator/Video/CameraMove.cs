using System.Globalization;

namespace TurboDiffusion.Emulator;

/// <summary>
/// A slow "Ken Burns" camera move over a still image, chosen by the seed: a push in, a pull out, or
/// a horizontal or vertical pan, each with its own framing. The same seed always gives the same move,
/// as the same seed gives the same video from the real model.
/// </summary>
internal sealed record CameraMove(string Kind, double ZoomFrom, double ZoomTo, double XFrom, double XTo, double YFrom, double YTo)
{
    public static CameraMove FromSeed(long seed)
    {
        var random = new SplitMix64(unchecked((ulong)seed));
        var kind = (int)(random.Next() % 4);
        var reverse = random.NextDouble() < 0.5;
        var fx = 0.25 + (0.5 * random.NextDouble());
        var fy = 0.25 + (0.5 * random.NextDouble());
        var (from, to) = reverse ? (0.9, 0.1) : (0.1, 0.9);
        return kind switch
        {
            0 => new CameraMove("push-in", 1.0, 1.2, fx, fx, fy, fy),
            1 => new CameraMove("pull-out", 1.2, 1.0, fx, fx, fy, fy),
            2 => new CameraMove("pan-horizontal", 1.12, 1.18, from, to, fy, fy),
            _ => new CameraMove("pan-vertical", 1.12, 1.18, fx, fx, from, to),
        };
    }

    /// <summary>
    /// The <c>zoompan</c> filter for this move: <c>x</c>/<c>y</c> are fractions of the slack
    /// (<c>iw - iw/zoom</c>), eased with smoothstep so the camera starts and stops gently.
    /// </summary>
    public string ZoompanFilter(int frames, int width, int height, int fps)
    {
        var progress = $"(on/{Math.Max(frames - 1, 1)})";
        var ease = $"({progress}*{progress}*(3-2*{progress}))";
        var zoom = Lerp(ZoomFrom, ZoomTo, ease);
        var x = $"(iw-iw/zoom)*{Lerp(XFrom, XTo, ease)}";
        var y = $"(ih-ih/zoom)*{Lerp(YFrom, YTo, ease)}";
        return string.Create(CultureInfo.InvariantCulture, $"zoompan=z='{zoom}':x='{x}':y='{y}':d={frames}:s={width}x{height}:fps={fps}");
    }

    private static string Lerp(double from, double to, string ease) =>
        string.Create(CultureInfo.InvariantCulture, $"({from:0.######}+({to - from:0.######})*{ease})");

    /// <summary>A tiny, stable generator: System.Random's sequence for a seed is not promised across .NET versions.</summary>
    private struct SplitMix64(ulong state)
    {
        public ulong Next()
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
    }
}
