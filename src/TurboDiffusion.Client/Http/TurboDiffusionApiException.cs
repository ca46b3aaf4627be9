using System.Collections.Immutable;
using System.Net;
using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Http;

/// <summary>What kind of failure a call to the backend met.</summary>
public enum ApiFailureKind
{
    /// <summary>FastAPI rejected the request (422), with field problems when it named fields.</summary>
    Validation,
    /// <summary>The backend or a proxy answered with another 4xx/5xx status.</summary>
    Http,
    /// <summary>429 Too Many Requests.</summary>
    RateLimited,
    /// <summary>The backend could not be reached (refused, DNS, reset).</summary>
    Network,
    /// <summary>No answer in time.</summary>
    Timeout,
    /// <summary>The answer could not be read (malformed JSON, missing required field).</summary>
    Protocol,
}

/// <summary>
/// The one exception every backend call throws: a user-readable <see cref="Exception.Message"/>, the kind of
/// failure, the HTTP status, 422 field problems and the server's <c>Retry-After</c>.
/// </summary>
public sealed class TurboDiffusionApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TurboDiffusionApiException(ApiFailureKind kind, string message, HttpStatusCode? statusCode = null,
        IEnumerable<FieldProblem>? fieldProblems = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        FieldProblems = fieldProblems?.ToImmutableArray() ?? [];
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TurboDiffusionApiException() : this(ApiFailureKind.Protocol, "The backend call failed.") { }

    /// <summary>Creates the exception with a message.</summary>
    public TurboDiffusionApiException(string message) : this(ApiFailureKind.Protocol, message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TurboDiffusionApiException(string message, Exception innerException)
        : this(ApiFailureKind.Protocol, message, innerException: innerException) { }

    /// <summary>The kind of failure.</summary>
    public ApiFailureKind Kind { get; }

    /// <summary>The HTTP status, when there was an answer.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>FastAPI 422 items by field.</summary>
    public ImmutableArray<FieldProblem> FieldProblems { get; }

    /// <summary>How long the server asked to wait, already validated and clamped; null when absent or nonsense.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True for failures worth retrying later: network, timeout, 429, 5xx.</summary>
    public bool IsTransient => Kind is ApiFailureKind.Network or ApiFailureKind.Timeout or ApiFailureKind.RateLimited
        || (Kind == ApiFailureKind.Http && StatusCode is { } s && (int)s >= 500);
}
