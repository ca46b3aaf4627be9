extern alias host;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HostProgram = host::Program;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// The real studio host (samples/I2VStudio.Host) on a free Kestrel port, configured through <c>UseSetting</c> so the
/// values are visible while Program.cs still builds (the host decides its backend before <c>Build()</c>).
/// The host assembly is referenced under the extern alias <c>host</c>: the emulator also has a global <c>Program</c>.
/// </summary>
internal sealed class StudioHost : WebApplicationFactory<HostProgram>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public StudioHost(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel(0);
    }

    /// <summary>The host's address as the browser uses it, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = default!;

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.First();
        // Kestrel may report a wildcard or "localhost"; the browser gets a concrete loopback address.
        var uri = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        BaseUri = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development: static web assets (MudBlazor's CSS/JS, the RCL's modules) are served from the build output.
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Error);
        });
    }
}
