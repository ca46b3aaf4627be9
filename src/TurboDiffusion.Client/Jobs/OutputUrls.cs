using System.Globalization;

namespace TurboDiffusion.Client.Jobs;

/// <summary>
/// When a presigned output URL stops working. The backend mints an S3 SigV4 URL on every status GET, valid for
/// <c>X-Amz-Expires</c> seconds from <c>X-Amz-Date</c>; anything else is assumed to live one hour from the fetch.
/// </summary>
public static class OutputUrlExpiry
{
    /// <summary>The lifetime assumed when the URL does not say (the backend's <c>X-Amz-Expires=3600</c>).</summary>
    public static TimeSpan DefaultLifetime { get; } = TimeSpan.FromHours(1);

    // SigV4 allows at most 7 days; anything longer (or zero, or negative) is not a real presigned URL.
    private const int MaxSigV4ExpiresSeconds = 7 * 24 * 3600;

    // A signing date this far from our clock is nonsense (a broken server clock or a hand-made URL).
    private static readonly TimeSpan MaxSigningSkew = TimeSpan.FromDays(1);

    /// <summary>
    /// Computes the expiry of <paramref name="url"/> fetched at <paramref name="fetchedAt"/>: <c>X-Amz-Date</c>
    /// (<c>yyyyMMddTHHmmssZ</c>) plus <c>X-Amz-Expires</c> when both are present and sane, else fetch time + 1 h.
    /// </summary>
    public static DateTimeOffset Compute(string url, DateTimeOffset fetchedAt)
    {
        var fallback = fetchedAt + DefaultLifetime;
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return fallback;

        string? amzDate = null;
        string? amzExpires = null;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var name = Uri.UnescapeDataString(pair[..eq]);
            var value = Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (name.Equals("X-Amz-Date", StringComparison.OrdinalIgnoreCase)) amzDate = value;
            else if (name.Equals("X-Amz-Expires", StringComparison.OrdinalIgnoreCase)) amzExpires = value;
        }

        if (amzDate is null || amzExpires is null) return fallback;
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return fallback;
        }

        if (!int.TryParse(amzExpires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds <= 0 || seconds > MaxSigV4ExpiresSeconds)
        {
            return fallback;
        }

        if ((signedAt - fetchedAt).Duration() > MaxSigningSkew) return fallback;
        return signedAt + TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// True when <paramref name="url"/> is an absolute http or https URL with a host and no credentials in it (the only
    /// kind a player can use, and the only kind the backend sends: presigned links carry their signature in the query).
    /// </summary>
    public static bool IsPlayableUrl(string? url) =>
        !string.IsNullOrWhiteSpace(url)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo);
}
