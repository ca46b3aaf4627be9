using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// <c>GET /openapi.json</c>: FastAPI's document, reduced to what clients read: the title, the version ("0.2.0" for both
/// API versions, as on the real backend) and <c>paths</c>, listing exactly the routes this emulator serves.
/// </summary>
internal static class OpenApiDocument
{
    public const string Title = "Turbo-Super-Novel API";
    public const string Version = "0.2.0";

    /// <summary>The API routes served for <paramref name="profile"/>, in FastAPI's path syntax, with their methods.</summary>
    public static IReadOnlyList<(string Path, string Method)> Routes(EmulatorApiProfile profile)
    {
        var routes = new List<(string, string)> { ("/health", "get"), ("/paths", "get") };
        if (profile is EmulatorApiProfile.Legacy or EmulatorApiProfile.Both)
        {
            routes.Add(("/v1/turbodiffusion/wan22-i2v/jobs", "post"));
            routes.Add(("/v1/turbodiffusion/jobs/{job_id}", "get"));
            routes.Add(("/v1/turbodiffusion/models", "get"));
        }

        if (profile is EmulatorApiProfile.VideoGen or EmulatorApiProfile.Both)
        {
            routes.Add(("/v1/videogen/wan22-i2v/jobs", "post"));
            routes.Add(("/v1/videogen/jobs/{job_id}", "get"));
            routes.Add(("/v1/videogen/models", "get"));
            routes.Add(("/v1/capabilities/status", "get"));
        }

        return routes;
    }

    public static IResult Get(IOptions<EmulatorOptions> options)
    {
        var paths = new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal);
        foreach (var (path, method) in Routes(options.Value.ApiProfile))
        {
            paths[path] = new Dictionary<string, object> { [method] = new Dictionary<string, object> { ["summary"] = path } };
        }

        return ApiJson.Json(new OpenApiView("3.1.0", new OpenApiInfo(Title, Version), paths));
    }
}
