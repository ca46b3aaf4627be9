using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// A started emulator. Dispose it to stop: workers are cancelled (and their ffmpeg killed), both
/// origins close, and a temporary data directory is deleted.
/// </summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    internal RunningEmulator(WebApplication app)
    {
        this.app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        ApiBaseUri = new Uri(address.TrimEnd('/') + "/");
        StorageBaseUri = app.Services.GetRequiredService<StorageOrigin>().BaseUri
            ?? throw new InvalidOperationException("The storage origin did not start.");
        DataDirectory = app.Services.GetRequiredService<EmulatorPaths>().DataDirectory;

        // Held here, not looked up on each use, so a test can still read the log after disposing.
        Options = app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value;
        Faults = app.Services.GetRequiredService<FaultController>();
        Counters = app.Services.GetRequiredService<RequestCounters>();
        Events = app.Services.GetRequiredService<JobEventLog>();
    }

    /// <summary>The API's base address, e.g. <c>http://127.0.0.1:41234/</c>; point the client here.</summary>
    public Uri ApiBaseUri { get; }

    /// <summary>The storage origin presigned URLs point at (another port: cross-origin, as MinIO is).</summary>
    public Uri StorageBaseUri { get; }

    /// <summary>The data directory in use (a temporary one unless configured).</summary>
    public string DataDirectory { get; }

    /// <summary>The validated options the emulator runs with.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The fault knobs, to change at run time (same as <c>PUT /_emulator/faults</c>).</summary>
    public FaultController Faults { get; }

    /// <summary>Requests per route (same as <c>GET /_emulator/counters</c>).</summary>
    public RequestCounters Counters { get; }

    /// <summary>Every status write, in order, with waits for a given status (no polling needed).</summary>
    public JobEventLog Events { get; }

    /// <summary>The emulator's services, for advanced uses (disposed with the emulator).</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>Stops the emulator and releases its ports and files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
