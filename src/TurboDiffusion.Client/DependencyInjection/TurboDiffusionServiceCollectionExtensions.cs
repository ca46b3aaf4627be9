using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.DependencyInjection;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the TurboDiffusion client.</summary>
public static class TurboDiffusionServiceCollectionExtensions
{
    /// <summary>
    /// The name of the client's <see cref="HttpClient"/>; use it to add handlers or replace the primary handler
    /// (<c>services.AddHttpClient(TurboDiffusionServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(...)</c>).
    /// </summary>
    public const string HttpClientName = "TurboDiffusion";

    /// <summary>
    /// Adds the typed API (<see cref="ITurboDiffusionApi"/>) with its resilience pipeline, the i2v job type, and
    /// (unless already registered) the in-memory stores, <see cref="TimeProvider.System"/> and a scoped
    /// <see cref="IJobTracker"/>. Options come from the <c>TurboDiffusion</c> configuration section, then
    /// <paramref name="configure"/>, and are validated at start-up.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">
    /// The configuration root to read the <c>TurboDiffusion</c> section from; null reads the app's
    /// <see cref="IConfiguration"/> when one is registered.
    /// </param>
    /// <param name="configure">Applied after configuration, e.g. to set <see cref="TurboDiffusionOptions.BaseUrl"/> in code.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTurboDiffusionClient(this IServiceCollection services,
        IConfiguration? configuration = null, Action<TurboDiffusionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<TurboDiffusionOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(TurboDiffusionOptions.SectionName));
        }
        else
        {
            // Like BindConfiguration, but a container without IConfiguration (a test, a console tool) still works.
            options.Configure<IServiceProvider>((o, sp) =>
                sp.GetService<IConfiguration>()?.GetSection(TurboDiffusionOptions.SectionName).Bind(o));
        }

        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TurboDiffusionOptions>, TurboDiffusionOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBackendProfileResolver, BackendProfileResolver>();

        // Registered once even if AddTurboDiffusionClient is called again (e.g. by AddI2VStudio and the host).
        if (!services.Any(d => d.ServiceType == typeof(ITurboDiffusionApi)))
        {
            AddHttpClient(services);
        }

        services.TryAddEnumerable(ServiceDescriptor.Transient<IJobTypeDefinition, I2VJobType>());
        services.TryAddScoped<IJobStore, InMemoryJobStore>();
        services.TryAddScoped<IJobBlobStore, InMemoryJobBlobStore>();
        services.TryAddScoped<IJobTracker, JobTracker>();
        return services;
    }

    private static void AddHttpClient(IServiceCollection services)
    {
        var builder = services.AddRefitGeneratedClient<ITurboDiffusionApi>(CreateRefitSettings, HttpClientName);
        builder
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<TurboDiffusionOptions>>().Value.BaseUrl;
                // Polly owns every timeout (per attempt for reads, SubmitTimeout for the upload); HttpClient's
                // default 100 s would cut a slow 20 MB upload.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // Outermost: puts a job request on the backend's route set (and re-detects it on a 404).
            .AddHttpMessageHandler(sp => new BackendRouteHandler(sp.GetRequiredService<IBackendProfileResolver>()))
            // Next: sees the outcome after retries and maps it to TurboDiffusionApiException.
            .AddHttpMessageHandler(sp => new TurboDiffusionErrorHandler(
                sp.GetRequiredService<IOptionsMonitor<TurboDiffusionOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<TurboDiffusionErrorHandler>>()))
            .AddResilienceHandler("turbodiffusion", TurboDiffusionResilience.Configure)
            .SelectPipelineBy(_ => TurboDiffusionResilience.SelectPipeline);

        // Inside the resilience pipeline: a GET's body is read inside its attempt, under the attempt timeout.
        builder.AddHttpMessageHandler(() => new ReadBodyWithinAttemptHandler());
        // Last before the network: a form whose image its holder posts itself (IImageFormPoster) goes to that holder.
        builder.AddHttpMessageHandler(() => new ImageFormPostHandler());
    }

    private static RefitSettings CreateRefitSettings(IServiceProvider services) => new()
    {
        ContentSerializer = new SystemTextJsonContentSerializer(TurboDiffusionJson.SerializerOptions),
        // The error handler has mapped transport failures already; pass them (and a caller's cancellation) through
        // instead of wrapping them in Refit's ApiRequestException.
        TransportExceptionFactory = (request, exception, cancellationToken) =>
            ApiErrorMapper.FromTransport(exception, services.GetRequiredService<IOptions<TurboDiffusionOptions>>().Value.BaseUrl,
                cancellationToken.IsCancellationRequested) ?? exception,
        DeserializationExceptionFactory = (response, exception) =>
            ValueTask.FromResult<Exception?>(ApiErrorMapper.FromUnreadableBody(response, exception)),
    };
}
