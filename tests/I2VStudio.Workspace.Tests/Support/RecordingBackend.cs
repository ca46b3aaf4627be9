using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Client;

namespace I2VStudio.Workspace.Tests.Support;

/// <summary>The backend as the client's primary HTTP handler: records the form fields of every job POST and answers it
/// with a job id (<c>{jobPrefix}-1</c>, …); a job's status reads PENDING (the VideoGen shape) until <see cref="Succeed"/>.
/// Installed with <see cref="Install"/>.</summary>
public sealed class RecordingBackend(string jobPrefix = "job") : HttpMessageHandler
{
    private readonly Channel<RecordedPost> _posts = Channel.CreateUnbounded<RecordedPost>();
    private readonly ConcurrentDictionary<string, bool> _succeeded = new(StringComparer.Ordinal);
    private int _jobs;

    /// <summary>Every job POST so far, in order.</summary>
    public ConcurrentQueue<RecordedPost> Posts { get; } = new();

    /// <summary>The job ids of every status GET so far, in order.</summary>
    public ConcurrentQueue<string> Polls { get; } = new();

    /// <summary>From now on the job's status reads SUCCESS, with a video link (<c>http://127.0.0.1:9/outputs/{id}.mp4</c>).</summary>
    public void Succeed(string jobId) => _succeeded[jobId] = true;

    /// <summary>Whether <c>/v1/capabilities/status</c> says the LLM (prompt enhancement) is available.</summary>
    public bool LlmAvailable { get; set; } = true;

    /// <summary>Uses this backend for the workspace's client, speaking <paramref name="profile"/>.</summary>
    public void Install(IServiceCollection services, BackendProfile profile)
    {
        services.Configure<TurboDiffusion.Client.TurboDiffusionOptions>(o => o.Profile = profile);
        services.AddHttpClient(TurboDiffusionServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => this);
    }

    /// <summary>Waits for the next job POST.</summary>
    public async Task<RecordedPost> NextPostAsync(CancellationToken cancellationToken) =>
        await _posts.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method == HttpMethod.Post && path.EndsWith("/wan22-i2v/jobs", StringComparison.Ordinal))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var part in (MultipartFormDataContent)request.Content!)
            {
                var name = part.Headers.ContentDisposition?.Name?.Trim('"') ?? "";
                if (part.Headers.ContentDisposition?.FileName is null) fields[name] = await part.ReadAsStringAsync(cancellationToken);
            }
            var post = new RecordedPost(path, fields);
            Posts.Enqueue(post);
            await _posts.Writer.WriteAsync(post, cancellationToken);
            var id = $"{jobPrefix}-{Interlocked.Increment(ref _jobs)}";
            return Json($$$"""{"job_id":"{{{id}}}","status":"submitted","input":{"bucket":"b","key":"k"},"output":{"bucket":"b","key":"o"},"db":{"persisted":true,"error":null}}""");
        }
        if (request.Method == HttpMethod.Get && path == "/v1/capabilities/status")
        {
            var llm = LlmAvailable ? "available" : "unavailable";
            return Json($$$$"""{"capabilities":{"videogen":{"provider":"local","status":"available"},"llm":{"provider":"local","status":"{{{{llm}}}}"}}}""");
        }
        if (request.Method == HttpMethod.Get && path.Contains("/jobs/", StringComparison.Ordinal))
        {
            var id = path[(path.LastIndexOf('/') + 1)..];
            Polls.Enqueue(id);
            if (_succeeded.ContainsKey(id))
            {
                return Json($$"""{"job_id":"{{id}}","status":"SUCCESS","progress":null,"error":null,"provider_type":"local","video_url":"http://127.0.0.1:9/outputs/{{id}}.mp4","duration_seconds":5.0}""");
            }
            return Json($$"""{"job_id":"{{id}}","status":"PENDING","progress":null,"error":null,"provider_type":"local","video_url":null,"duration_seconds":null}""");
        }
        return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"detail":"Not Found"}""", Encoding.UTF8, "application/json") };
    }

    private static HttpResponseMessage Json(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}

/// <summary>One job POST: its path and its form fields (the image left out).</summary>
public sealed record RecordedPost(string Path, IReadOnlyDictionary<string, string> Fields);
