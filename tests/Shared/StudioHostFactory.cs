extern alias host;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HostProgram = host::Program;

namespace I2VStudio.Testing;

/// <summary>
/// The real studio host (samples/I2VStudio.Host) in this process on a free Kestrel port, in the Development
/// environment (static web assets are served from the build output), configured through <c>UseSetting</c> so the
/// values are visible while Program.cs still builds (the host decides its backend before <c>Build()</c>); logging at
/// Warning, ASP.NET Core at Error. The host assembly is referenced under the extern alias <c>host</c> (the emulator
/// also has a global <c>Program</c>), so a project that includes this file references the host with
/// <c>Aliases="host"</c>. Shared as source by the E2E and packaging tests and the bench.
/// </summary>
public abstract class StudioHostFactory : WebApplicationFactory<HostProgram>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    protected StudioHostFactory(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel(0);
    }

    /// <summary>The host's address as the browser uses it, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = default!;

    /// <summary>Starts Kestrel and sets <see cref="BaseUri"/>.</summary>
    public void Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        // Kestrel may report a wildcard or "localhost"; the browser gets a concrete loopback address.
        var uri = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        BaseUri = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // Each host gets a workspace (SQLite file, asset bytes) of its own unless the caller names one, never the
        // user's default folder.
        if (!_settings.ContainsKey("Workspace:DataDirectory"))
        {
            builder.UseSetting("Workspace:DataDirectory", Path.Combine(Path.GetTempPath(), "i2v-test-workspace", Guid.NewGuid().ToString("N")[..12]));
        }

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
