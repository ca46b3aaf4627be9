namespace TurboDiffusion.Client.Http;

/// <summary>
/// Sits inside the resilience handler and reads a successful GET's body before the attempt ends, so the attempt
/// timeout covers a server that sends headers and then stalls, and a body cut off mid-way is a retried failure
/// rather than a hang or a parse error later. Status payloads are small; the cap only guards against a runaway body.
/// </summary>
internal sealed class ReadBodyWithinAttemptHandler : DelegatingHandler
{
    /// <summary>The largest GET body accepted (the biggest real payload, models, is a few KB).</summary>
    internal const long MaxBodyBytes = 4 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || TurboDiffusionResilience.SelectPipeline(request) != TurboDiffusionResilience.ReadPipeline)
        {
            return response;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(MaxBodyBytes, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
