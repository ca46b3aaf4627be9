using I2VStudio.Components;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using MudBlazor.Services;
using TurboDiffusion.Client.Jobs;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers I2V Studio: the client and tracker, the browser stores, MudBlazor, localisation and the studio's own services.</summary>
public static class I2VStudioServiceCollectionExtensions
{
    /// <summary>
    /// Adds everything <c>&lt;I2VStudioPage /&gt;</c> needs: the TurboDiffusion client and tracker (section
    /// <c>TurboDiffusion</c>), the browser stores (localStorage, IndexedDB) in place of the in-memory defaults,
    /// MudBlazor services, localisation, and the studio's options (section <c>I2VStudio</c>, validated on start).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The app's configuration.</param>
    /// <param name="configure">Applied after configuration, e.g. to change the variant count in code.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddI2VStudio(this IServiceCollection services, IConfiguration configuration,
        Action<I2VStudioOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // The browser stores first: the client only TryAdds its in-memory stores, so these win. The explicit
        // Replace below also covers an app that called AddTurboDiffusionClient before AddI2VStudio.
        services.AddI2VStudioBrowserServices();
        services.AddTurboDiffusionClient(configuration);
        UseBrowserStore<IJobStore, BrowserJobStore>(services);
        UseBrowserStore<IJobBlobStore, BrowserBlobStore>(services);

        services.AddMudServices(config =>
        {
            // Top centre: over the app bar, clear of the job list (whose newest card sits at the bottom on a phone and in the
            // right column on a desktop) and of the Generate button.
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.TopCenter;
            config.SnackbarConfiguration.PreventDuplicates = false;
            config.SnackbarConfiguration.VisibleStateDuration = 6000;
            config.SnackbarConfiguration.ShowCloseIcon = true;
        });
        services.AddLocalization();

        var options = services.AddOptions<I2VStudioOptions>()
            .Bind(configuration.GetSection(I2VStudioOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null) options.Configure(configure);

        services.TryAddSingleton<ISeedGenerator, RandomSeedGenerator>();
        services.TryAddScoped<StudioJobActions>();
        services.TryAddScoped<BackendFeaturesReader>();
        return services;
    }

    // Points the interface at the browser implementation unless something else than a plain type registration (the
    // shell's forwarding factory, or an app's own choice) already provides it.
    private static void UseBrowserStore<TService, TBrowser>(IServiceCollection services)
        where TService : class
        where TBrowser : class, TService
    {
        var current = services.LastOrDefault(d => d.ServiceType == typeof(TService));
        if (current is not null && current.ImplementationType != null && current.ImplementationType != typeof(TBrowser))
        {
            // The client's in-memory default got in first: point the interface at the browser store's one instance.
            services.RemoveAll<TService>();
            services.AddScoped<TService>(sp => sp.GetRequiredService<TBrowser>());
        }
    }
}
