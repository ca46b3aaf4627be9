using Bunit;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Storage;
using I2VStudio.Components.Tests.Storage;
using I2VStudio.Components.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.Browser;

public class JobNotificationsTests : BunitContext
{
    private const string ActionsModule = "./_content/I2VStudio.Components/js/browserActions.js";
    private readonly FakeJobTracker _tracker = new();
    private readonly StorageNotices _notices = new();
    private readonly BunitJSModuleInterop _module;

    public JobNotificationsTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule(ActionsModule);
        _module.SetupVoid("setTitleBadge", _ => true).SetVoidResult();
        _module.Setup<bool>("showNotification", _ => true).SetResult(true);
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<IJobTracker>(_tracker);
        Services.AddSingleton(_notices);
        Services.AddScoped<BrowserActions>();
    }

    private ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    private int LastBadge => (int)_module.Invocations["setTitleBadge"][^1].Arguments[0]!;

    [Fact]
    public void FirstRender_FinishedUnseenJobsLoaded_SetsTitleCountWithoutSnackbar()
    {
        _tracker.Records.Add(StoredJobs.Record("done", JobPhase.Succeeded, 0));
        _tracker.Records.Add(StoredJobs.Record("seen", JobPhase.Succeeded, 1) with { Seen = true });
        _tracker.Records.Add(StoredJobs.Record("run", JobPhase.Running, 2));

        Render<JobNotifications>();

        Assert.Equal(1, LastBadge);
        Assert.Empty(Snackbar.ShownSnackbars);
    }

    [Fact]
    public async Task JobSucceeds_RunningToSucceeded_ShowsSnackbarNotificationAndTitleCount()
    {
        var running = StoredJobs.Record("j1", JobPhase.Running, 0);
        _tracker.Records.Add(running);
        var cut = Render<JobNotifications>();

        await cut.InvokeAsync(() => _tracker.ChangeAsync(running with { Status = new JobStatus("SUCCESS", "SUCCEEDED", JobPhase.Succeeded) }));

        var snackbar = Assert.Single(Snackbar.ShownSnackbars);
        Assert.Equal("Your video is ready: a cat walks j1", snackbar.Message);
        Assert.Equal(Severity.Success, snackbar.Severity);
        Assert.Equal(1, LastBadge);
        Assert.Equal("Your video is ready", Assert.Single(_module.Invocations["showNotification"]).Arguments[0]);
    }

    [Fact]
    public async Task JobSucceeds_Chinese_SnackbarWithFullWidthColon()
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            var running = StoredJobs.Record("j1", JobPhase.Running, 0);
            _tracker.Records.Add(running);
            var cut = Render<JobNotifications>();

            await cut.InvokeAsync(() => _tracker.ChangeAsync(running with { Status = new JobStatus("SUCCESS", "SUCCEEDED", JobPhase.Succeeded) }));

            Assert.Equal("视频已生成：a cat walks j1", Assert.Single(Snackbar.ShownSnackbars).Message);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public async Task JobFails_QueuedToFailed_ShowsErrorSnackbar()
    {
        var queued = StoredJobs.Record("j1", JobPhase.Queued, 0);
        _tracker.Records.Add(queued);
        var cut = Render<JobNotifications>();

        await cut.InvokeAsync(() => _tracker.ChangeAsync(queued with { Status = new JobStatus("FAILURE", "FAILED", JobPhase.Failed) }));

        var snackbar = Assert.Single(Snackbar.ShownSnackbars);
        Assert.StartsWith("A job failed", snackbar.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, snackbar.Severity);
    }

    [Fact]
    public async Task RecordAdded_AlreadyFinished_MakesNoSnackbar()
    {
        var cut = Render<JobNotifications>();

        await cut.InvokeAsync(() => _tracker.ChangeAsync(StoredJobs.Record("other-tab", JobPhase.Succeeded, 0)));

        Assert.Empty(Snackbar.ShownSnackbars);
        Assert.Equal(1, LastBadge);
    }

    [Fact]
    public async Task ResultSeen_CountDrops_TitleBadgeCleared()
    {
        var done = StoredJobs.Record("j1", JobPhase.Succeeded, 0);
        _tracker.Records.Add(done);
        var cut = Render<JobNotifications>();

        await cut.InvokeAsync(() => _tracker.ChangeAsync(done with { Seen = true }));

        Assert.Equal(0, LastBadge);
        Assert.Empty(Snackbar.ShownSnackbars);
    }

    [Fact]
    public async Task StorageNotice_ThumbnailsRemoved_ShowsWarningSnackbar()
    {
        var cut = Render<JobNotifications>();

        await cut.InvokeAsync(() => _notices.PublishAsync(new StorageNotice(StorageNoticeKind.ThumbnailsRemoved, 3)));

        var snackbar = Assert.Single(Snackbar.ShownSnackbars);
        Assert.Equal("Browser storage is full; older thumbnails were removed.", snackbar.Message);
        Assert.Equal(Severity.Warning, snackbar.Severity);
    }

    [Fact]
    public void Dispose_Component_UnsubscribesFromTracker()
    {
        var cut = Render<JobNotifications>();
        Assert.Equal(1, _tracker.ActiveSubscriptions);

        cut.Instance.Dispose();

        Assert.Equal(0, _tracker.ActiveSubscriptions);
    }
}
