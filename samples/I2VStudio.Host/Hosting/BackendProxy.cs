using I2VStudio.Components.Imaging;
using TurboDiffusion.Client;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// The same-origin arrangement the spec prefers to CORS: when the studio runs in the browser its API calls go to this
/// host, which forwards <c>/v1/turbodiffusion/*</c>, <c>/v1/videogen/*</c>, <c>/v1/capabilities/status</c>,
/// <c>/openapi.json</c>, <c>/health</c> and <c>/paths</c> to the configured backend (or the
/// embedded emulator) through YARP. Nothing else is forwarded, and the host's own cookies stay here.
/// </summary>
public static class BackendProxy
{
    /// <summary>The cluster's id.</summary>
    public const string ClusterId = "turbodiffusion";

    /// <summary>The route that carries uploads (the job POST) and job status.</summary>
    public const string ApiRouteId = "turbodiffusion-api";

    /// <summary>The same for a VideoGen backend (<c>/v1/videogen/*</c>).</summary>
    public const string VideoGenApiRouteId = "videogen-api";

    /// <summary>
    /// Room for the multipart envelope around the image: boundaries, part headers, the prompt (up to 8000 characters,
    /// at most 4 bytes each in UTF-8) and the parameters fit in well under 1 MB.
    /// </summary>
    public const long FormOverheadBytes = 1024 * 1024;

    /// <summary>The largest body a status or diagnostics GET may carry (none is expected).</summary>
    public const long SmallBodyBytes = 64 * 1024;

    /// <summary>How much longer than the client's longest call the proxy waits, so the client's own timeout decides.</summary>
    public static readonly TimeSpan TimeoutMargin = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers YARP with one cluster (the backend) and its routes. The two API routes accept a body up to the image
    /// cap (<c>I2VStudio:Images:MaxBytes</c>, default 20 MB) plus <see cref="FormOverheadBytes"/>, although Kestrel's
    /// limit for every other request stays small; the proxy waits for the backend at least as long as the client's
    /// <c>TurboDiffusion:SubmitTimeout</c> (and <c>RequestTotalTimeout</c>) plus <see cref="TimeoutMargin"/>.
    /// </summary>
    public static IServiceCollection AddBackendProxy(this IServiceCollection services, IConfiguration configuration, BackendInfo backend)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(backend);
        var (routes, clusters) = Build(configuration, backend);
        services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            // The browser's cookies for this host (language, theme, antiforgery) are none of the backend's business.
            .AddTransforms(context => context.AddRequestHeaderRemove("Cookie"));
        return services;
    }

    /// <summary>
    /// Maps the proxy with YARP's default pipeline, after two steps of ours: a path that could mean something else to
    /// the backend or a server in front of it (an encoded slash or backslash, an encoded dot segment, an empty segment,
    /// a <c>;</c>) is refused with 400, so nothing outside the forwarded routes (e.g. the emulator's <c>/_emulator</c>
    /// admin routes) can be reached by spelling; and a body whose declared length exceeds the route's limit is refused
    /// with 413 before anything is forwarded (YARP alone would start forwarding and then report a broken request body
    /// as 400).
    /// </summary>
    public static IEndpointConventionBuilder MapBackendProxy(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.Use(RefuseAmbiguousPathsAsync);
            proxy.Use(RefuseOversizedBodiesAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

    /// <summary>
    /// True when <paramref name="path"/> (as the server decoded it: <c>%2F</c> stays encoded, dot segments are already
    /// resolved) is one plain path: non-empty segments, none of them <c>.</c> or <c>..</c>, and no <c>%</c>,
    /// <c>\</c> or <c>;</c> left, which a backend or a proxy in front of it might decode or split differently.
    /// </summary>
    public static bool IsPlainPath(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value) || value[0] != '/') return false;
        if (value.AsSpan().IndexOfAny('%', '\\', ';') >= 0) return false;
        foreach (var segment in value[1..].Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..") return false;
        }

        return true;
    }

    private static Task RefuseAmbiguousPathsAsync(HttpContext context, Func<Task> next)
    {
        if (IsPlainPath(context.Request.Path)) return next();
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("This path is not forwarded to the backend.", context.RequestAborted);
    }

    private static Task RefuseOversizedBodiesAsync(HttpContext context, Func<Task> next)
    {
        var limit = context.GetReverseProxyFeature().Route.Config.MaxRequestBodySize;
        if (limit is > 0 && context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync($"The upload is larger than this server accepts ({limit} bytes).", context.RequestAborted);
        }

        return next();
    }

    /// <summary>The proxy's routes and cluster for <paramref name="backend"/> (public for tests).</summary>
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(IConfiguration configuration, BackendInfo backend)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(backend);
        var images = new ImageLimits();
        configuration.GetSection(ImageLimits.SectionName).Bind(images);
        var client = new TurboDiffusionOptions();
        configuration.GetSection(TurboDiffusionOptions.SectionName).Bind(client);

        var longestCall = client.SubmitTimeout > client.RequestTotalTimeout ? client.SubmitTimeout : client.RequestTotalTimeout;
        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            // A path prefix in the backend URL is kept: YARP appends the request path to the destination's.
            Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal)
            {
                ["backend"] = new() { Address = backend.ApiBaseUri.ToString() },
            },
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = longestCall + TimeoutMargin },
        };

        string[] getOnly = [HttpMethods.Get, HttpMethods.Head];
        var routes = new List<RouteConfig>
        {
            new()
            {
                RouteId = ApiRouteId,
                ClusterId = ClusterId,
                Match = new RouteMatch { Path = "/v1/turbodiffusion/{**rest}", Methods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post] },
                MaxRequestBodySize = images.MaxBytes + FormOverheadBytes,
            },
            new()
            {
                // The same uploads and status GETs on a VideoGen backend (the client picks the route set).
                RouteId = VideoGenApiRouteId,
                ClusterId = ClusterId,
                Match = new RouteMatch { Path = "/v1/videogen/{**rest}", Methods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post] },
                MaxRequestBodySize = images.MaxBytes + FormOverheadBytes,
            },
            new()
            {
                RouteId = "turbodiffusion-capabilities",
                ClusterId = ClusterId,
                Match = new RouteMatch { Path = "/v1/capabilities/status", Methods = getOnly },
                MaxRequestBodySize = SmallBodyBytes,
            },
            new()
            {
                // What TurboDiffusion:Profile=Auto reads to tell the API versions apart.
                RouteId = "turbodiffusion-openapi",
                ClusterId = ClusterId,
                Match = new RouteMatch { Path = "/openapi.json", Methods = getOnly },
                MaxRequestBodySize = SmallBodyBytes,
            },
            new()
            {
                RouteId = "turbodiffusion-health",
                ClusterId = ClusterId,
                Match = new RouteMatch { Path = "/health", Methods = getOnly },
                MaxRequestBodySize = SmallBodyBytes,
            },
            new()
            {
                RouteId = "turbodiffusion-paths",
                ClusterId = ClusterId,
                Match = new RouteMatch { Path = "/paths", Methods = getOnly },
                MaxRequestBodySize = SmallBodyBytes,
            },
        };
        return (routes, [cluster]);
    }
}
