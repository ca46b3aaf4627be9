using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client.Http;

namespace TurboDiffusion.Client.Tests.Http;

/// <summary>TurboDiffusion:Profile: fixed routes, detection from /openapi.json, re-detection on a 404.</summary>
public sealed class BackendProfileTests
{
    private const string LegacyOpenApi = """{"openapi":"3.1.0","info":{"title":"Turbo-Super-Novel API","version":"0.2.0"},"paths":{"/health":{},"/v1/turbodiffusion/wan22-i2v/jobs":{},"/v1/turbodiffusion/jobs/{job_id}":{}}}""";
    private const string VideoGenOpenApi = """{"openapi":"3.1.0","info":{"title":"Turbo-Super-Novel API","version":"0.2.0"},"paths":{"/health":{},"/v1/videogen/wan22-i2v/jobs":{},"/v1/videogen/jobs/{job_id}":{},"/v1/capabilities/status":{}}}""";
    private const string Pending = """{"job_id":"j1","status":"PENDING","progress":null,"error":null,"provider_type":"local","video_url":null,"duration_seconds":null}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Answers /openapi.json from <paramref name="openApi"/> (one per detection) and job routes as <paramref name="job"/> says.</summary>
    private static (FakeHandler Handler, List<string> Seen) Backend(Func<int, string> openApi, Func<string, HttpResponseMessage> job)
    {
        var seen = new List<string>();
        var detections = 0;
        var handler = new FakeHandler((request, _, _) =>
        {
            var path = request.RequestUri!.PathAndQuery;
            lock (seen) seen.Add(path);
            return Task.FromResult(path == "/openapi.json"
                ? Responses.Json(HttpStatusCode.OK, openApi(Interlocked.Increment(ref detections) - 1))
                : job(path));
        });
        return (handler, seen);
    }

    [Fact]
    public async Task VideoGen_JobRoutes_MoveToVideoGenAndOtherRoutesStay()
    {
        var (handler, seen) = Backend(_ => throw new InvalidOperationException("a fixed profile reads no /openapi.json"),
            _ => Responses.Json(HttpStatusCode.OK, Pending));
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.VideoGen);

        await api.Api.GetJobAsync("3f1c2a9e", Ct);
        await api.Api.GetModelsAsync(Ct);
        await api.Api.GetHealthAsync(Ct);
        await api.Api.GetCapabilitiesAsync(Ct);

        Assert.Equal(["/v1/videogen/jobs/3f1c2a9e", "/v1/videogen/models", "/health", "/v1/capabilities/status"], seen);
    }

    [Fact]
    public async Task VideoGen_Post_GoesToTheVideoGenJobRouteWithEnhancePrompt()
    {
        string? form = null;
        var handler = new FakeHandler(async (request, _, ct) =>
        {
            form = request.RequestUri!.AbsolutePath + "\n" + await request.Content!.ReadAsStringAsync(ct);
            return Responses.Json(HttpStatusCode.OK, Responses.Example("create-200.json"));
        });
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.VideoGen);
        using var image = new MemoryStream([1, 2, 3]);

        await api.Api.CreateI2VJobAsync(image, "a.png", "image/png", "p", new TurboDiffusion.Client.Jobs.I2V.I2VParams { EnhancePrompt = true, DurationSeconds = 2.5 }, Ct);

        Assert.StartsWith("/v1/videogen/wan22-i2v/jobs\n", form, StringComparison.Ordinal);
        Assert.Contains("name=enhance_prompt\r\n\r\ntrue", form, StringComparison.Ordinal);
        Assert.Contains("name=duration_seconds\r\n\r\n2.5", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VideoGen_EscapedIdAndBaseUrlPath_AreKept()
    {
        var (handler, seen) = Backend(_ => "{}", _ => Responses.Json(HttpStatusCode.OK, Pending));
        using var api = TestApi.Create(handler, o => { o.Profile = BackendProfile.VideoGen; o.BaseUrl = new Uri("http://proxy.test/turbo/"); });

        await api.Api.GetJobAsync("../health", Ct);

        Assert.Equal("/turbo/v1/videogen/jobs/..%2Fhealth", Assert.Single(seen));
    }

    [Fact]
    public async Task Auto_VideoGenBackend_ReadsOpenApiOnceThenUsesVideoGen()
    {
        var (handler, seen) = Backend(_ => VideoGenOpenApi, _ => Responses.Json(HttpStatusCode.OK, Pending));
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.Auto);

        await api.Api.GetJobAsync("j1", Ct);
        await api.Api.GetJobAsync("j2", Ct);

        Assert.Equal(["/openapi.json", "/v1/videogen/jobs/j1", "/v1/videogen/jobs/j2"], seen);
        Assert.Equal(BackendProfile.VideoGen, api.Services.GetRequiredService<IBackendProfileResolver>().Current);
    }

    [Fact]
    public async Task Auto_LegacyBackend_UsesLegacyRoutes()
    {
        var (handler, seen) = Backend(_ => LegacyOpenApi, _ => Responses.Json(HttpStatusCode.OK, Responses.Example("job-pending-queued.json")));
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.Auto);

        await api.Api.GetJobAsync("j1", Ct);

        Assert.Equal(["/openapi.json", "/v1/turbodiffusion/jobs/j1"], seen);
    }

    [Fact]
    public async Task Auto_JobRouteAnswers404_DetectsAgainAndRepeatsTheGetOnTheNewRoute()
    {
        // The backend was upgraded between two polls: the legacy route is gone (its own test asserts the 404).
        var (handler, seen) = Backend(
            n => n == 0 ? LegacyOpenApi : VideoGenOpenApi,
            path => path.StartsWith("/v1/turbodiffusion/", StringComparison.Ordinal)
                ? Responses.Json(HttpStatusCode.NotFound, """{"detail":"Not Found"}""")
                : Responses.Json(HttpStatusCode.OK, Pending));
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.Auto);

        var status = await api.Api.GetJobAsync("j1", Ct);

        Assert.Equal("PENDING", status.Status);
        Assert.Equal(["/openapi.json", "/v1/turbodiffusion/jobs/j1", "/openapi.json", "/v1/videogen/jobs/j1"], seen);
    }

    [Fact]
    public async Task Auto_PostAnswers404_DetectsAgainButDoesNotRepeatTheUpload()
    {
        var (handler, seen) = Backend(
            n => n == 0 ? LegacyOpenApi : VideoGenOpenApi,
            path => path.StartsWith("/v1/turbodiffusion/", StringComparison.Ordinal)
                ? Responses.Json(HttpStatusCode.NotFound, """{"detail":"Not Found"}""")
                : Responses.Json(HttpStatusCode.OK, Responses.Example("create-200.json")));
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.Auto);
        using var image = new MemoryStream([1, 2, 3]);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() =>
            api.Api.CreateI2VJobAsync(image, "a.png", "image/png", "p", new TurboDiffusion.Client.Jobs.I2V.I2VParams(), Ct));
        using var again = new MemoryStream([1, 2, 3]);
        await api.Api.CreateI2VJobAsync(again, "a.png", "image/png", "p", new TurboDiffusion.Client.Jobs.I2V.I2VParams(), Ct);

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(["/openapi.json", "/v1/turbodiffusion/wan22-i2v/jobs", "/openapi.json", "/v1/videogen/wan22-i2v/jobs"], seen);
    }

    [Fact]
    public async Task Fixed_JobRouteAnswers404_IsNotRedetected()
    {
        var (handler, seen) = Backend(_ => VideoGenOpenApi, _ => Responses.Json(HttpStatusCode.NotFound, """{"detail":"Not Found"}"""));
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.Legacy);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetJobAsync("j1", Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(["/v1/turbodiffusion/jobs/j1"], seen);
    }

    [Fact]
    public async Task Auto_OpenApiListsNeitherApi_FailsNamingTheSetting()
    {
        var (handler, _) = Backend(_ => """{"paths":{"/health":{}}}""", _ => Responses.Json(HttpStatusCode.OK, Pending));
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.Auto);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetJobAsync("j1", Ct));

        Assert.Contains("Set TurboDiffusion:Profile to Legacy or VideoGen", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_DetectionFailed_IsNotCachedAndTheNextCallDetectsAgain()
    {
        var (handler, seen) = Backend(n => n == 0 ? "not json" : VideoGenOpenApi, _ => Responses.Json(HttpStatusCode.OK, Pending));
        using var api = TestApi.Create(handler, o => o.Profile = BackendProfile.Auto);

        await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetJobAsync("j1", Ct));
        await api.Api.GetJobAsync("j1", Ct);

        Assert.Equal(["/openapi.json", "/openapi.json", "/v1/videogen/jobs/j1"], seen);
    }

    [Theory]
    [InlineData(LegacyOpenApi, BackendProfile.Legacy)]
    [InlineData(VideoGenOpenApi, BackendProfile.VideoGen)]
    [InlineData("""{"paths":{"/v1/videogen/jobs/{job_id}":{},"/v1/turbodiffusion/jobs/{job_id}":{}}}""", BackendProfile.Legacy)]
    [InlineData("""{"paths":{}}""", null)]
    [InlineData("""[1]""", null)]
    public void FromOpenApi_Paths_ImplyTheProfile(string json, BackendProfile? expected)
    {
        Assert.Equal(expected, BackendProfileResolver.FromOpenApi(json));
    }

    [Fact]
    public void Start_ProfileNotAName_FailsNamingTheKey()
    {
        var services = new ServiceCollection();
        services.AddTurboDiffusionClient(new ConfigurationBuilder().AddInMemoryCollection(
            [KeyValuePair.Create("TurboDiffusion:BaseUrl", (string?)"http://h/"), KeyValuePair.Create("TurboDiffusion:Profile", (string?)"Newest")]).Build());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("TurboDiffusion:Profile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ProfileOutOfRange_FailsNamingTheKey()
    {
        var services = new ServiceCollection();
        services.AddTurboDiffusionClient(configure: o => { o.BaseUrl = new Uri("http://h/"); o.Profile = (BackendProfile)7; });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("TurboDiffusion:Profile must be Auto, Legacy or VideoGen; got 7.", error.Failures);
    }

    [Fact]
    public void Options_Default_IsAuto()
    {
        Assert.Equal(BackendProfile.Auto, new TurboDiffusionOptions().Profile);
    }
}
