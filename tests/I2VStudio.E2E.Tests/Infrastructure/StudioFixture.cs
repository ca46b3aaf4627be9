using System.Globalization;
using TurboDiffusion.Emulator;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// One emulator and one studio host pointed at it, per test class. Derive to change the emulator's options or the
/// host's settings for a class; tests reset faults and counters through <see cref="ResetAsync"/>.
/// </summary>
public class StudioFixture : IAsyncLifetime
{
    private StudioHost? _host;

    /// <summary>The host's workspace folder (SQLite file and asset bytes), fresh per fixture.</summary>
    public string WorkspaceDirectory { get; } = Path.Combine(Path.GetTempPath(), "i2v-e2e-workspace", Guid.NewGuid().ToString("N")[..12]);

    public EmulatorHandle Emulator { get; private set; } = default!;

    /// <summary>The studio's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri => _host?.BaseUri ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>The host's services (download tickets, options), for checks the browser cannot make.</summary>
    public IServiceProvider HostServices => _host?.Services ?? throw new InvalidOperationException("The host has not started.");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Emulator = await EmulatorHandle.StartAsync(ConfigureEmulator, cancellationToken);

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // Quiet: the host's Information logs (every poll) would bury a failure's output.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
            ["TurboDiffusion:BaseUrl"] = Emulator.ApiBaseUri.ToString(),
            ["TurboDiffusion:RequestTimeout"] = Span(TimeSpan.FromSeconds(5)),
            ["TurboDiffusion:RequestTotalTimeout"] = Span(TimeSpan.FromSeconds(10)),
            ["TurboDiffusion:GetRetries"] = "1",
            ["TurboDiffusion:GetRetryDelay"] = Span(TimeSpan.FromMilliseconds(100)),
            ["TurboDiffusion:SubmitTimeout"] = Span(TimeSpan.FromSeconds(30)),
            ["TurboDiffusion:Polling:RunningInterval"] = Span(TimeSpan.FromMilliseconds(150)),
            ["TurboDiffusion:Polling:QueuedInterval"] = Span(TimeSpan.FromMilliseconds(150)),
            ["TurboDiffusion:Polling:IdleInterval"] = Span(TimeSpan.FromSeconds(1)),
            ["TurboDiffusion:Polling:IdleAfter"] = Span(TimeSpan.FromMinutes(2)),
            ["TurboDiffusion:Polling:Jitter"] = "0",
            ["TurboDiffusion:Polling:BackoffInitial"] = Span(TimeSpan.FromMilliseconds(200)),
            ["TurboDiffusion:Polling:BackoffMax"] = Span(TimeSpan.FromSeconds(1)),
            ["TurboDiffusion:Polling:RetryAfterMax"] = Span(TimeSpan.FromSeconds(2)),
            ["TurboDiffusion:Polling:Deadline"] = Span(TimeSpan.FromMinutes(2)),
            ["TurboDiffusion:Polling:LostAfter"] = Span(TimeSpan.FromSeconds(30)),
            ["Workspace:DataDirectory"] = WorkspaceDirectory,
        };
        ConfigureHost(settings);
        _host = new StudioHost(settings);
        _host.Start();
    }

    /// <summary>Faults off, counters zero, the emulator running again if a test stopped it.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) => Emulator.ResetAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(WorkspaceDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Changes the emulator's options (test timings are already set).</summary>
    protected virtual void ConfigureEmulator(EmulatorOptions options)
    {
    }

    /// <summary>Changes the host's settings (the backend URL and short polling are already set).</summary>
    protected virtual void ConfigureHost(IDictionary<string, string?> settings)
    {
    }

    protected static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
