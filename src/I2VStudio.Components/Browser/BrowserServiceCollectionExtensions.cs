using I2VStudio.Components.Imaging;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Browser;

/// <summary>Registers the studio's browser services: storage, image intake, notifications, download tickets.</summary>
public static class BrowserServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ImageLimits"/> (<c>I2VStudio:Images</c>) and <see cref="BrowserStorageOptions"/>
    /// (<c>I2VStudio:Storage</c>), validated on start; the JS-bound services scoped (one per circuit):
    /// <see cref="BrowserJobStore"/>, <see cref="BrowserBlobStore"/>, <see cref="PromptHistoryStore"/>, <see cref="FormDraftStore"/>,
    /// <see cref="StorageNotices"/>, <see cref="ImageIntake"/>, <see cref="BrowserActions"/>; and
    /// <see cref="IDownloadTickets"/> and, outside the browser, <see cref="IUploadSlots"/> and <see cref="StagedImageFolder"/> as singletons, and the <see cref="IDownloadLinkProvider"/> that suits where the
    /// studio runs (tickets on the server, the job route in the browser). Every registration is a TryAdd, so an embedding app can register
    /// its own first. <see cref="IJobStore"/>/<see cref="IJobBlobStore"/> map to the browser stores only when nothing
    /// registered them yet (<c>AddI2VStudio</c> replaces the client's in-memory defaults).
    /// </summary>
    public static IServiceCollection AddI2VStudioBrowserServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<ImageLimits>().BindConfiguration(ImageLimits.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BrowserStorageOptions>().BindConfiguration(BrowserStorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddLocalization();

        services.TryAddScoped<StorageNotices>();
        services.TryAddScoped<BrowserJobStore>();
        services.TryAddScoped<BrowserBlobStore>();
        services.TryAddScoped<PromptHistoryStore>();
        services.TryAddScoped<FormDraftStore>();
        services.TryAddScoped<ImageIntake>();
        services.TryAddScoped<BrowserActions>();
        services.TryAddScoped<IJobStore>(sp => sp.GetRequiredService<BrowserJobStore>());
        services.TryAddScoped<IJobBlobStore>(sp => sp.GetRequiredService<BrowserBlobStore>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDownloadTickets, InMemoryDownloadTickets>();
        // On a server the browser can post images straight to the host (BrowserBlobStore picks its constructor by this).
        if (!OperatingSystem.IsBrowser())
        {
            services.TryAddSingleton<IUploadSlots, InMemoryUploadSlots>();
            // Picked images are copied to the host ahead of their submission (BrowserBlobStore.Stage).
            services.TryAddSingleton(sp => StagedImageFolder.CreateDefault(sp.GetRequiredService<TimeProvider>()));
        }
        // Decided per process: a WebAssembly runtime has no access to the host's ticket store.
        services.TryAddScoped<IDownloadLinkProvider>(sp => OperatingSystem.IsBrowser()
            ? ActivatorUtilities.CreateInstance<JobDownloadLinks>(sp)
            : ActivatorUtilities.CreateInstance<TicketDownloadLinks>(sp));
        return services;
    }
}
