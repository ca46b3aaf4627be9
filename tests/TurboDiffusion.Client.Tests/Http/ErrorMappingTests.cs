using System.Net;
using System.Net.Sockets;
using System.Text;
using Refit;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Tests.Http;

/// <summary>Every failure reaches the caller as one <see cref="TurboDiffusionApiException"/> with a readable message.</summary>
public sealed class ErrorMappingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Posts a tiny form through the real client.</summary>
    private static async Task PostForm(TestApi api)
    {
        using var image = new MemoryStream([1, 2, 3]);
        await api.Api.CreateI2VJobAsync(new StreamPart(image, "a.png", "image/png"), "p", "0", "4", "true", null, null, Ct);
    }

    private static async Task<TurboDiffusionApiException> PostFails(HttpMessageHandler handler, Action<TurboDiffusionOptions>? configure = null)
    {
        using var api = TestApi.Create(handler, configure);
        return await Assert.ThrowsAsync<TurboDiffusionApiException>(() => PostForm(api));
    }

    private static async Task<TurboDiffusionApiException> GetFails(HttpMessageHandler? handler, Action<TurboDiffusionOptions>? configure = null)
    {
        using var api = TestApi.Create(handler, configure);
        return await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetJobAsync("j1", Ct));
    }

    [Fact]
    public async Task Post422_DetailAsString_IsTheMessageAndShownAtTheFieldItNames()
    {
        var error = await PostFails(FakeHandler.Always(() => Responses.Json(HttpStatusCode.UnprocessableEntity,
            """{"detail": "duration_seconds is too small: 0.01 s gives 0 frames at 16 fps"}""")));

        Assert.Equal(ApiFailureKind.Validation, error.Kind);
        Assert.Equal("duration_seconds is too small: 0.01 s gives 0 frames at 16 fps", error.Message);
        Assert.Equal([new FieldProblem("duration_seconds", "duration_seconds is too small: 0.01 s gives 0 frames at 16 fps")], error.FieldProblems);
    }

    [Fact]
    public async Task Post422_DetailArray_ListsEveryFieldInTheMessage()
    {
        var error = await PostFails(FakeHandler.Always(() => Responses.Json(HttpStatusCode.UnprocessableEntity, """
            {"detail": [{"type": "missing", "loc": ["body", "prompt"], "msg": "Field required", "input": null},
                        {"type": "int_parsing", "loc": ["body", "num_steps"], "msg": "Input should be a valid integer", "input": "x"},
                        {"type": "value_error", "loc": ["body", "items", 0], "msg": "bad item"},
                        {"type": "value_error", "msg": "no location"}]}
            """)));

        Assert.Equal(
            [new FieldProblem("prompt", "Field required"), new FieldProblem("num_steps", "Input should be a valid integer"),
             new FieldProblem("items", "bad item"), new FieldProblem("", "no location")],
            error.FieldProblems);
        Assert.Equal("The backend rejected the request: prompt: Field required; num_steps: Input should be a valid integer; items: bad item; no location",
            error.Message);
    }

    [Fact]
    public async Task Post500TextPlain_IsSummarisedWithTheStatus()
    {
        var error = await PostFails(FakeHandler.Always(() => Responses.Text(HttpStatusCode.InternalServerError, "Internal Server Error")));

        Assert.Equal(ApiFailureKind.Http, error.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("The backend failed (HTTP 500): Internal Server Error", error.Message);
    }

    [Fact]
    public async Task Get502Html_IsSummarisedByItsTitleNeverDumped()
    {
        const string Page = """
            <html>
            <head><title>502 Bad Gateway</title><style>body { font: 12px }</style></head>
            <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body>
            </html>
            """;

        var error = await GetFails(FakeHandler.Always(() => Responses.Text(HttpStatusCode.BadGateway, Page, "text/html")));

        Assert.Equal(ApiFailureKind.Http, error.Kind);
        Assert.Equal("The backend is unavailable (HTTP 502): 502 Bad Gateway", error.Message);
        Assert.DoesNotContain("<", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get503HtmlWithoutTitle_UsesTheFirstText()
    {
        var error = await GetFails(FakeHandler.Always(() => Responses.Text(HttpStatusCode.ServiceUnavailable,
            "<!DOCTYPE html>\n<html><body>\n<p>The server is   temporarily&nbsp;down for maintenance.</p><p>Later</p></body></html>", "text/html")));

        Assert.Equal("The backend is unavailable (HTTP 503): The server is temporarily down for maintenance.", error.Message);
    }

    [Fact]
    public async Task Post413_SaysTheFileIsTooLarge()
    {
        var error = await PostFails(FakeHandler.Always(() => Responses.Text(HttpStatusCode.RequestEntityTooLarge,
            "<html><head><title>413 Request Entity Too Large</title></head><body>nginx</body></html>", "text/html")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.StatusCode);
        Assert.Equal("The file is too large for the server (or a proxy in front of it) to accept (HTTP 413).", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Get500Huge_ReadsOnlyAFewKilobytesAndKeepsTheMessageShort()
    {
        var body = new CountingStream(new string('x', 1024 * 1024));
        var error = await GetFails(FakeHandler.Always(() =>
            new HttpResponseMessage(HttpStatusCode.InternalServerError)
            {
                Content = new StreamContent(body) { Headers = { { "Content-Type", "text/plain" } } },
            }), o => o.GetRetries = 0);

        Assert.StartsWith("The backend failed (HTTP 500): xxxx", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length <= 340, $"message of {error.Message.Length} chars");
        Assert.InRange(body.BytesRead, 1, 8 * 1024);
    }

    [Fact]
    public async Task Get500EmptyBody_UsesTheReasonPhrase()
    {
        var error = await GetFails(FakeHandler.Always(() => Responses.Status(HttpStatusCode.InternalServerError)), o => o.GetRetries = 0);

        Assert.Equal("The backend failed (HTTP 500): Internal Server Error", error.Message);
    }

    [Fact]
    public async Task Get404_SaysTheRequestWasRefused()
    {
        var error = await GetFails(FakeHandler.Always(() => Responses.Json(HttpStatusCode.NotFound, """{"detail": "Not Found"}""")));

        Assert.Equal(ApiFailureKind.Http, error.Kind);
        Assert.Equal("The backend refused the request (HTTP 404): Not Found", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Get429_IsRateLimitedWithTheServersWait()
    {
        var error = await GetFails(FakeHandler.Always(() => Responses.Status(HttpStatusCode.TooManyRequests, "120")));

        Assert.Equal(ApiFailureKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Equal("The backend is busy (HTTP 429); try again in 2 min.", error.Message);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Get429_HugeRetryAfter_IsClampedToRetryAfterMax()
    {
        var error = await GetFails(FakeHandler.Always(() => Responses.Status(HttpStatusCode.TooManyRequests, "86400")));

        Assert.Equal(TimeSpan.FromMinutes(5), error.RetryAfter);
    }

    [Fact]
    public async Task Get429_NonsenseRetryAfter_HasNoWait()
    {
        var error = await GetFails(FakeHandler.Always(() => Responses.Status(HttpStatusCode.TooManyRequests, "abc")), o => o.GetRetries = 0);

        Assert.Null(error.RetryAfter);
        Assert.Equal("The backend is busy (HTTP 429); try again later.", error.Message);
    }

    [Fact]
    public async Task Get_ConnectionRefused_IsNetworkNamingTheBaseUrl()
    {
        var port = ClosedPort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");

        var error = await GetFails(null, o => { o.BaseUrl = baseUrl; o.GetRetries = 0; });

        Assert.Equal(ApiFailureKind.Network, error.Kind);
        Assert.StartsWith($"Cannot reach the backend at {baseUrl}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Post_SocketError_IsNetworkAndNotRetried()
    {
        var handler = new FakeHandler((_, _, _) =>
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (backend.test:8000)",
                new SocketException((int)SocketError.ConnectionRefused)));

        var error = await PostFails(handler);

        Assert.Equal(ApiFailureKind.Network, error.Kind);
        Assert.Equal($"Cannot reach the backend at {TestApi.BaseUrl}: Connection refused (backend.test:8000)", error.Message);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Get_CallerCancels_StaysOperationCanceled()
    {
        var handler = FakeHandler.Hanging();
        using var api = TestApi.Create(handler);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = api.Api.GetJobAsync("j1", cts.Token);
        await handler.Arrivals.Reader.ReadAsync(Ct);
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Post_CallerCancels_StaysOperationCanceled()
    {
        var handler = FakeHandler.Hanging();
        using var api = TestApi.Create(handler);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var image = new MemoryStream([1]);

        var call = api.Api.CreateI2VJobAsync(new StreamPart(image, "a.png", "image/png"), "p", "0", "4", "true", null, null, cts.Token);
        await handler.Arrivals.Reader.ReadAsync(Ct);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task GetModels_MalformedJson_IsProtocol()
    {
        using var api = TestApi.Create(FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, """{"available": [ {"model": """)));

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetModelsAsync(Ct));

        Assert.Equal(ApiFailureKind.Protocol, error.Kind);
        Assert.StartsWith("The backend's answer to GET /v1/turbodiffusion/models could not be read:", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on: bound, read, released.</summary>
    private static int ClosedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>A long body that counts how much of it was read.</summary>
    private sealed class CountingStream(string text) : MemoryStream(Encoding.UTF8.GetBytes(text))
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = base.Read(buffer.Span);
            BytesRead += read;
            return ValueTask.FromResult(read);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
