using System.Globalization;
using Bunit;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.Support;

/// <summary>
/// The services a studio component needs, with test doubles: a fake tracker, a fake clock, fixed seeds. JS interop is
/// strict: each of our modules is set up, and only MudBlazor's own calls (popovers, key interceptors) are allowed wholesale.
/// </summary>
public abstract class StudioTestContext : BunitContext
{
    protected const string ActionsModulePath = "./_content/I2VStudio.Components/js/browserActions.js";
    protected const string StorageModulePath = "./_content/I2VStudio.Components/js/storage.js";
    protected const string IntakeModulePath = "./_content/I2VStudio.Components/js/imageIntake.js";

    protected StudioTestContext()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        JSInterop.Mode = JSRuntimeMode.Strict;
        // MudBlazor's own interop is not what these tests are about.
        JSInterop.SetupVoid(i => i.Identifier.StartsWith("mud", StringComparison.Ordinal)).SetVoidResult();
        JSInterop.Setup<int>(i => i.Identifier.StartsWith("mud", StringComparison.Ordinal)).SetResult(0);
        JSInterop.Setup<bool>(i => i.Identifier.StartsWith("mud", StringComparison.Ordinal)).SetResult(false);

        ActionsModule = JSInterop.SetupModule(ActionsModulePath);
        ActionsModule.Setup<bool>("copyText", _ => true).SetResult(true);
        ActionsModule.Setup<string>("requestNotificationPermission", _ => true).SetResult("granted");
        ActionsModule.Setup<string>("notificationPermission", _ => true).SetResult("default");
        ActionsModule.SetupVoid("download", _ => true).SetVoidResult();
        ActionsModule.SetupVoid("setTitleBadge", _ => true).SetVoidResult();
        ActionsModule.Setup<bool>("showNotification", _ => true).SetResult(true);

        StorageModule = JSInterop.SetupModule(StorageModulePath);
        StorageModule.Setup<Microsoft.JSInterop.IJSStreamReference>("getItemData", _ => true).SetResult(FakeJSStream.Text(""));
        StorageModule.Setup<string>("setItem", _ => true).SetResult("ok");

        var intake = JSInterop.SetupModule(IntakeModulePath);
        IntakeHandle = intake.SetupModule(i => i.Identifier == "attach");
        IntakeHandle.SetupVoid("detach").SetVoidResult();

        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<IJobTracker>(Tracker);
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<ISeedGenerator>(Seeds);
        Services.AddSingleton<IDownloadTickets>(Tickets);
        Services.AddSingleton<IDownloadLinkProvider, TicketDownloadLinks>();
        Services.AddSingleton(Options.Create(StudioOptions));
        Services.AddSingleton(Options.Create(new BrowserStorageOptions()));
        Services.AddSingleton(Options.Create(new I2VStudio.Components.Imaging.ImageLimits()));
        Services.AddScoped<StorageNotices>();
        Services.AddScoped<BrowserActions>();
        Services.AddScoped<BrowserBlobStore>();
        Services.AddScoped<PromptHistoryStore>();
        Services.AddScoped<FormDraftStore>();
        Services.AddScoped<ImageIntake>();
        Services.AddScoped<StudioJobActions>();
        Services.AddSingleton<TurboDiffusion.Client.Http.IBackendProfileResolver>(Profiles);
        Services.AddSingleton<TurboDiffusion.Client.Http.ITurboDiffusionApi>(Api);
        Services.AddScoped<BackendFeaturesReader>();
    }

    /// <summary>The backend's API version as the studio sees it (Legacy unless a test says otherwise).</summary>
    internal FixedProfileResolver Profiles { get; } = new();

    /// <summary>The backend API behind the capabilities read (on VideoGen).</summary>
    internal Diagnostics.FakeTurboDiffusionApi Api => _api ??= new Diagnostics.FakeTurboDiffusionApi(Clock);

    private Diagnostics.FakeTurboDiffusionApi? _api;

    internal FakeJobTracker Tracker { get; } = new();

    internal FakeTimeProvider Clock { get; } = new(TestJobs.Epoch.AddMinutes(5));

    internal SequenceSeeds Seeds { get; } = new(1001, 1002, 1003, 1004, 1005);

    internal RecordingDownloadTickets Tickets { get; } = new();

    internal I2VStudioOptions StudioOptions { get; } = new();

    protected BunitJSModuleInterop ActionsModule { get; }

    protected BunitJSModuleInterop StorageModule { get; }

    protected BunitJSModuleInterop IntakeHandle { get; }

    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;
}
