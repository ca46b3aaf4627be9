namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// How long the suite waits. Generous on purpose: the machine has 2 cores, ffmpeg renders every video, and other
/// work (builds, benchmarks) may share it. A passing run never waits for these; they only bound a failure.
/// </summary>
internal static class Timeouts
{
    /// <summary>Any one action or auto-waiting assertion, in milliseconds.</summary>
    public const float Action = 30_000;

    /// <summary>A job to finish (queue, steps and the ffmpeg render), in milliseconds.</summary>
    public const float Job = 90_000;

    /// <summary><see cref="Job"/> as a span, for the emulator's event waits.</summary>
    public static readonly TimeSpan JobSpan = TimeSpan.FromMilliseconds(Job);
}
