namespace TurboDiffusion.Emulator;

/// <summary>Finds ffmpeg and ffprobe: the configured path, else PATH, as a shell would.</summary>
internal static class FfmpegLocator
{
    public const string InstallHint =
        "ffmpeg is not installed, so the emulator's video engine cannot render. "
        + "Install it with: apt-get install -y ffmpeg (or run ./run.sh, which installs it), then submit the job again.";

    /// <summary>The ffmpeg and ffprobe executables, or nulls when either is missing.</summary>
    public static (string? FFmpeg, string? FFprobe) Locate(string? configuredFfmpeg)
    {
        var ffmpeg = configuredFfmpeg is { Length: > 0 }
            ? (File.Exists(configuredFfmpeg) ? Path.GetFullPath(configuredFfmpeg) : null)
            : FindOnPath("ffmpeg");
        if (ffmpeg is null)
        {
            return (null, null);
        }

        var besideFfmpeg = Path.Combine(Path.GetDirectoryName(ffmpeg)!, ExecutableName("ffprobe"));
        var ffprobe = File.Exists(besideFfmpeg) ? besideFfmpeg : FindOnPath("ffprobe");
        return ffprobe is null ? (null, null) : (ffmpeg, ffprobe);
    }

    private static string? FindOnPath(string tool)
    {
        var name = ExecutableName(tool);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    private static string ExecutableName(string tool) => OperatingSystem.IsWindows() ? tool + ".exe" : tool;
}
