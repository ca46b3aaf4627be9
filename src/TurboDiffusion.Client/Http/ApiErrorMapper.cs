using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Polly.Timeout;
using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Http;

/// <summary>
/// Turns every way a backend call can fail into one <see cref="TurboDiffusionApiException"/> with a message a user
/// can read: FastAPI details, text and HTML error pages (summarised, never dumped), network failures and timeouts.
/// </summary>
internal static partial class ApiErrorMapper
{
    /// <summary>Most bytes read of a non-JSON error body: enough for a title or a first line.</summary>
    internal const int MaxTextErrorBytes = 4 * 1024;

    /// <summary>Most bytes read of a JSON error body: a 422 echoes the inputs, a long prompt included.</summary>
    internal const int MaxJsonErrorBytes = 64 * 1024;

    /// <summary>Longest summary line or backend message kept in a message.</summary>
    internal const int MaxLineChars = 300;

    /// <summary>The start of VideoGen's 503 detail when its LLM could not rewrite the prompt.</summary>
    internal const string LlmUnavailablePrefix = "LLM prompt enhancement unavailable";

    /// <summary>The form field of prompt enhancement (VideoGen).</summary>
    internal const string EnhancePromptField = "enhance_prompt";

    /// <summary>The job form's fields a text detail may start with.</summary>
    private static readonly string[] FormFields = ["prompt", "image", "seed", "num_steps", "quantized", "duration_seconds", EnhancePromptField];

    /// <summary>Maps a non-success answer. Reads at most a few KB of its body, for at most <paramref name="readTimeout"/>.</summary>
    public static async Task<TurboDiffusionApiException> FromResponseAsync(
        HttpResponseMessage response, TimeProvider timeProvider, TimeSpan retryAfterMax, TimeSpan readTimeout,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var status = response.StatusCode;
        var code = (int)status;
        var retryAfter = RetryAfterParser.Parse(response.Headers, now, retryAfterMax);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var isJson = mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
        var body = await ReadPrefixAsync(response.Content, isJson ? MaxJsonErrorBytes : MaxTextErrorBytes,
            timeProvider, readTimeout, cancellationToken).ConfigureAwait(false);

        var kind = status switch
        {
            HttpStatusCode.UnprocessableEntity => ApiFailureKind.Validation,
            HttpStatusCode.TooManyRequests => ApiFailureKind.RateLimited,
            _ => ApiFailureKind.Http,
        };

        var detail = TryReadDetail(body, isJson);
        if (detail.Problems is { Count: > 0 } problems)
        {
            var list = string.Join("; ", problems.Select(p => p.Field.Length == 0 ? p.Message : $"{p.Field}: {p.Message}"));
            return new TurboDiffusionApiException(kind, $"The backend rejected the request: {list}", status, problems, retryAfter);
        }

        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            return new TurboDiffusionApiException(kind,
                "The file is too large for the server (or a proxy in front of it) to accept (HTTP 413).", status, retryAfter: retryAfter);
        }

        // FastAPI's own words for a validation or an application failure (e.g. "Failed to submit Celery task: ...")
        // are the message; elsewhere a detail is just the line after the status.
        var detailText = string.IsNullOrWhiteSpace(detail.Text) ? null : Shorten(detail.Text);
        if (detailText is not null && status is HttpStatusCode.UnprocessableEntity or HttpStatusCode.InternalServerError)
        {
            // A text detail that names a field ("prompt cannot be empty", "duration_seconds is too small …") is shown there.
            var field = status == HttpStatusCode.UnprocessableEntity ? FieldNamedBy(detailText) : null;
            return new TurboDiffusionApiException(kind, detailText, status,
                field is null ? null : [new FieldProblem(field, detailText)], retryAfter);
        }

