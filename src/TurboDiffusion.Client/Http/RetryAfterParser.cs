using System.Globalization;
using System.Net.Http.Headers;

namespace TurboDiffusion.Client.Http;

/// <summary>Reads a <c>Retry-After</c> header (delta seconds or HTTP-date), ignoring nonsense and clamping long waits.</summary>
public static class RetryAfterParser
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "Retry-After";

    /// <summary>Reads the first <c>Retry-After</c> value of a response.</summary>
    /// <param name="headers">The response headers (raw values are read, so an invalid value is seen as nonsense, not lost).</param>
    /// <param name="now">The current time, for the HTTP-date form.</param>
    /// <param name="max">The longest wait honoured; longer values are clamped to it.</param>
    /// <returns>The wait, between zero and <paramref name="max"/>; null when absent or unreadable.</returns>
    public static TimeSpan? Parse(HttpResponseHeaders? headers, DateTimeOffset now, TimeSpan max)
    {
        if (headers is null || !headers.NonValidated.TryGetValues(HeaderName, out var values)) return null;
        foreach (var value in values)
        {
            return Parse(value, now, max);
        }

        return null;
    }

    /// <summary>Reads one <c>Retry-After</c> value.</summary>
    /// <param name="value">The raw value, e.g. <c>20</c> or <c>Wed, 21 Oct 2026 07:28:00 GMT</c>.</param>
    /// <param name="now">The current time, for the HTTP-date form.</param>
    /// <param name="max">The longest wait honoured; longer values are clamped to it.</param>
    /// <returns>
    /// The wait, between zero and <paramref name="max"/>; null for an empty, negative or unreadable value.
    /// A date in the past means "now" (zero).
    /// </returns>
    public static TimeSpan? Parse(string? value, DateTimeOffset now, TimeSpan max)
    {
        if (max < TimeSpan.Zero) max = TimeSpan.Zero;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;

        // delta-seconds = 1*DIGIT (RFC 9110 §10.2.3): no sign, no fraction. Huge values are clamped, not rejected.
        if (text.All(char.IsAsciiDigit))
        {
            return decimal.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && seconds <= (decimal)max.TotalSeconds
                    ? TimeSpan.FromSeconds((double)seconds)
                    : max;
        }

        if (DateTimeOffset.TryParseExact(text, HttpDateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - now;
            if (wait < TimeSpan.Zero) return TimeSpan.Zero;
            return wait > max ? max : wait;
        }

        return null;
    }

    // IMF-fixdate first, then the obsolete RFC 850 and asctime forms that RFC 9110 still asks recipients to accept.
    private static readonly string[] HttpDateFormats =
    [
        "r",
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",
        "ddd MMM d HH:mm:ss yyyy",
    ];
}
