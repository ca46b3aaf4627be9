using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using I2VStudio.Packaging.Tests.Infrastructure;
using I2VStudio.Testing;
using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client;
using Yarp.ReverseProxy.Configuration;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.Packaging.Tests;

/// <summary>The sample host with <c>I2VStudio:RenderMode=WebAssembly</c>, shared by the tests of this class.</summary>
public sealed class WebAssemblyHostFixture : IAsyncLifetime
{
    public StudioHost Host { get; private set; } = default!;

    public async ValueTask InitializeAsync() => Host = await StudioHost.StartAsync("WebAssembly", Xunit.TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// The studio running in the browser: the same components, the tracker and the stores in WebAssembly, API calls to the
/// page's own origin, which the host forwards to the backend (YARP), and downloads through the host's job route.
/// </summary>
public sealed class WebAssemblyModeTests(BrowserFixture browser, WebAssemblyHostFixture fixture) : IClassFixture<WebAssemblyHostFixture>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private StudioHost Host => fixture.Host;

    [Fact(Timeout = 180_000)]
    public async Task WebAssembly_HappyPath_JobRunsInBrowserThroughSameOriginProxyAndDownloads()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var watch = Stopwatch.StartNew();
        await using var ui = await StudioUi.OpenContextAsync(browser.Browser, Host.BaseUri);
        try
        {
            await ui.OpenAsync();
            Timings.Record("WebAssembly: studio interactive after navigation", watch.Elapsed);
            await ui.PickPngAsync("lighthouse.png", 320, 192);
            var card = await ui.GenerateAsync("A lighthouse at dusk, waves rolling in");
            await Expect(card.Locator("[data-kind=celery]")).ToHaveAttributeAsync("data-state", "SUCCESS", new() { Timeout = 60_000 });
            var src = await ui.WaitForPlayableVideoAsync();

            // It ran in the browser: no circuit, and the page itself posted the job and polled it on its own origin.
            var origin = Host.BaseUri.GetLeftPart(UriPartial.Authority);
            Assert.DoesNotContain(ui.WebSockets, url => url.Contains("/_blazor", StringComparison.Ordinal));
            Assert.Contains($"POST {origin}/v1/videogen/wan22-i2v/jobs", ui.Requests);
            Assert.Contains(ui.Requests, r => r.StartsWith($"GET {origin}/v1/videogen/jobs/", StringComparison.Ordinal));
            // Never the backend directly (the spec prefers same-origin to CORS); the video plays from storage.
            var backend = Host.Emulator.ApiBaseUri.GetLeftPart(UriPartial.Authority);
            Assert.DoesNotContain(ui.Requests, r => r.Contains(backend, StringComparison.Ordinal));
            Assert.StartsWith(Host.Emulator.StorageBaseUri.GetLeftPart(UriPartial.Authority), src, StringComparison.Ordinal);

            // Download: the browser has no ticket store on the host, so the link names the job; the host asks the
            // backend for the video's URL itself.
            var download = await ui.Page.RunAndWaitForDownloadAsync(() =>
                ui.Result.GetByRole(AriaRole.Button, new() { Name = "Download", Exact = true }).ClickAsync());
            Assert.Matches(@"^i2v_\d{4}-\d{2}-\d{2}_\d{4}_seed\d+_4steps\.mp4$", download.SuggestedFilename);
            Assert.Null(await download.FailureAsync());
            Assert.Contains("/_i2v/download/job/", download.Url, StringComparison.Ordinal);
            var head = new byte[12];
            await using (var file = File.OpenRead(await download.PathAsync()))
            {
                await file.ReadExactlyAsync(head, ct);
            }

            Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(head, 4, 4));
            Timings.Record("WebAssembly: happy path including download", watch.Elapsed);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            await ui.ScreenshotAsync(nameof(WebAssembly_HappyPath_JobRunsInBrowserThroughSameOriginProxyAndDownloads));
            throw new InvalidOperationException($"{e.Message}\n--- browser console ---\n{ui.ConsoleText}", e);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task WebAssembly_Generate_TheBrowserPostsTheImageAsOneMultipartFormThroughTheProxy()
    {
        await using var ui = await StudioUi.OpenContextAsync(browser.Browser, Host.BaseUri);
        var posts = new List<IRequest>();
        ui.Page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/jobs", StringComparison.Ordinal)) lock (posts) posts.Add(request);
        };
        try
        {
            await ui.OpenAsync();
            await ui.PickPngAsync("harbour.png", 320, 192);
            var card = await ui.GenerateAsync("A harbour at dawn, gulls circling");
            await Expect(card.Locator("[data-kind=celery]")).ToHaveAttributeAsync("data-state", "SUCCESS", new() { Timeout = 60_000 });

            // One request, to the page's own origin, which the host forwards to the backend.
            var post = Assert.Single(posts);
            Assert.Equal($"{Host.BaseUri.GetLeftPart(UriPartial.Authority)}/v1/videogen/wan22-i2v/jobs", post.Url);
            // Chromium built the form (its FormData boundary), not .NET's MultipartFormDataContent (a GUID boundary):
            // the image went from IndexedDB to the network without crossing into WebAssembly. The whole image arrived
            // (the file name's suffix, the bytes).
            var contentType = (await post.AllHeadersAsync())["content-type"];
            Assert.StartsWith("multipart/form-data; boundary=----WebKitFormBoundary", contentType, StringComparison.Ordinal);
            // Chromium shows no body for a form with a Blob part (nor, so, does Playwright): the backend's copy shows it.
            var reply = await (await post.ResponseAsync())!.JsonAsync();
            var jobId = reply!.Value.GetProperty("job_id").GetString()!;
            var input = reply.Value.GetProperty("input").GetProperty("key").GetString()!;
            Assert.EndsWith(jobId + ".png", input, StringComparison.Ordinal);
            var stored = Directory.EnumerateFiles(Host.Emulator.DataDirectory, "*", SearchOption.AllDirectories)
                .Single(f => f.Replace('\\', '/').EndsWith(input, StringComparison.Ordinal));
            Assert.Equal(Pngs.Gradient(320, 192), await File.ReadAllBytesAsync(stored, Xunit.TestContext.Current.CancellationToken));
            await ui.WaitForPlayableVideoAsync();
            Xunit.TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            await ui.ScreenshotAsync(nameof(WebAssembly_Generate_TheBrowserPostsTheImageAsOneMultipartFormThroughTheProxy));
            List<IRequest> snapshot;
            lock (posts) snapshot = [.. posts];
            var seen = string.Join("\n", snapshot.Select(p => $"{p.Url} {p.Headers.GetValueOrDefault("content-type")} {p.PostData?.Length}: {p.PostData?[..Math.Min(p.PostData.Length, 600)]}"));
            throw new InvalidOperationException($"{e.Message}\n--- job POSTs ---\n{seen}\n--- browser console ---\n{ui.ConsoleText}", e);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task WebAssembly_ChineseBrowser_StudioSpeaksChineseInTheBrowser()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        await using var ui = await StudioUi.OpenContextAsync(browser.Browser, Host.BaseUri, locale: "zh-CN");

        await ui.OpenAsync();

        // Rendered by the WebAssembly runtime (interactive, no circuit), which started in the server's chosen culture
        // and loaded its zh-CN resources.
        Assert.DoesNotContain(ui.WebSockets, url => url.Contains("/_blazor", StringComparison.Ordinal));
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "生成视频" })).ToBeVisibleAsync();
        Assert.Equal("zh-CN", await ui.Page.EvaluateAsync<string>("() => document.documentElement.lang"));
        ct.ThrowIfCancellationRequested();
    }

    [Fact]
    public async Task Proxy_UploadAtTheImageCap_ReachesTheBackend()
    {
        using var http = Http();
        using var form = JobForm(imageBytes: 20 * 1024 * 1024);

        using var response = await http.PostAsync("/v1/videogen/wan22-i2v/jobs", form, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"job_id\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_UploadOverTheCapAndForm_Refused413()
    {
        // HttpClient waits only 1 s for the answer to "Expect: 100-continue" before it sends the body anyway; on a loaded
        // machine the refusal came later, the body met a closed connection and the test saw a broken pipe.
        using var http = Http(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) });
        using var form = JobForm(imageBytes: 20 * 1024 * 1024 + 1024 * 1024 + 1);
        // As a browser may: ask before sending, so the refusal arrives as an answer rather than a broken upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videogen/wan22-i2v/jobs") { Content = form };
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public void Proxy_Timeouts_OutlastTheClientsSubmitTimeout()
    {
        var proxy = Host.Services.GetRequiredService<IProxyConfigProvider>().GetConfig();
        var client = Host.Services.GetRequiredService<IOptions<TurboDiffusionOptions>>().Value;

        var cluster = Assert.Single(proxy.Clusters);
        Assert.NotNull(cluster.HttpRequest?.ActivityTimeout);
        Assert.True(cluster.HttpRequest.ActivityTimeout > client.SubmitTimeout, $"{cluster.HttpRequest.ActivityTimeout} ≤ {client.SubmitTimeout}");
        Assert.True(cluster.HttpRequest.ActivityTimeout > client.RequestTotalTimeout);
    }

    [Fact]
    public async Task Proxy_SlowBackend_AnswerWaitedFor()
    {
        using var http = Http();
        Host.Emulator.Faults.Update(f => f with { ExtraLatency = TimeSpan.FromSeconds(3) });
        try
        {
            using var response = await http.GetAsync("/v1/videogen/models", Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            Host.Emulator.Faults.Reset();
        }
    }

    [Fact]
    public async Task ClientConfig_Served_CarriesCapsButNotTheBackendAddress()
    {
        using var http = Http();

        var settings = await http.GetFromJsonAsync<Dictionary<string, string?>>("/_i2v/client-config", Ct);

        Assert.NotNull(settings);
        Assert.DoesNotContain(settings.Keys, k => k.Contains("BaseUrl", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(settings.Keys, k => k.Contains("AllowedDownloadOrigins", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(settings.Keys, k => k.Contains("RenderMode", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("20971520", settings["I2VStudio:Images:MaxBytes"]);
    }

    [Fact]
    public async Task Proxy_Health_ForwardedToBackend()
    {
        using var http = Http();

        var health = await http.GetStringAsync("/health", Ct);

        Assert.Contains("\"ok\"", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobDownload_NotAJobId_Refused()
    {
        using var http = Http();

        using var response = await http.GetAsync("/_i2v/download/job/a%20b/x.mp4", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task JobDownload_JobWithoutVideo_NotFoundWithReason()
    {
        using var http = Http();

        using var response = await http.GetAsync("/_i2v/download/job/0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11/x.mp4", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no video for this job", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private HttpClient Http(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler()) { BaseAddress = Host.BaseUri, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>A job form as the studio posts it, with an image of <paramref name="imageBytes"/> bytes (PNG signature, then zeros).</summary>
    private static MultipartFormDataContent JobForm(int imageBytes)
    {
        var image = new byte[imageBytes];
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(image, 0);
        var form = new MultipartFormDataContent
        {
            { new StringContent("A big upload"), "prompt" },
            { new StringContent("1"), "num_steps" },
        };
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "big.png");
        return form;
    }
}
