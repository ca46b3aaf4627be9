using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>Registers the emulator in any ASP.NET Core app; pair with <see cref="EmulatorEndpointRouteBuilderExtensions.MapTurboDiffusionEmulator"/>.</summary>
public static class EmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the emulator's services: the job table, the Celery-like state, storage with its own origin
    /// (started as a hosted service), the queue and its workers, and the ffmpeg engine. Options are
    /// validated when the app starts.
    /// </summary>
    public static IServiceCollection AddTurboDiffusionEmulator(this IServiceCollection services, Action<EmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EmulatorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services.AddEmulatorCore();
    }

    /// <summary>Same, with options bound from a configuration section (the standalone program binds <c>Emulator</c>).</summary>
    public static IServiceCollection AddTurboDiffusionEmulator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EmulatorOptions>().Bind(configuration);
        return services.AddEmulatorCore();
    }

    private static IServiceCollection AddEmulatorCore(this IServiceCollection services)
    {
        services.AddOptions<EmulatorOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>());
        services.TryAddKeyedSingleton(EmulatorServiceKeys.Clock, TimeProvider.System);

        services.TryAddSingleton<EmulatorPaths>();
        services.TryAddSingleton<FaultController>();
        services.TryAddSingleton<RequestCounters>();
        services.TryAddSingleton<JobEventLog>();
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<JobDatabase>();
        services.TryAddSingleton<CeleryResultBackend>();
        services.TryAddSingleton<ObjectStore>();
        services.TryAddSingleton<StorageOrigin>();
        services.TryAddSingleton<UrlSigner>();
        services.TryAddSingleton<JobQueue>();
        services.TryAddSingleton<JobSubmitter>();
        services.TryAddSingleton<JobStatusReader>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<RestartRecovery>();
        services.TryAddSingleton<IVideoEngine, FfmpegVideoEngine>();

        // Start order matters: the store and recovery first, then the storage origin (its URL goes
        // into presigned links), then the workers.
        services.AddHostedService<EmulatorStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageOrigin>());
        services.AddHostedService<JobWorkerPool>();
        return services;
    }
}
