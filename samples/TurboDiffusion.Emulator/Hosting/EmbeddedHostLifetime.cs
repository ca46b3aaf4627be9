using Microsoft.Extensions.Hosting;

namespace TurboDiffusion.Emulator;

/// <summary>
/// The lifetime of the emulator's inner apps (the storage origin, and the whole emulator when
/// embedded): no Ctrl+C or SIGTERM handling and no "Press Ctrl+C" banner. The process that embeds
/// them owns the console and stops them by disposing.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
