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
/// Decides which URLs the download endpoint may fetch. It is only ever asked about the <c>output_url</c> of a status
/// answer the host itself just got from the configured backend (never a URL from a request, a ticket or a stored job
/// record). Always: absolute http(s) only, no credentials in the URL, and the backend's own origin. With the emulator:
/// also its storage origin, nothing else. With a real backend: also the configured
/// <see cref="DownloadOptions.AllowedDownloadOrigins"/>; when none are configured, the origin the live answer names.
/// </summary>
/// <remarks>
/// Why the last rule is safe: the URL comes from the configured backend's own answer, read by the host a moment ago
/// (presigned S3 links live on the object store's origin, e.g. MinIO on another port or host, which the host cannot
/// know in advance). Nothing the browser sends or stores reaches this check. Operators who know their storage origin
/// should list it in <c>I2VStudio:AllowedDownloadOrigins</c>, which turns the check strict.
/// </remarks>
public sealed class DownloadOriginPolicy
{
    private readonly HashSet<string> _allowed = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _trustLiveAnswerOrigin;

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

        _trustLiveAnswerOrigin = !backend.IsEmulator && options.Value.AllowedDownloadOrigins.Count == 0;
    }

    /// <summary>
    /// <paramref name="liveOutputUrl"/> — the <c>output_url</c> of a status answer the host just got from the backend —
    /// when it may be fetched; otherwise null.
    /// </summary>
    public Uri? CheckLiveAnswer(string liveOutputUrl)
    {
        if (!Uri.TryCreate(liveOutputUrl, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        if (!string.IsNullOrEmpty(uri.UserInfo)) return null; // credentials in a URL are never what the backend sends
        return _trustLiveAnswerOrigin || _allowed.Contains(Origin(uri)) ? uri : null;
    }

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority).TrimEnd('/');
}
