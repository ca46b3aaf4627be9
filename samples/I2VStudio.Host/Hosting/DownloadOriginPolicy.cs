using Microsoft.Extensions.Options;

namespace I2VStudio.Host.Hosting;

/// <summary>Settings of the download endpoint, from <c>I2VStudio</c>.</summary>
public sealed class DownloadOptions
{
    /// <summary>
    /// Origins (e.g. <c>https://minio.example.com</c>) the download endpoint may fetch from besides the backend's own.
    /// When set, only these and the backend's origin are allowed (strict). Env: <c>I2VStudio__AllowedDownloadOrigins__0</c>.
    /// </summary>
    public IList<string> AllowedDownloadOrigins { get; } = [];
}

/// <summary>
/// Decides which URLs the download endpoint may fetch. Always: absolute http(s) only, and the backend's own origin.
/// With the emulator: also its storage origin, nothing else. With a real backend: also the configured
/// <see cref="DownloadOptions.AllowedDownloadOrigins"/>; when none are configured, the origin of the ticket's URL.
/// </summary>
/// <remarks>
/// Why the last rule is safe: a ticket is only ever issued server-side, by the studio's Download action, from the
/// tracker's record of a job — a URL the configured backend handed out in its status answer (presigned S3 links
/// live on the object store's origin, which the host cannot know in advance). The browser can only redeem a ticket,
/// never put a URL into one, so the endpoint is no open proxy. Operators who know their storage origin should list it
/// in <c>I2VStudio:AllowedDownloadOrigins</c>, which turns the check strict.
/// </remarks>
public sealed class DownloadOriginPolicy
{
    private readonly HashSet<string> _allowed = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _trustTicketOrigin;

    /// <summary>Creates the policy for the backend in use.</summary>
    public DownloadOriginPolicy(BackendInfo backend, IOptions<DownloadOptions> options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        _allowed.Add(Origin(backend.ApiBaseUri));
        if (backend.StorageBaseUri is { } storage) _allowed.Add(Origin(storage));
        foreach (var origin in options.Value.AllowedDownloadOrigins)
        {
            if (Uri.TryCreate(origin, UriKind.Absolute, out var uri)) _allowed.Add(Origin(uri));
        }

        _trustTicketOrigin = !backend.IsEmulator && options.Value.AllowedDownloadOrigins.Count == 0;
    }

    /// <summary>The ticket URL, when it may be fetched; otherwise null.</summary>
    public Uri? Check(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        if (!string.IsNullOrEmpty(uri.UserInfo)) return null; // credentials in a URL are never what the backend sends
        return _trustTicketOrigin || _allowed.Contains(Origin(uri)) ? uri : null;
    }

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority).TrimEnd('/');
}
