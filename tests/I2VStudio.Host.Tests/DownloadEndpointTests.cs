using System.Net;
using I2VStudio.Components.Browser;
using I2VStudio.Host.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace I2VStudio.Host.Tests;

/// <summary>
/// The download endpoint against a stand-in backend (a "real" backend, not the emulator, with no allowed origins
/// configured), its object store, and a server standing for cloud metadata that must never be called.
/// </summary>
public sealed class DownloadEndpointTests : IAsyncLifetime
{
    private const string JobId = "0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11";
    private static readonly byte[] Video = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', 1, 2, 3];

    private FakeServer _backend = default!;
    private FakeServer _storage = default!;
    private FakeServer _metadata = default!;
    private TestHost _host = default!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _backend = await FakeServer.StartAsync(Ct);
        _storage = await FakeServer.StartAsync(Ct);
        _metadata = await FakeServer.StartAsync(Ct);
        _storage.Handler = context =>
        {
            context.Response.ContentType = "video/mp4";
            return context.Response.Body.WriteAsync(Video, context.RequestAborted).AsTask();
        };
        _metadata.Handler = context => context.Response.WriteAsync("ami-id\ninstance-id\niam/", context.RequestAborted);
        AnswerOutputUrl(_storage.Url("turbo-super-novel/turbodiffusion/outputs/x.mp4?X-Amz-Signature=abc"));
        _host = TestHost.ForBackend(_backend.BaseUri);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _backend.DisposeAsync();
        await _storage.DisposeAsync();
        await _metadata.DisposeAsync();
    }

    /// <summary>The backend's status answer for every job: SUCCESS with <paramref name="outputUrl"/>.</summary>
    private void AnswerOutputUrl(string outputUrl) => AnswerJobs(context =>
        context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["job_id"] = JobId,
            ["status"] = "SUCCESS",
            ["db"] = new Dictionary<string, object?> { ["status"] = "SUCCEEDED" },
            ["result"] = new Dictionary<string, object?> { ["output_bucket"] = "turbo-super-novel", ["output_key"] = "x.mp4" },
            ["output_url"] = outputUrl,
        }, context.RequestAborted));

    /// <summary>
    /// Serves <c>/openapi.json</c> naming the <paramref name="jobPath"/> route (the client's Auto profile reads it
    /// once) and answers every other request with <paramref name="jobAnswer"/>.
    /// </summary>
    private void AnswerJobs(RequestDelegate jobAnswer, string jobPath = "/v1/turbodiffusion/jobs/{job_id}") => _backend.Handler = context =>
        context.Request.Path == "/openapi.json"
            ? context.Response.WriteAsync("""{"openapi":"3.1.0","info":{"version":"0.2.0"},"paths":{""" + $"\"{jobPath}\":{{}}}}}}", context.RequestAborted)
            : jobAnswer(context);

    private string IssueTicket(string jobId = JobId) =>
        _host.Services.GetRequiredService<IDownloadTickets>().Issue(new DownloadTicket(jobId, "i2v_2026-11-28_1432_seed42_4steps.mp4"));

    [Fact]
    public async Task TicketRoute_JobTicket_StreamsTheVideoTheBackendNamesNow()
    {
        using var client = _host.Client();

        using var response = await client.GetAsync("_i2v/download/" + IssueTicket(), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Video, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("i2v_2026-11-28_1432_seed42_4steps.mp4", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        Assert.Contains(_backend.Requests, r => r.Target == "/v1/turbodiffusion/jobs/" + JobId);
    }

    [Fact]
    public async Task TicketRoute_UnknownTicket_404AndNothingFetched()
    {
        using var client = _host.Client();

        using var response = await client.GetAsync("_i2v/download/0123456789abcdef0123456789abcdef", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_backend.Requests);
        Assert.Empty(_storage.Requests);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Download_LiveAnswerWithCredentialsInUrl_403AndNothingFetched(bool byTicket)
    {
        AnswerOutputUrl(_metadata.Url("latest/meta-data/").Replace("http://", "http://admin:pw@", StringComparison.Ordinal));
        using var client = _host.Client();

        using var response = await client.GetAsync(byTicket ? "_i2v/download/" + IssueTicket() : $"_i2v/download/job/{JobId}/a.mp4", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_metadata.Requests);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:6379/_FLUSHALL")]
    [InlineData("/latest/meta-data/")]
    public async Task Download_LiveAnswerNotHttp_403(string outputUrl)
    {
        AnswerOutputUrl(outputUrl);
        using var client = _host.Client();

        using var response = await client.GetAsync("_i2v/download/" + IssueTicket(), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Download_StorageRedirectsElsewhere_502AndTheRedirectIsNotFollowed()
    {
        _storage.Handler = context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = _metadata.Url("latest/meta-data/iam/security-credentials/");
            return Task.CompletedTask;
        };
        using var client = _host.Client();

        using var response = await client.GetAsync("_i2v/download/" + IssueTicket(), Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("redirect", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Single(_storage.Requests);
        Assert.Empty(_metadata.Requests);
    }

    [Fact]
    public async Task JobRoute_NotAJobId_400AndBackendNotAsked()
    {
        using var client = _host.Client();

        using var response = await client.GetAsync("_i2v/download/job/..%2F..%2F_emulator%2Fstatus/a.mp4", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_backend.Requests);
    }

    [Fact]
    public async Task JobRoute_BackendHasNoVideo_404()
    {
        AnswerJobs(context => context.Response.WriteAsJsonAsync(new { job_id = JobId, status = "PENDING" }, context.RequestAborted));
        using var client = _host.Client();

        using var response = await client.GetAsync($"_i2v/download/job/{JobId}/a.mp4", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_storage.Requests);
    }

    [Fact]
    public async Task TicketRoute_VideoGenBackend_StreamsTheVideoUrlOfTheLiveAnswer()
    {
        AnswerJobs(context => context.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["job_id"] = JobId,
            ["status"] = "SUCCESS",
            ["video_url"] = _storage.Url("videos/x.mp4?X-Amz-Signature=abc"),
            ["duration_seconds"] = 5.0,
            ["provider_type"] = "local",
            ["progress"] = 1.0,
            ["error"] = null,
        }, context.RequestAborted), jobPath: "/v1/videogen/jobs/{job_id}");
        using var client = _host.Client();

        using var response = await client.GetAsync("_i2v/download/" + IssueTicket(), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Video, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains(("GET", "/v1/videogen/jobs/" + JobId), _backend.Requests);
    }
}
