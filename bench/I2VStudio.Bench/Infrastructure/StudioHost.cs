extern alias host;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HostProgram = host::Program;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// The real studio host (samples/I2VStudio.Host) in this process on a free Kestrel port, in the Development
/// environment as <c>./run.sh</c> runs it (static web assets from the build output), with the product's polling
/// defaults: only the backend URL and logging are set. The same approach as the E2E fixture.
/// </summary>
public sealed class StudioHost : WebApplicationFactory<HostProgram>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public StudioHost(Uri backend, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["TurboDiffusion:BaseUrl"] = backend.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        _settings = all;
        UseKestrel(0);
    }

    public Uri BaseUri { get; private set; } = default!;

    public void Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var uri = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        BaseUri = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    /// <summary>samples/I2VStudio.Host of the repository (the factory's own lookup is relative to the working directory).</summary>
    public static string? ContentRoot { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (ContentRoot is not null) builder.UseContentRoot(ContentRoot);
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Error);
        });
    }
}
