using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TurboDiffusion.Emulator;

/// <summary>
/// Prepares the store before anything serves or works: the SQLite schema, the Celery results kept
/// from the last run, restart recovery; then warns when the video engine cannot run here.
/// </summary>
internal sealed partial class EmulatorStartup(
    SqliteDatabase database,
    CeleryResultBackend celery,
    RestartRecovery recovery,
    IVideoEngine engine,
    EmulatorPaths paths,
    StorageOrigin storage,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    ILogger<EmulatorStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken);
        await celery.LoadAsync(cancellationToken);
        await recovery.RecoverAsync(cancellationToken);

        var info = engine.Describe();
        if (!info.Available)
        {
            LogEngineUnavailable(logger, info.Name, info.Problem ?? "unknown reason");
        }

        lifetime.ApplicationStarted.Register(() => LogReady(info.Name));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LogReady(string engineName)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var api = string.Join(", ", addresses ?? []);
        var storageUrl = storage.BaseUri?.ToString() ?? "(not started)";
        LogReady(logger, api, storageUrl, paths.DataDirectory, paths.IsTemporary, engineName);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video engine {Engine} is not available, so every job will fail: {Problem}")]
    private static partial void LogEngineUnavailable(ILogger logger, string engine, string problem);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "TurboDiffusion emulator ready. API: {Api}; storage: {Storage}; data: {DataDirectory} (temporary: {Temporary}); engine: {Engine} (a CPU stand-in, not the diffusion model)")]
    private static partial void LogReady(ILogger logger, string api, string storage, string dataDirectory, bool temporary, string engine);
}
