using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>The storage origin: presigned URLs, range requests, and S3's refusals.</summary>
public class StorageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OutputUrl_OfFinishedJob_PointsAtStorageOriginOnAnotherPort()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var url = await FinishedJobUrlAsync(emulator);

        Assert.Equal(emulator.Emulator.StorageBaseUri.Authority, url.Authority);
        Assert.NotEqual(emulator.Emulator.ApiBaseUri.Port, url.Port);
        Assert.StartsWith("/turbo-super-novel/turbodiffusion/outputs/", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Matches(
            @"^\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=emulator%2F\d{8}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=\d{8}T\d{6}Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$",
            url.Query);
    }

    [Fact]
    public async Task OutputUrl_Get_ServesVideoMp4WithAcceptRanges()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var url = await FinishedJobUrlAsync(emulator);
        using var storage = new HttpClient();

        using var response = await storage.GetAsync(url, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.True(response.Content.Headers.ContentLength > 1000);
    }

    [Fact]
    public async Task OutputUrl_RangeRequest_Returns206WithTheRange()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var url = await FinishedJobUrlAsync(emulator);
        using var storage = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await storage.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(100, response.Content.Headers.ContentRange?.From);
        Assert.Equal(199, response.Content.Headers.ContentRange?.To);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync(Cancel)).Length);
    }

    [Fact]
    public async Task OutputUrl_Head_AnswersLengthWithoutBody()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var url = await FinishedJobUrlAsync(emulator);
        using var storage = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, url);

        using var response = await storage.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 1000);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task OutputUrl_SignatureChanged_Returns403SignatureDoesNotMatchXml()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var url = await FinishedJobUrlAsync(emulator);
        var tampered = new Uri(url.ToString()[..^4] + "beef");

        var (status, contentType, error) = await GetErrorAsync(tampered);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/xml", contentType);
        Assert.Equal("SignatureDoesNotMatch", error.Element("Code")?.Value);
    }

    [Fact]
    public async Task OutputUrl_ExpiryChanged_Returns403SignatureDoesNotMatch()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var url = await FinishedJobUrlAsync(emulator);
        var tampered = new Uri(url.ToString().Replace("X-Amz-Expires=3600", "X-Amz-Expires=999999", StringComparison.Ordinal));

        var (status, _, error) = await GetErrorAsync(tampered);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("SignatureDoesNotMatch", error.Element("Code")?.Value);
    }

    [Fact]
    public async Task OutputUrl_OtherObjectsKey_Returns403()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var url = await FinishedJobUrlAsync(emulator);
        var other = new UriBuilder(url) { Path = "/turbo-super-novel/turbodiffusion/outputs/" + Guid.NewGuid() + ".mp4" }.Uri;

        var (status, _, error) = await GetErrorAsync(other);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("SignatureDoesNotMatch", error.Element("Code")?.Value);
    }

    [Fact]
    public async Task OutputUrl_AfterItsLifetime_Returns403AccessDeniedRequestHasExpired()
    {
        var clock = new FakeTimeProvider();
        await using var emulator = await TestEmulator.StartAsync(configure: null, clock, dataDirectory: null);
        var url = await FinishedJobUrlAsync(emulator);
        clock.Advance(TimeSpan.FromSeconds(3601));

        var (status, contentType, error) = await GetErrorAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/xml", contentType);
        Assert.Equal("AccessDenied", error.Element("Code")?.Value);
        Assert.Equal("Request has expired", error.Element("Message")?.Value);
    }

    [Fact]
    public async Task OutputUrl_JustBeforeItsEnd_StillServes()
    {
        var clock = new FakeTimeProvider();
        await using var emulator = await TestEmulator.StartAsync(configure: null, clock, dataDirectory: null);
        var url = await FinishedJobUrlAsync(emulator);
        clock.Advance(TimeSpan.FromSeconds(3600));
        using var storage = new HttpClient();

        using var response = await storage.GetAsync(url, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OutputUrl_EachGet_MintsAFreshUrl()
    {
        var clock = new FakeTimeProvider();
        await using var emulator = await TestEmulator.StartAsync(configure: null, clock, dataDirectory: null);
        var first = await FinishedJobUrlAsync(emulator);
        clock.Advance(TimeSpan.FromMinutes(30));
        var jobId = Path.GetFileNameWithoutExtension(first.AbsolutePath);

        var second = new Uri((await emulator.GetJobAsync(jobId)).GetProperty("output_url").GetString()!);

        Assert.NotEqual(first, second);
        clock.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetErrorAsync(first)).Status);
        using var storage = new HttpClient();
        using var response = await storage.GetAsync(second, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OutputUrl_Lifetime_ReflectsUrlLifetimeOption()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.UrlLifetime = TimeSpan.FromSeconds(120));

        var url = await FinishedJobUrlAsync(emulator);

        Assert.Contains("&X-Amz-Expires=120&", url.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Object_WithoutSignature_Returns403AccessDenied()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var url = await FinishedJobUrlAsync(emulator);

        var (status, _, error) = await GetErrorAsync(new UriBuilder(url) { Query = "" }.Uri);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("AccessDenied", error.Element("Code")?.Value);
    }

    [Fact]
    public async Task OutputUrl_CrossOriginGet_EchoesOriginLikeMinio()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var url = await FinishedJobUrlAsync(emulator);
        using var storage = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", "http://127.0.0.1:5080");

        using var response = await storage.SendAsync(request, Cancel);

        Assert.Equal(["http://127.0.0.1:5080"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Api_AnyResponse_SendsNoCorsHeaders()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, Routes.Health);
        request.Headers.Add("Origin", "http://127.0.0.1:5080");

        using var response = await emulator.Http.SendAsync(request, Cancel);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<Uri> FinishedJobUrlAsync(TestEmulator emulator)
    {
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);
        var job = await emulator.GetJobAsync(jobId);
        return new Uri(job.GetProperty("output_url").GetString()!);
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, XElement Error)> GetErrorAsync(Uri url)
    {
        using var storage = new HttpClient();
        using var response = await storage.GetAsync(url, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", body, StringComparison.Ordinal);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, XDocument.Parse(body).Root!);
    }
}
