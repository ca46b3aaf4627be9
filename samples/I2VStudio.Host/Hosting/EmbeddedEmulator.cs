using TurboDiffusion.Emulator;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// Starts the local emulator in-process when no backend is configured (<c>TurboDiffusion:BaseUrl</c> unset), points
/// the client at it, and stops it with the host.
/// </summary>
public static class EmbeddedEmulator
{
    /// <summary>The host's configuration section for the embedded emulator's settings.</summary>
    public const string SectionName = "Emulator";

    /// <summary>
    /// Decides the backend. With <c>TurboDiffusion:BaseUrl</c> set, nothing starts. Otherwise the emulator starts
    /// with demo timings (a few seconds queued, a few seconds running; <c>Emulator:*</c> overrides them) on free
    /// ports, and <c>TurboDiffusion:BaseUrl</c> is set to it before the app is built.
    /// </summary>
    public static async Task<BackendInfo> ConfigureBackendAsync(WebApplicationBuilder builder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.Configuration["TurboDiffusion:BaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // An invalid URL is reported by the client's options validation at start-up, with the setting's name.
            var uri = Uri.TryCreate(configured, UriKind.Absolute, out var parsed) ? parsed : new Uri("http://invalid.invalid/");
            builder.Services.AddSingleton(new BackendInfo(uri, IsEmulator: false, StorageBaseUri: null));
            return new BackendInfo(uri, false, null);
        }

        var options = new EmulatorOptions
        {
            // Demo timings: long enough to watch Queued → Running → Done, short enough not to bore.
            QueueDelay = TimeSpan.FromSeconds(3),
            StageDelay = TimeSpan.FromMilliseconds(600),
            StepDuration = TimeSpan.FromSeconds(1.5),
        };
        builder.Configuration.GetSection(SectionName).Bind(options);

        var emulator = await TurboDiffusionEmulatorServer.StartAsync(options, cancellationToken);
        builder.Configuration["TurboDiffusion:BaseUrl"] = emulator.ApiBaseUri.ToString();
        var info = new BackendInfo(emulator.ApiBaseUri, IsEmulator: true, emulator.StorageBaseUri);
        builder.Services.AddSingleton(info);
        // A hosted service stops it with the host, also when a test factory owns the host and Run never returns.
        builder.Services.AddHostedService(_ => new EmulatorLifetime(emulator));
        return info;
    }

    private sealed class EmulatorLifetime(RunningEmulator emulator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await emulator.DisposeAsync();
    }
}
