using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// The object-storage origin: its own small Kestrel server on its own port, like MinIO beside the
/// API, so the studio meets cross-origin video URLs exactly as in production. Started as a hosted
/// service of whatever app hosts the emulator, before that app serves its first request.
/// </summary>
internal sealed partial class StorageOrigin(
    IOptions<EmulatorOptions> options,
    IServiceProvider services,
    ILogger<StorageOrigin> logger) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<Uri> baseUri = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? app;

    /// <summary>The base URL presigned URLs point at; known once the origin listens.</summary>
    public Uri? BaseUri => baseUri.Task.IsCompletedSuccessfully ? baseUri.Task.Result : null;

    public Task<Uri> GetBaseUriAsync(CancellationToken cancellationToken) => baseUri.Task.WaitAsync(cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(StorageOrigin).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().UseUrls(options.Value.StorageUrl);
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();

        // The storage app shares the emulator's state (objects, signer, counters) and logging.
        builder.Services.AddSingleton(services.GetRequiredService<ILoggerFactory>());
        builder.Services.AddSingleton(services.GetRequiredService<ObjectStore>());
        builder.Services.AddSingleton(services.GetRequiredService<UrlSigner>());
        builder.Services.AddSingleton(services.GetRequiredService<RequestCounters>());
        builder.Services.AddKeyedSingleton(EmulatorServiceKeys.Clock, services.GetRequiredKeyedService<TimeProvider>(EmulatorServiceKeys.Clock));

        app = builder.Build();
        app.UseStorageCors();
        app.MapStorageEndpoints();
        await app.StartAsync(cancellationToken);

        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var uri = options.Value.StoragePublicUrl is { } publicUrl ? new Uri(publicUrl) : PublicFromBound(bound);
        baseUri.TrySetResult(uri);
        LogListening(logger, bound, uri);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Object storage (MinIO stand-in) listens on {Address}; presigned URLs use {BaseUri}")]
    private static partial void LogListening(ILogger logger, string address, Uri baseUri);

    /// <summary>A wildcard bind address is not something a browser can open; loopback is.</summary>
    private static Uri PublicFromBound(string bound)
    {
        var builder = new UriBuilder(bound.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "127.0.0.1";
        }

        return builder.Uri;
    }
}
