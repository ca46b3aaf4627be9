using System.Net;

namespace TurboDiffusion.Client.Http;

/// <summary>
/// The outermost handler: the Refit interface names the legacy routes (<see cref="TurboDiffusionRoutes"/>), and this
/// handler moves a job request to the <see cref="VideoGenRoutes"/> when the backend speaks VideoGen, resolving the
/// profile first if needed. On <see cref="BackendProfile.Auto"/> a job route that answers 404 means the backend changed
/// versions: the profile is detected again and a GET is sent once more on the new route (a POST is not: its body is gone
/// and it is never repeated automatically).
/// </summary>
internal sealed class BackendRouteHandler(IBackendProfileResolver profiles) : DelegatingHandler
{
    private const string LegacySegment = TurboDiffusionRoutes.Prefix + "/";
    private const string VideoGenSegment = VideoGenRoutes.Prefix + "/";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        if (original is null || !IsJobRoute(original)) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        var profile = await profiles.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        request.RequestUri = For(original, profile);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TurboDiffusionApiException e) when (e.StatusCode == HttpStatusCode.NotFound && profiles.Configured == BackendProfile.Auto)
        {
            profiles.Invalidate();
            var now = await profiles.GetProfileAsync(cancellationToken).ConfigureAwait(false);
            if (now == profile || request.Method != HttpMethod.Get) throw;

            using var again = new HttpRequestMessage(HttpMethod.Get, For(original, now)) { Version = request.Version, VersionPolicy = request.VersionPolicy };
            foreach (var header in request.Headers) again.Headers.TryAddWithoutValidation(header.Key, header.Value);
            foreach (var option in request.Options) ((IDictionary<string, object?>)again.Options)[option.Key] = option.Value;
            return await base.SendAsync(again, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsJobRoute(Uri uri) => uri.IsAbsoluteUri && uri.AbsolutePath.Contains(LegacySegment, StringComparison.Ordinal);

    /// <summary>The request's address on <paramref name="profile"/>: a base URL's own path prefix is kept.</summary>
    internal static Uri For(Uri legacy, BackendProfile profile)
    {
        if (profile != BackendProfile.VideoGen) return legacy;
        var path = legacy.AbsolutePath;
        var at = path.IndexOf(LegacySegment, StringComparison.Ordinal);
        // Built as text so an escaped id (%2F) stays escaped.
        return new Uri(legacy.GetLeftPart(UriPartial.Authority) + path[..at] + VideoGenSegment + path[(at + LegacySegment.Length)..] + legacy.Query);
    }
}
