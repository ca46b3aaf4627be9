using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Client.Http;

namespace TurboDiffusion.Client.Tests.Http;

/// <summary>
/// Builds the client exactly as an app does (<c>AddTurboDiffusionClient</c>: error handler, resilience pipeline,
/// Refit) with only the primary handler replaced by a fake, so the pipeline under test is the real one.
/// </summary>
internal sealed class TestApi : IDisposable
{
    public static readonly Uri BaseUrl = new("http://backend.test:8000/");

    private readonly ServiceProvider _provider;

    private TestApi(ServiceProvider provider) => _provider = provider;

    public ITurboDiffusionApi Api => _provider.GetRequiredService<ITurboDiffusionApi>();

    public IServiceProvider Services => _provider;

    /// <summary>Tiny retry delay by default so retries take no wall time; <paramref name="timeProvider"/> drives timeouts.</summary>
    public static TestApi Create(HttpMessageHandler? primary, Action<TurboDiffusionOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var services = new ServiceCollection();
        if (timeProvider is not null) services.AddSingleton(timeProvider);
        services.AddTurboDiffusionClient(configure: o =>
        {
            o.BaseUrl = BaseUrl;
            o.GetRetryDelay = TimeSpan.Zero;
            // The scripted answers are the legacy contract's; profile tests choose their own.
            o.Profile = BackendProfile.Legacy;
            configure?.Invoke(o);
        });
        if (primary is not null)
        {
            services.AddHttpClient(TurboDiffusionServiceCollectionExtensions.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => primary);
        }

        return new TestApi(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));
    }

    public void Dispose() => _provider.Dispose();
}

/// <summary>A primary handler that answers from a script and records every request it saw.</summary>
internal sealed class FakeHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private int _calls;

    /// <summary>Each request as it arrives (method, path), for tests that wait for a call.</summary>
    public Channel<HttpRequestMessage> Arrivals { get; } = Channel.CreateUnbounded<HttpRequestMessage>();

    public int Calls => Volatile.Read(ref _calls);

    public static FakeHandler Always(Func<HttpResponseMessage> respond) => new((_, _, _) => Task.FromResult(respond()));

    /// <summary>Answers the n-th call (0-based) with the n-th response; the last one repeats.</summary>
    public static FakeHandler Sequence(params Func<HttpResponseMessage>[] responses) =>
        new((_, n, _) => Task.FromResult(responses[Math.Min(n, responses.Length - 1)]()));

    /// <summary>Never answers; the call ends only when its token is cancelled (an attempt timeout, the caller).</summary>
    public static FakeHandler Hanging() => new(async (_, _, ct) =>
    {
        var never = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (ct.Register(() => never.TrySetCanceled(ct)))
        {
            return await never.Task;
        }
    });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls) - 1;
        Arrivals.Writer.TryWrite(request);
        var response = await respond(request, n, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}

internal static class Responses
{
    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(HttpStatusCode status, string text, string mediaType = "text/plain") =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, mediaType) };

    public static HttpResponseMessage Status(HttpStatusCode status, string? retryAfter = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("") };
        if (retryAfter is not null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return response;
    }

    public static string Example(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", name));
}

/// <summary>A fake clock that also reports each timer it creates, so a test can wait until a delay has started.</summary>
internal sealed class ObservableTimeProvider : FakeTimeProvider
{
    public Channel<TimeSpan> TimersCreated { get; } = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TimersCreated.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer with exactly <paramref name="dueTime"/> exists.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, CancellationToken cancellationToken)
    {
        await foreach (var created in TimersCreated.Reader.ReadAllAsync(cancellationToken))
        {
            if (created == dueTime) return;
        }
    }
}
