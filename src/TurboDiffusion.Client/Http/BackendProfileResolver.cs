using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Client.Http;

/// <summary>
/// Resolves the backend's API version. On <see cref="BackendProfile.Auto"/> it reads <c>paths</c> of
/// <c>GET /openapi.json</c> through the client's own pipeline (timeouts, retries) and caches the answer; a failed
/// detection is not cached. When a backend serves both route sets (the emulator's <c>Both</c>), Legacy wins: its status
/// answer carries the DB row, the only way to tell an unknown job id from a queued one.
/// </summary>
internal sealed class BackendProfileResolver(IHttpClientFactory httpClients, IOptions<TurboDiffusionOptions> options) : IBackendProfileResolver
{
    private readonly Lock _gate = new();
    private Task<BackendProfile>? _detection;
    private BackendProfile? _detected;

    public BackendProfile Configured { get; } = options.Value.Profile;

    public BackendProfile? Current
    {
        get
        {
            if (Configured != BackendProfile.Auto) return Configured;
            lock (_gate) return _detected;
        }
    }

    public async ValueTask<BackendProfile> GetProfileAsync(CancellationToken cancellationToken)
    {
        if (Current is { } known) return known;
        Task<BackendProfile> detection;
        lock (_gate)
        {
            // One detection for every caller; none of them owns it, so it runs without their tokens (the pipeline's
            // timeouts bound it).
            detection = _detection ??= DetectAsync();
        }

        try
        {
            var profile = await detection.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (ReferenceEquals(_detection, detection)) _detected = profile;
            }

            return profile;
        }
        catch (Exception) when (detection.IsFaulted)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_detection, detection)) _detection = null;
            }

            throw;
        }
    }

    public void Invalidate()
    {
        if (Configured != BackendProfile.Auto) return;
        lock (_gate)
        {
            _detection = null;
            _detected = null;
        }
    }

    private async Task<BackendProfile> DetectAsync()
    {
        await Task.Yield();
        using var client = httpClients.CreateClient(Microsoft.Extensions.DependencyInjection.TurboDiffusionServiceCollectionExtensions.HttpClientName);
        string body;
        try
        {
            using var response = await client.GetAsync(new Uri(VideoGenRoutes.OpenApi.TrimStart('/'), UriKind.Relative), CancellationToken.None)
                .ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (TurboDiffusionApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new TurboDiffusionApiException(ApiFailureKind.Http,
                "Cannot tell which API the backend speaks: it serves no /openapi.json (HTTP 404). "
                + "Set TurboDiffusion:Profile to Legacy or VideoGen.", HttpStatusCode.NotFound, innerException: e);
        }

        return FromOpenApi(body) ?? throw new TurboDiffusionApiException(ApiFailureKind.Protocol,
            "Cannot tell which API the backend speaks: its /openapi.json lists neither /v1/turbodiffusion nor /v1/videogen job "
            + "routes. Set TurboDiffusion:Profile to Legacy or VideoGen.", HttpStatusCode.OK);
    }

    /// <summary>The profile an <c>/openapi.json</c> document implies, or null when it lists neither API's job route.</summary>
    internal static BackendProfile? FromOpenApi(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("paths", out var paths) || paths.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (paths.TryGetProperty(VideoGenRoutes.LegacyOpenApiJobPath, out _)) return BackendProfile.Legacy;
            if (paths.TryGetProperty(VideoGenRoutes.OpenApiJobPath, out _)) return BackendProfile.VideoGen;
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
