using I2VStudio.Components;
using TurboDiffusion.Client;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// <c>GET /_i2v/client-config</c>: the settings the browser-side studio starts with — the <c>I2VStudio</c> and
/// <c>TurboDiffusion</c> sections as flat <c>key: value</c> pairs, so both render modes run with the same caps,
/// timeouts and polling. Left out: the backend's address (the browser talks to this host), the host-only download
/// origins and the render mode.
/// </summary>
public static class ClientConfigEndpoint
{
    /// <summary>The route (the client project's <c>Program.ConfigPath</c>).</summary>
    public const string Pattern = "/_i2v/client-config";

    private static readonly string[] Sections = [I2VStudioOptions.SectionName, TurboDiffusionOptions.SectionName];

    private static readonly string[] HostOnly =
    [
        TurboDiffusionOptions.SectionName + ":BaseUrl",
        I2VStudioOptions.SectionName + ":AllowedDownloadOrigins",
        StudioRenderModes.Key,
    ];

    /// <summary>The pairs the browser gets (public for tests).</summary>
    public static Dictionary<string, string?> Collect(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in Sections)
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (value is null || HostOnly.Any(h => key.Equals(h, StringComparison.OrdinalIgnoreCase) || key.StartsWith(h + ":", StringComparison.OrdinalIgnoreCase)))
                    continue;
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointConventionBuilder MapClientConfig(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Pattern, (IConfiguration configuration, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Ok(Collect(configuration));
        }).ExcludeFromDescription();
}
