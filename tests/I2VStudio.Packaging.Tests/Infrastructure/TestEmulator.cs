using TurboDiffusion.Emulator;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>The emulator in-process on free ports, with test timings (a job takes about two seconds, most of it ffmpeg).</summary>
/// <remarks>The emulator's default API profile (VideoGen, like the current backend): the packaged studio detects it (Auto).</remarks>
internal static class TestEmulator
{
    public static Task<RunningEmulator> StartAsync(CancellationToken cancellationToken) =>
        TurboDiffusionEmulatorServer.StartAsync(new EmulatorOptions
        {
            QueueDelay = TimeSpan.FromMilliseconds(400),
            StageDelay = TimeSpan.FromMilliseconds(100),
            StepDuration = TimeSpan.FromMilliseconds(150),
            WarmUpDelay = TimeSpan.Zero,
        }, cancellationToken);
}