        if (detailText is not null && status == HttpStatusCode.ServiceUnavailable
            && detailText.StartsWith(LlmUnavailablePrefix, StringComparison.OrdinalIgnoreCase))
        {
            // VideoGen's enhance_prompt failed; the job was not queued. Belongs beside that switch, with a way out.
            return new TurboDiffusionApiException(kind, detailText, status, [new FieldProblem(EnhancePromptField, detailText)], retryAfter);
        }

        var line = detailText ?? Summarize(body, mediaType);
        var reason = ReasonOf(response);
        var message = status switch
        {
            HttpStatusCode.TooManyRequests => retryAfter is { } wait
                ? $"The backend is busy (HTTP 429); try again in {FormatWait(wait)}."
                : "The backend is busy (HTTP 429); try again later.",
            HttpStatusCode.UnprocessableEntity => $"The backend rejected the request (HTTP 422): {Or(line, reason)}",
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                => $"The backend is unavailable (HTTP {code}): {Or(line, reason)}",
            _ when code >= 500 => $"The backend failed (HTTP {code}): {Or(line, reason)}",
            _ => $"The backend refused the request (HTTP {code}): {Or(line, reason)}",
        };
        return new TurboDiffusionApiException(kind, message, status, retryAfter: retryAfter);
    }

    /// <summary>
    /// Maps an exception thrown while sending. Returns null when the exception is not a transport failure
    /// (a caller's cancellation, a bug): the caller rethrows it unchanged.
    /// </summary>
    public static TurboDiffusionApiException? FromTransport(Exception exception, Uri? baseUrl, bool cancelledByCaller)
    {
        var where = baseUrl?.ToString() ?? "(no base URL)";
        switch (exception)
        {
            case TurboDiffusionApiException:
                return null;
            case OperationCanceledException when cancelledByCaller:
                return null;
            case TimeoutRejectedException timeout:
                return new TurboDiffusionApiException(ApiFailureKind.Timeout,
                    $"The backend at {where} did not answer within {FormatWait(timeout.Timeout)}.", innerException: exception);
            case OperationCanceledException:
                return new TurboDiffusionApiException(ApiFailureKind.Timeout,
                    $"The backend at {where} did not answer in time.", innerException: exception);
            case HttpRequestException or SocketException or IOException:
                return new TurboDiffusionApiException(ApiFailureKind.Network,
                    $"Cannot reach the backend at {where}: {NetworkReason(exception)}", innerException: exception);
            default:
                return null;
        }
    }

    /// <summary>Maps a 2xx answer whose body could not be read as the expected JSON.</summary>
    public static TurboDiffusionApiException FromUnreadableBody(HttpResponseMessage? response, Exception exception)
    {
        var request = response?.RequestMessage;
        var what = request is null ? "a request" : $"{request.Method} {request.RequestUri?.AbsolutePath}";
        var reason = exception is JsonException json ? Shorten(json.Message) : Shorten(exception.Message);
        return new TurboDiffusionApiException(ApiFailureKind.Protocol,
            $"The backend's answer to {what} could not be read: {reason}", response?.StatusCode, innerException: exception);
    }

    /// <summary>Field problems (422 array) or a text (<c>detail</c> as a string) from a FastAPI error body.</summary>
    internal static (IReadOnlyList<FieldProblem>? Problems, string? Text) TryReadDetail(string body, bool isJson)
    {
        var trimmed = body.AsSpan().TrimStart();
        if (!isJson && (trimmed.IsEmpty || trimmed[0] != '{')) return (null, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("detail", out var detail))
            {
                return (null, null);
            }

            return detail.ValueKind switch
            {
                JsonValueKind.String => (null, detail.GetString()),
                JsonValueKind.Array => (detail.EnumerateArray().Select(ToProblem).ToList(), null),
                _ => (null, null),
            };
        }
        catch (JsonException)
        {
            // Cut at the read limit or not JSON after all: the caller summarises the text instead.
            return (null, null);
        }
    }

    /// <summary>The form field a text detail starts with (e.g. <c>prompt cannot be empty</c>), or null.</summary>
    internal static string? FieldNamedBy(string text)
    {
        foreach (var field in FormFields)
        {
            if (text.StartsWith(field, StringComparison.Ordinal) && (text.Length == field.Length || !IsWordChar(text[field.Length])))
            {
                return field;
            }
        }

        return null;

        static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }

    private static FieldProblem ToProblem(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.String) return new FieldProblem("", Shorten(item.GetString() ?? ""));
        if (item.ValueKind != JsonValueKind.Object) return new FieldProblem("", Shorten(item.GetRawText()));

        // loc is e.g. ["body", "seed"] or ["body", "items", 0]: the field is the last string element.
        var field = "";
        if (item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array)
        {
            field = loc.EnumerateArray().LastOrDefault(e => e.ValueKind == JsonValueKind.String).GetString() ?? "";
        }
        else if (loc.ValueKind == JsonValueKind.String)
        {
            field = loc.GetString() ?? "";
        }

        var message = item.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String
            ? msg.GetString() ?? ""
            : "is invalid";
        return new FieldProblem(field, Shorten(message));
    }

    /// <summary>One short line for a text or HTML body: the page title, the first heading, or the first line of text.</summary>
    internal static string Summarize(string body, string mediaType)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        var isHtml = mediaType.Contains("html", StringComparison.OrdinalIgnoreCase)
            || body.AsSpan().TrimStart().StartsWith("<", StringComparison.Ordinal);
        if (isHtml)
        {
            foreach (var pattern in new[] { TitleRegex(), HeadingRegex() })
            {
                var match = pattern.Match(body);
                if (match.Success && CleanLine(match.Groups[1].Value) is { Length: > 0 } found) return found;
            }

            body = TagRegex().Replace(ScriptRegex().Replace(body, " "), "\n");
        }

        foreach (var line in body.Split('\n'))
        {
            if (CleanLine(line) is { Length: > 0 } text) return text;
        }

        return "";
    }

    private static string CleanLine(string text)
    {
        var decoded = WebUtility.HtmlDecode(text);
        return Shorten(WhitespaceRegex().Replace(decoded, " ").Trim());
    }

    internal static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= MaxLineChars ? text : string.Concat(text.AsSpan(0, MaxLineChars - 1).TrimEnd(), "…");
    }

    private static async Task<string> ReadPrefixAsync(
        HttpContent content, int maxBytes, TimeProvider timeProvider, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        // Bounded in size and in time: a slow or endless error page cannot hold the call; the caller's token still wins.
        using var budget = new CancellationTokenSource(readTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var buffer = new byte[maxBytes];
        var filled = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (filled < buffer.Length)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), linked.Token).ConfigureAwait(false);
                    if (read == 0) break;
                    filled += read;
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The status alone still tells the story; a body that breaks off or dawdles is summarised as far as it came.
        }

        return Encoding.UTF8.GetString(buffer, 0, filled);
    }

    private static string NetworkReason(Exception exception)
    {
        // HttpRequestException says e.g. "Connection refused (127.0.0.1:8000)"; a bare socket error only "Connection refused".
        var reason = exception switch
        {
            HttpRequestException { InnerException: SocketException socket } http when string.IsNullOrWhiteSpace(http.Message)
                => socket.Message,
            _ => exception.Message,
        };
        return Shorten(string.IsNullOrWhiteSpace(reason) ? exception.GetType().Name : reason);
    }

    private static string ReasonOf(HttpResponseMessage response) =>
        string.IsNullOrWhiteSpace(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase.Trim();

    private static string Or(string line, string fallback) => line.Length > 0 ? line : fallback;

    internal static string FormatWait(TimeSpan wait) => wait switch
    {
        { TotalSeconds: < 1 } => $"{wait.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
        { TotalMinutes: < 2 } => $"{wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
        _ => $"{wait.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min",
    };

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitleRegex();

    [GeneratedRegex(@"<h1[^>]*>(.*?)</h1>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"<(script|style)[^>]*>.*?</\1>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptRegex();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
