using System.Diagnostics;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// Seconds on the monotonic clock (CLOCK_MONOTONIC on Linux, the clock of <c>perf record -k CLOCK_MONOTONIC</c>), so a
/// profile of a run can be split by the moments the bench keeps (bench/tools/perf-phases.py).
/// </summary>
internal static class Monotonic
{
    public static double Now() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>Moves epoch milliseconds (a page's <c>performance.timeOrigin + t</c>) onto the monotonic clock.</summary>
    public static Func<double, double> FromEpochMs()
    {
        var offset = Now() - (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds / 1e3;
        return epochMs => epochMs / 1e3 + offset;
    }
}
