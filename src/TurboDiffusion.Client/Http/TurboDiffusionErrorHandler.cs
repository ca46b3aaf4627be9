using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Client.Http;

/// <summary>
/// The outermost handler of the client's pipeline (outside the resilience handler, so it sees the final outcome
/// after retries): turns non-success answers and transport failures into <see cref="TurboDiffusionApiException"/>.
/// A cancellation by the caller passes through unchanged.
/// </summary>
internal sealed class TurboDiffusionErrorHandler(
    IOptionsMonitor<TurboDiffusionOptions> options,
    TimeProvider timeProvider,
    ILogger<TurboDiffusionErrorHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrorMapper.FromTransport(e, settings.BaseUrl, cancellationToken.IsCancellationRequested) is { } mapped)
        {
            logger.LogWarning(e, "{Method} {Path} failed: {Message}", request.Method, request.RequestUri?.AbsolutePath, mapped.Message);
            throw mapped;
        }

        if (response.IsSuccessStatusCode) return response;

        using (response)
        {
            var mapped = await ApiErrorMapper.FromResponseAsync(response, timeProvider, settings.Polling.RetryAfterMax,
                settings.RequestTimeout, cancellationToken).ConfigureAwait(false);
            logger.LogWarning("{Method} {Path} answered {Status}: {Message}",
                request.Method, request.RequestUri?.AbsolutePath, (int)response.StatusCode, mapped.Message);
            throw mapped;
        }
    }
}
