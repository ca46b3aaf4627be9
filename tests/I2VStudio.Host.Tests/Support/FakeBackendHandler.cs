using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace I2VStudio.Host.Tests.Support;

/// <summary>The backend behind the studio's HTTP client (its primary handler): answers the capabilities read and the
/// job routes of either API, records the form fields of every job POST, and can play the VideoGen LLM's 503.</summary>
internal sealed class FakeBackendHandler : HttpMessageHandler
{
    private int _jobs;

    /// <summary>What <c>/v1/capabilities/status</c> says about the LLM.</summary>
    public bool LlmAvailable { get; set; } = true;

    /// <summary>A POST with <c>enhance_prompt=true</c> answers 503 "LLM prompt enhancement unavailable: …" (the emulator's fault).</summary>
    public bool LlmFails { get; set; }

    /// <summary>Every job POST answers 500 (a backend fault that a second try may not meet).</summary>
    public bool PostsFail { get; set; }

    /// <summary>The form fields (the image left out) of every job POST, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Posts { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Get && path == "/v1/capabilities/status")
        {
            var llm = LlmAvailable ? "available" : "unavailable";
            return Json(HttpStatusCode.OK, """{"capabilities":{"videogen":{"provider":"local","status":"available"},"llm":{"provider":"fake","status":""" + $"\"{llm}\"" + "}}}");
        }
        if (request.Method == HttpMethod.Post && path.EndsWith("/wan22-i2v/jobs", StringComparison.Ordinal))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var part in (MultipartFormDataContent)request.Content!)
            {
                var name = part.Headers.ContentDisposition?.Name?.Trim('"') ?? "";
                if (part.Headers.ContentDisposition?.FileName is null) fields[name] = await part.ReadAsStringAsync(cancellationToken);
            }
            Posts.Enqueue(fields);
            if (LlmFails && fields.GetValueOrDefault("enhance_prompt") == "true")
                return Json(HttpStatusCode.ServiceUnavailable, """{"detail":"LLM prompt enhancement unavailable: the fake LLM is down"}""");
            if (PostsFail) return Json(HttpStatusCode.InternalServerError, """{"detail":"Failed to submit Celery task: broker unreachable"}""");
            var id = $"job-{Interlocked.Increment(ref _jobs)}";
            return Json(HttpStatusCode.OK, $$$"""{"job_id":"{{{id}}}","status":"submitted","input":{"bucket":"b","key":"k"},"output":{"bucket":"b","key":"o"},"db":{"persisted":true,"error":null}}""");
        }
        if (request.Method == HttpMethod.Get && path.Contains("/jobs/", StringComparison.Ordinal))
        {
            var id = path[(path.LastIndexOf('/') + 1)..];
            return Json(HttpStatusCode.OK, $$"""{"job_id":"{{id}}","status":"PENDING","progress":null,"error":null,"provider_type":"local","video_url":null,"duration_seconds":null}""");
        }
        return Json(HttpStatusCode.NotFound, """{"detail":"Not Found"}""");
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
