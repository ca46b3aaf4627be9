using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace I2VStudio.Host.Tests.Support;

/// <summary>
/// A tiny HTTP server on a free loopback port that answers every request with <see cref="Handler"/> and remembers each
/// request's method and raw target (path and query exactly as sent): a stand-in for a backend, its object store, or a
/// place the host must never call (cloud metadata).
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeServer(WebApplication app) => _app = app;

    /// <summary>Answers a request; the default says 200 "ok".</summary>
    public Func<HttpContext, Task> Handler { get; set; } = context => context.Response.WriteAsync("ok");

    /// <summary>Every request so far: method and raw target.</summary>
    public ConcurrentQueue<(string Method, string Target)> Requests { get; } = new();

    /// <summary>The server's origin with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri { get; private set; } = default!;

    public static async Task<FakeServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var app = builder.Build();
        var server = new FakeServer(app);
        app.Run(context =>
        {
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
            server.Requests.Enqueue((context.Request.Method, target));
            return server.Handler(context);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseUri = new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/");
        return server;
    }

    /// <summary>A URL on this server.</summary>
    public string Url(string pathAndQuery) => new Uri(BaseUri, pathAndQuery).ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
