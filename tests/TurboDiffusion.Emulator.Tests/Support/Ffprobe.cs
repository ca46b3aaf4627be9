using System.Diagnostics;
using System.Text.Json;

namespace TurboDiffusion.Emulator.Tests.Support;

/// <summary>What ffprobe says about a video's first stream.</summary>
internal sealed record VideoFacts(string Codec, string PixelFormat, int Width, int Height, string FrameRate, int Frames);

internal static class Ffprobe
{
    public static async Task<VideoFacts> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-v", "error", "-select_streams", "v:0", "-count_frames",
                "-show_entries", "stream=codec_name,pix_fmt,width,height,r_frame_rate,nb_read_frames", "-of", "json", path,
            },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.Equal(0, process.ExitCode);
        var stream = JsonDocument.Parse(output).RootElement.GetProperty("streams")[0];
        return new VideoFacts(
            stream.GetProperty("codec_name").GetString()!,
            stream.GetProperty("pix_fmt").GetString()!,
            stream.GetProperty("width").GetInt32(),
            stream.GetProperty("height").GetInt32(),
            stream.GetProperty("r_frame_rate").GetString()!,
            int.Parse(stream.GetProperty("nb_read_frames").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
