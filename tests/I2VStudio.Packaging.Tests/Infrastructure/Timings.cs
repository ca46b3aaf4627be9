using System.Globalization;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>Durations worth knowing (pack, consumer build), in the test output and in test-artifacts/packaging/timings.txt.</summary>
internal static class Timings
{
    private static readonly Lock Gate = new();

    public static void Record(string what, TimeSpan duration)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:O} {what}: {duration.TotalSeconds:0.0} s");
        Xunit.TestContext.Current.TestOutputHelper?.WriteLine(line);
        lock (Gate) File.AppendAllLines(Repository.ArtifactPath("timings.txt"), [line]);
    }
}
