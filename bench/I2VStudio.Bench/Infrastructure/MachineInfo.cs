using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>What the run ran on: printed first and written with every report.</summary>
public sealed class MachineInfo
{
    public int Cores { get; init; } = Environment.ProcessorCount;

    public string CpuModel { get; init; } = ReadCpuModel();

    public double MemoryGiB { get; init; } = ReadMemTotalKiB() / 1024.0 / 1024.0;

    public string Os { get; init; } = ReadOs();

    public string Runtime { get; init; } = RuntimeInformation.FrameworkDescription.Replace(".NET ", "", StringComparison.Ordinal);

    public string Sdk { get; init; } = Environment.GetEnvironmentVariable("BENCH_DOTNET_SDK") ?? "?";

    public string Chromium { get; set; } = "Chromium ?";

    public string Ffmpeg { get; init; } = FirstLine("ffmpeg", "-version");

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public string LoadAtStart { get; init; } = LoadAverage();

    public string LoadAtEnd { get; set; } = "";

    public TimeSpan Elapsed { get; set; }

    public override string ToString() =>
        $"{Cores} cores ({CpuModel}), {MemoryGiB:0.0} GiB, {Os}; .NET {Runtime} (SDK {Sdk}); {Chromium}; {Ffmpeg}; load {LoadAtStart}";

    /// <summary>The 1-, 5- and 15-minute load averages.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" ", parts.Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static double LoadAverage1()
    {
        var first = LoadAverage().Split(' ')[0];
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
    }

    private static string ReadCpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "?" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static long ReadMemTotalKiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string ReadOs()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            return line?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
    }

    private static string FirstLine(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null) return file + " ?";
            var line = process.StandardOutput.ReadLine() ?? "";
            process.WaitForExit(5000);
            var cut = line.IndexOf(" Copyright", StringComparison.Ordinal);
            return cut > 0 ? line[..cut] : line;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return file + " (not installed)";
        }
    }
}
