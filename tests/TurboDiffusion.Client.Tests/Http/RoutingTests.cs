using System.Net;

namespace TurboDiffusion.Client.Tests.Http;

/// <summary>The routes of the profile, as they reach the wire.</summary>
public sealed class RoutingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (FakeHandler Handler, List<Uri> Seen) Recording(string json)
    {
        var seen = new List<Uri>();
        var handler = new FakeHandler((request, _, _) =>
        {
            lock (seen) seen.Add(request.RequestUri!);
            return Task.FromResult(Responses.Json(HttpStatusCode.OK, json));
        });
        return (handler, seen);
    }

    [Fact]
    public async Task Gets_EachRoute_HitsItsPath()
    {
        var (handler, seen) = Recording("""{"status": "ok"}""");
        using var api = TestApi.Create(handler);

        await api.Api.GetJobAsync("3f1c2a9e", Ct);
        await api.Api.GetModelsAsync(Ct);
        await api.Api.GetHealthAsync(Ct);
        await api.Api.GetPathsAsync(Ct);

        Assert.Equal(
            ["http://backend.test:8000/v1/turbodiffusion/jobs/3f1c2a9e", "http://backend.test:8000/v1/turbodiffusion/models",
             "http://backend.test:8000/health", "http://backend.test:8000/paths"],
            seen.Select(u => u.ToString()));
    }

    [Fact]
    public async Task GetJob_IdWithSlash_IsEscapedInOneSegment()
    {
        var (handler, seen) = Recording("""{"status": "PENDING"}""");
        using var api = TestApi.Create(handler);

        await api.Api.GetJobAsync("../health", Ct);

        Assert.Equal("/v1/turbodiffusion/jobs/..%2Fhealth", Assert.Single(seen).AbsolutePath);
    }

    [Fact]
    public async Task Get_BaseUrlWithAPath_KeepsThePathPrefix()
    {
        var (handler, seen) = Recording("""{"status": "PENDING"}""");
        using var api = TestApi.Create(handler, o => o.BaseUrl = new Uri("http://proxy.test/turbo/"));

        await api.Api.GetJobAsync("j1", Ct);

        Assert.Equal("http://proxy.test/turbo/v1/turbodiffusion/jobs/j1", Assert.Single(seen).ToString());
    }
}
