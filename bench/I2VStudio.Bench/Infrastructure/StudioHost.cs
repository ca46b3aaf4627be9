using I2VStudio.Testing;
using Microsoft.AspNetCore.Hosting;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// The real studio host (samples/I2VStudio.Host) in this process on a free Kestrel port, in the Development
/// environment as <c>./run.sh</c> runs it (static web assets from the build output), with the product's polling
/// defaults: only the backend URL and logging are set. The same host setup as the E2E fixture (<see cref="StudioHostFactory"/>).
/// </summary>
public sealed class StudioHost(Uri backend, IReadOnlyDictionary<string, string?>? settings = null)
    : StudioHostFactory(AllSettings(backend, settings))
{
    /// <summary>samples/I2VStudio.Host of the repository (the factory's own lookup is relative to the working directory).</summary>
    public static string? ContentRoot { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (ContentRoot is not null) builder.UseContentRoot(ContentRoot);
        base.ConfigureWebHost(builder);
    }

    private static Dictionary<string, string?> AllSettings(Uri backend, IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["TurboDiffusion:BaseUrl"] = backend.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return all;
    }
}
