using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TurboDiffusion.Client.Http;

/// <summary>
/// The client's resilience: two Polly pipelines chosen by HTTP method. Reads (GET) get a total timeout, retries of
/// transient failures honouring <c>Retry-After</c>, and an attempt timeout. Everything else (the job POST) gets one
/// long timeout and no retry at all: a POST is not idempotent, a second one would create a second job.
/// </summary>
internal static class TurboDiffusionResilience
{
    /// <summary>The pipeline for reads.</summary>
    internal const string ReadPipeline = "read";

    /// <summary>The pipeline for the job POST (and any other non-GET).</summary>
    internal const string SubmitPipeline = "submit";

    /// <summary>Chooses the pipeline by method: only GET and HEAD are safe to repeat.</summary>
    internal static string SelectPipeline(HttpRequestMessage request) => IsSafe(request.Method) ? ReadPipeline : SubmitPipeline;

    private static bool IsSafe(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;

    /// <summary>Builds the pipeline named by <see cref="ResilienceHandlerContext.InstanceName"/>.</summary>
    internal static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        var options = services.GetRequiredService<IOptions<TurboDiffusionOptions>>().Value;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;

        // All waiting goes through the app's TimeProvider, so tests drive timeouts and back-off on a fake clock.
        builder.TimeProvider = timeProvider;

        if (context.InstanceName != ReadPipeline)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Name = "submit-timeout", Timeout = options.SubmitTimeout });
            return;
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total-timeout", Timeout = options.RequestTotalTimeout });
        if (options.GetRetries > 0)
        {
            builder.AddRetry(CreateRetryOptions(options, timeProvider));
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.RequestTimeout });
    }

    private static RetryStrategyOptions<HttpResponseMessage> CreateRetryOptions(TurboDiffusionOptions options, TimeProvider timeProvider) => new()
    {
        Name = "read-retry",
        MaxRetryAttempts = options.GetRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.GetRetryDelay,
        MaxDelay = options.Polling.BackoffMax,
        ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, timeProvider.GetUtcNow(), options)),
        DelayGenerator = args => ValueTask.FromResult(RetryDelay(args.Outcome.Result, timeProvider.GetUtcNow(), options)),
    };

    /// <summary>
    /// Retry a safe request after a transient failure (network, attempt timeout, 408, 429, 5xx), unless the server
    /// asked for a wait longer than one attempt: that wait is the tracker's to honour between polls, not this call's.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, DateTimeOffset now, TurboDiffusionOptions options)
    {
        // The request is in the outcome only when there is a response; for exceptions it is in the context.
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        if (request is null || !IsSafe(request.Method)) return false;

        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        if (!IsTransient(response.StatusCode)) return false;
        var retryAfter = RetryAfterParser.Parse(response.Headers, now, options.Polling.RetryAfterMax);
        return retryAfter is null || retryAfter <= options.RequestTimeout;
    }

    /// <summary>The server's <c>Retry-After</c> when it sent one (clamped); otherwise null, so the back-off applies.</summary>
    internal static TimeSpan? RetryDelay(HttpResponseMessage? response, DateTimeOffset now, TurboDiffusionOptions options) =>
        response is null ? null : RetryAfterParser.Parse(response.Headers, now, options.Polling.RetryAfterMax);

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
