extern alias host;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TurboDiffusion.Emulator;
using HostProgram = host::Program;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>
/// The sample host (samples/I2VStudio.Host) on a free Kestrel port in a chosen render mode, its backend an emulator of
/// its own. Settings go through <c>UseSetting</c> so Program.cs sees them while it builds (the approach of the E2E
/// fixture; the host assembly is referenced under the extern alias <c>host</c> because the emulator also has a
/// global <c>Program</c>).
/// </summary>
public sealed class StudioHost : WebApplicationFactory<HostProgram>
{
    private readonly Dictionary<string, string?> _settings;

    private StudioHost(RunningEmulator emulator, Dictionary<string, string?> settings)
    {
        Emulator = emulator;
        _settings = settings;
        UseKestrel(0);
    }

    public RunningEmulator Emulator { get; }

    /// <summary>The host's address as the browser uses it, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = default!;

    /// <summary>Starts an emulator and the host in <paramref name="renderMode"/> (Server, WebAssembly or Auto) in front of it.</summary>
    public static async Task<StudioHost> StartAsync(string renderMode, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var emulator = await TestEmulator.StartAsync(cancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["I2VStudio:RenderMode"] = renderMode,
            ["TurboDiffusion:BaseUrl"] = emulator.ApiBaseUri.ToString(),
            // Strict download origins: the emulator's storage only.
            ["I2VStudio:AllowedDownloadOrigins:0"] = emulator.StorageBaseUri.GetLeftPart(UriPartial.Authority),
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;

        var host = new StudioHost(emulator, settings);
        host.Start();
        return host;
    }

    private void Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var uri = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        BaseUri = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development: static web assets (the WebAssembly runtime, MudBlazor's files, the RCL's modules) are served
        // from the build output.
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Error);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
