using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// The default engine, an honest CPU stand-in for Wan2.2-I2V: ffmpeg turns the uploaded image into
/// an H.264 MP4 (yuv420p, faststart) at 720p-class size and the image's aspect ratio, with a slow
/// camera move chosen by the seed. It is named as a stand-in everywhere it shows.
/// </summary>
public sealed partial class FfmpegVideoEngine : IVideoEngine
{
    /// <summary>Wan2.2 720p renders about 1280×720 pixels whatever the aspect ratio; so does this engine.</summary>
    private const double TargetArea = 1280 * 720;
    private const int MaxSide = 2560;
    private const int MaxErrorLines = 4;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(5);

    private readonly string? ffmpeg;
    private readonly string? ffprobe;

    /// <summary>Locates ffmpeg from <see cref="EmulatorOptions.FFmpegPath"/> or PATH.</summary>
    public FfmpegVideoEngine(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (ffmpeg, ffprobe) = FfmpegLocator.Locate(options.Value.FFmpegPath);
    }

    /// <inheritdoc />
    public VideoEngineInfo Describe() => new(
        "ffmpeg-kenburns",
        StandIn: true,
        "CPU stand-in: renders the uploaded image with a slow camera move; not the diffusion model",
        Available: ffmpeg is not null,
        Problem: ffmpeg is null ? FfmpegLocator.InstallHint : null);

    /// <inheritdoc />
    public async Task RenderAsync(VideoRenderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ffmpeg is null || ffprobe is null)
        {
            throw new VideoRenderException(FfmpegLocator.InstallHint);
        }

        var (width, height) = await ProbeAsync(request, cancellationToken);
        var (outWidth, outHeight) = OutputSize(width, height);
        var move = CameraMove.FromSeed(request.Seed);
        var filter = string.Create(
            CultureInfo.InvariantCulture,
            $"scale={outWidth * 2}:{outHeight * 2}:flags=bicubic,setsar=1,{move.ZoompanFilter(request.FrameCount, outWidth, outHeight, request.Fps)},format=yuv420p");

        string[] arguments =
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-i", request.ImagePath,
            "-vf", filter,
            "-frames:v", request.FrameCount.ToString(CultureInfo.InvariantCulture),
            "-r", request.Fps.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-movflags", "+faststart", "-an",
            "-metadata", "comment=TurboDiffusion emulator stand-in (ffmpeg-kenburns, " + move.Kind + "), not the diffusion model",
            "-f", "mp4", request.OutputPath,
        ];
        var output = await RunAsync(ffmpeg, arguments, RenderTimeout, cancellationToken);
        if (output.ExitCode != 0 || !File.Exists(request.OutputPath) || new FileInfo(request.OutputPath).Length == 0)
        {
            throw new VideoRenderException("ffmpeg could not render the video: " + Tidy(output.StandardError, request, "no output was written"));
        }
    }

    /// <summary>Output size: ~1280×720 pixels at the input's aspect ratio, even sides (yuv420p needs them).</summary>
    internal static (int Width, int Height) OutputSize(int width, int height)
    {
        var aspect = (double)width / height;
        var w = Math.Sqrt(TargetArea * aspect);
        var h = Math.Sqrt(TargetArea / aspect);
        var shrink = Math.Min(1.0, MaxSide / Math.Max(w, h));
        return (Even(w * shrink), Even(h * shrink));

        static int Even(double value) => Math.Max(2, 2 * (int)Math.Round(value / 2, MidpointRounding.AwayFromZero));
    }

    /// <summary>
    /// Decodes the first frame to learn the size. The API accepts any bytes, so this is where a text
    /// file or a truncated image fails the job, with the decoder's own words (strict, as PIL is).
    /// </summary>
    private async Task<(int Width, int Height)> ProbeAsync(VideoRenderRequest request, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=width,height", "-of", "csv=p=0",
            "-read_intervals", "%+#1", request.ImagePath,
        ];
        var output = await RunAsync(ffprobe!, arguments, ProbeTimeout, cancellationToken);
        var size = SizeLine().Match(output.StandardOutput);
        if (output.ExitCode != 0 || !size.Success || output.StandardError.Trim().Length > 0)
        {
            throw new VideoRenderException(
                $"Could not decode the input image '{request.InputName}': " + Tidy(output.StandardError, request, "no image frame found"));
        }

        return (int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static async Task<ProcessOutput> RunAsync(string executable, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessRunner.RunAsync(executable, arguments, timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new VideoRenderException(e.Message, e);
        }
    }

    /// <summary>The relevant decoder lines: no addresses, no scratch paths, no repeats, at most a few.</summary>
    private static string Tidy(string stderr, VideoRenderRequest request, string fallback)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => ComponentPrefix().Replace(line, "$1: "))
            .Select(line => line.Replace(request.ImagePath, request.InputName, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Take(MaxErrorLines)
            .ToList();
        return lines.Count == 0 ? fallback : string.Join('\n', lines);
    }

    [GeneratedRegex(@"^(\d+),(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SizeLine();

    [GeneratedRegex(@"^\[(\w+) @ 0x[0-9a-fA-F]+\]\s*")]
    private static partial Regex ComponentPrefix();
}
