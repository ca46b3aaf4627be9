using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Refit;
using TurboDiffusion.Client.Http;

namespace TurboDiffusion.Client.Tests.Http;

/// <summary>
/// The real pipeline from <c>AddTurboDiffusionClient</c>: reads retry transient failures and honour Retry-After,
/// the job POST is never retried and has its own long timeout. Waiting happens on a fake clock, not the wall.
/// </summary>
public sealed class ResilienceTests
{
    private static async Task PostAsync(TestApi api)
    {
        using var image = new MemoryStream([1, 2, 3]);
        await api.Api.CreateI2VJobAsync(new StreamPart(image, "a.png", "image/png"), "p", "0", "4", "true", null, null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Post_503_IsNotRetried()
    {
        var handler = FakeHandler.Always(() => Responses.Status(HttpStatusCode.ServiceUnavailable, "0"));
        using var api = TestApi.Create(handler, o => o.GetRetries = 5);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => PostAsync(api));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Post_NetworkFailure_IsNotRetried()
    {
        var handler = new FakeHandler((_, _, _) => throw new HttpRequestException("Connection reset by peer"));
        using var api = TestApi.Create(handler, o => o.GetRetries = 5);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => PostAsync(api));

        Assert.Equal(ApiFailureKind.Network, error.Kind);
        Assert.Equal(1, handler.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_SlowUpload_OutlivesTheReadTimeoutAndEndsAtSubmitTimeout()
    {
        var clock = new ObservableTimeProvider();
        CancellationToken seen = default;
        var handler = new FakeHandler(async (_, _, ct) =>
        {
            seen = ct;
            var never = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ct.Register(() => never.TrySetCanceled(ct))) return await never.Task;
        });
        using var api = TestApi.Create(handler, o => { o.RequestTimeout = TimeSpan.FromSeconds(10); o.SubmitTimeout = TimeSpan.FromMinutes(5); }, clock);

        var call = PostAsync(api);
        await handler.Arrivals.Reader.ReadAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(seen.IsCancellationRequested);
        clock.Advance(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => call);
        Assert.Equal(ApiFailureKind.Timeout, error.Kind);
        Assert.Equal($"The backend at {TestApi.BaseUrl} did not answer within 5 min.", error.Message);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Get_503Then503Then200_IsRetriedToSuccess()
    {
        var handler = FakeHandler.Sequence(
            () => Responses.Status(HttpStatusCode.ServiceUnavailable),
            () => Responses.Status(HttpStatusCode.ServiceUnavailable),
            () => Responses.Json(HttpStatusCode.OK, """{"status": "ok"}"""));
        using var api = TestApi.Create(handler, o => o.GetRetries = 2);

        var health = await api.Api.GetHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ok", health.Status);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task Get_RetryAfterZero_IsRetriedAtOnce()
    {
        var handler = FakeHandler.Sequence(
            () => Responses.Status(HttpStatusCode.TooManyRequests, "0"),
            () => Responses.Status(HttpStatusCode.ServiceUnavailable, "0"),
            () => Responses.Json(HttpStatusCode.OK, """{"status": "ok"}"""));
        using var api = TestApi.Create(handler, o => o.GetRetries = 2);

        Assert.Equal("ok", (await api.Api.GetHealthAsync(TestContext.Current.CancellationToken)).Status);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task Get_503RetriesExhausted_ThrowsTheLastAnswer()
    {
        var handler = FakeHandler.Always(() => Responses.Status(HttpStatusCode.ServiceUnavailable));
        using var api = TestApi.Create(handler, o => o.GetRetries = 2);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetJobAsync("j1", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task Get_NetworkFailuresThen200_IsRetriedToSuccess()
    {
        var handler = new FakeHandler((_, n, _) => n < 2
            ? throw new HttpRequestException("Connection refused")
            : Task.FromResult(Responses.Json(HttpStatusCode.OK, """{"status": "ok"}""")));
        using var api = TestApi.Create(handler, o => o.GetRetries = 2);

        Assert.Equal("ok", (await api.Api.GetHealthAsync(TestContext.Current.CancellationToken)).Status);
        Assert.Equal(3, handler.Calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    [InlineData(HttpStatusCode.BadRequest)]
    public async Task Get_ClientError_IsNotRetried(HttpStatusCode status)
    {
        var handler = FakeHandler.Always(() => Responses.Status(status));
        using var api = TestApi.Create(handler, o => o.GetRetries = 3);

        await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetJobAsync("j1", TestContext.Current.CancellationToken));

        Assert.Equal(1, handler.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_RetryAfter_WaitsThatLongOnTheClockBeforeRetrying()
    {
        var clock = new ObservableTimeProvider();
        var handler = FakeHandler.Sequence(
            () => Responses.Status(HttpStatusCode.ServiceUnavailable, "3"),
            () => Responses.Json(HttpStatusCode.OK, """{"status": "ok"}"""));
        using var api = TestApi.Create(handler, o => o.GetRetries = 2, clock);

        var call = api.Api.GetHealthAsync(TestContext.Current.CancellationToken);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.Equal(1, handler.Calls);
        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("ok", (await call).Status);
        Assert.Equal(2, handler.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_RetryAfterHttpDate_WaitsUntilThatDate()
    {
        var clock = new ObservableTimeProvider();
        var at = clock.GetUtcNow().AddSeconds(7).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        var handler = FakeHandler.Sequence(
            () => Responses.Status(HttpStatusCode.TooManyRequests, at),
            () => Responses.Json(HttpStatusCode.OK, """{"status": "ok"}"""));
        using var api = TestApi.Create(handler, o => o.GetRetries = 1, clock);

        var call = api.Api.GetHealthAsync(TestContext.Current.CancellationToken);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(7), TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal("ok", (await call).Status);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task Get_RetryAfterLongerThanAnAttempt_IsLeftToTheCaller()
    {
        var handler = FakeHandler.Always(() => Responses.Status(HttpStatusCode.TooManyRequests, "20"));
        using var api = TestApi.Create(handler, o => { o.GetRetries = 3; o.RequestTimeout = TimeSpan.FromSeconds(10); });

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetJobAsync("j1", TestContext.Current.CancellationToken));

        Assert.Equal(ApiFailureKind.RateLimited, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(20), error.RetryAfter);
        Assert.Equal(1, handler.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_HangingServer_FailsWithTimeoutAfterTheAttemptTimeout()
    {
        var clock = new ObservableTimeProvider();
        var handler = FakeHandler.Hanging();
        using var api = TestApi.Create(handler, o => { o.GetRetries = 0; o.RequestTimeout = TimeSpan.FromSeconds(10); }, clock);

        var call = api.Api.GetJobAsync("j1", TestContext.Current.CancellationToken);
        await handler.Arrivals.Reader.ReadAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => call);
        Assert.Equal(ApiFailureKind.Timeout, error.Kind);
        Assert.Equal($"The backend at {TestApi.BaseUrl} did not answer within 10 s.", error.Message);
        Assert.True(error.IsTransient);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_HangingThenAnswering_IsRetriedAfterTheAttemptTimeout()
    {
        var clock = new ObservableTimeProvider();
        var handler = new FakeHandler(async (_, n, ct) =>
        {
            if (n > 0) return Responses.Json(HttpStatusCode.OK, """{"status": "ok"}""");
            var never = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ct.Register(() => never.TrySetCanceled(ct))) return await never.Task;
        });
        using var api = TestApi.Create(handler, o => { o.GetRetries = 1; o.RequestTimeout = TimeSpan.FromSeconds(10); }, clock);

        var call = api.Api.GetHealthAsync(TestContext.Current.CancellationToken);
        await handler.Arrivals.Reader.ReadAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("ok", (await call).Status);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task Get_HangingServerOnTheSystemClock_TimesOutAfterATinyAttemptTimeout()
    {
        var handler = FakeHandler.Hanging();
        using var api = TestApi.Create(handler, o =>
        {
            o.GetRetries = 1;
            o.RequestTimeout = TimeSpan.FromMilliseconds(100);
            o.RequestTotalTimeout = TimeSpan.FromSeconds(5);
        });

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => api.Api.GetJobAsync("j1", TestContext.Current.CancellationToken));

        Assert.Equal(ApiFailureKind.Timeout, error.Kind);
        Assert.Equal(2, handler.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_TotalTimeout_EndsRetriesThatWouldGoOn()
    {
        var clock = new ObservableTimeProvider();
        var handler = FakeHandler.Always(() => Responses.Status(HttpStatusCode.ServiceUnavailable, "8"));
        using var api = TestApi.Create(handler, o =>
        {
            o.GetRetries = 10;
            o.RequestTimeout = TimeSpan.FromSeconds(10);
            o.RequestTotalTimeout = TimeSpan.FromSeconds(12);
        }, clock);

        var call = api.Api.GetJobAsync("j1", TestContext.Current.CancellationToken);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(8));
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(4));

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => call);
        Assert.Equal(ApiFailureKind.Timeout, error.Kind);
        Assert.Equal($"The backend at {TestApi.BaseUrl} did not answer within 12 s.", error.Message);
        Assert.Equal(2, handler.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Get_BodyStallsAfterHeaders_TimesOutWithinTheAttempt()
    {
        var clock = new ObservableTimeProvider();
        var handler = FakeHandler.Always(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new StallingStream("{\"status\": \"PEN"u8.ToArray())),
        });
        using var api = TestApi.Create(handler, o => { o.GetRetries = 0; o.RequestTimeout = TimeSpan.FromSeconds(10); }, clock);

        var call = api.Api.GetJobAsync("j1", TestContext.Current.CancellationToken);
        await handler.Arrivals.Reader.ReadAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => call);
        Assert.Equal(ApiFailureKind.Timeout, error.Kind);
    }

    [Fact]
    public async Task Get_BodyCutOff_IsRetried()
    {
        var handler = FakeHandler.Sequence(
            () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BreakingStream()) },
            () => Responses.Json(HttpStatusCode.OK, """{"status": "ok"}"""));
        using var api = TestApi.Create(handler, o => o.GetRetries = 1);

        Assert.Equal("ok", (await api.Api.GetHealthAsync(TestContext.Current.CancellationToken)).Status);
        Assert.Equal(2, handler.Calls);
    }

    /// <summary>Gives its first bytes, then waits for the reader's token forever.</summary>
    private sealed class StallingStream(byte[] head) : Stream
    {
        private bool _sent;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                head.CopyTo(buffer);
                return head.Length;
            }

            var never = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => never.TrySetCanceled(cancellationToken))) return await never.Task;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>A connection that drops mid-body.</summary>
    private sealed class BreakingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("Connection reset by peer"));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromException<int>(new IOException("Connection reset by peer"));

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("Connection reset by peer");
    }

    [Fact]
    public void HttpClient_Timeout_IsInfiniteSoPollyOwnsTimeouts()
    {
        using var api = TestApi.Create(null);

        var client = api.Services.GetRequiredService<IHttpClientFactory>().CreateClient(TurboDiffusionServiceCollectionExtensions.HttpClientName);

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
        Assert.Equal(TestApi.BaseUrl, client.BaseAddress);
    }

    [Theory]
    [InlineData("GET", "read")]
    [InlineData("HEAD", "read")]
    [InlineData("POST", "submit")]
    [InlineData("PUT", "submit")]
    [InlineData("DELETE", "submit")]
    public void SelectPipeline_Method_OnlyReadsGetTheRetryingPipeline(string method, string expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://x/");

        Assert.Equal(expected, TurboDiffusionResilience.SelectPipeline(request));
    }
}
