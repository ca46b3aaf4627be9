using I2VStudio.Components.Resources;
using I2VStudio.Components.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using MudBlazor;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Browser;

/// <summary>
/// Tells the user when a job finishes or fails: an in-app snackbar, the count of unseen results in the tab title,
/// and a system notification when the user allowed them. Also shows <see cref="StorageNotices"/>. Renders nothing;
/// place it once (the studio page does). Records that arrive already finished (a reload) make no noise.
/// </summary>
public sealed partial class JobNotifications : ComponentBase, IDisposable
{
    private IDisposable? _jobsSubscription;
    private IDisposable? _noticesSubscription;
    private readonly CancellationTokenSource _disposed = new();

    [Inject] private IJobTracker Tracker { get; set; } = default!;
    [Inject] private StorageNotices Notices { get; set; } = default!;
    [Inject] private BrowserActions Browser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IStringLocalizer<ShellStrings> L { get; set; } = default!;
    [Inject] private ILogger<JobNotifications> Logger { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        // Subscribed after the first render: no JS during prerender, and nothing announced for the initial load.
        _jobsSubscription = Tracker.Subscribe(OnJobChangedAsync);
        _noticesSubscription = Notices.Subscribe(OnStorageNoticeAsync);
        await UpdateBadgeAsync().ConfigureAwait(false);
    }

    private Task OnJobChangedAsync(JobChange change) => InvokeAsync(async () =>
    {
        if (IsFinishTransition(change) is { } record)
        {
            var succeeded = record.Status.Phase == JobPhase.Succeeded;
            var title = succeeded ? L["notify.done"].Value : L["notify.failed"].Value;
            var prompt = FirstLine(record.Inputs.Prompt);
            Snackbar.Add(string.IsNullOrEmpty(prompt) ? title : StudioFormat.LabelValue(title, prompt), succeeded ? Severity.Success : Severity.Error,
                o => o.SnackbarVariant = Variant.Filled);
            await RunJsAsync(ct => Browser.ShowNotificationAsync(title, prompt, ct)).ConfigureAwait(false);
        }

        await UpdateBadgeAsync().ConfigureAwait(false);
    });

    private Task OnStorageNoticeAsync(StorageNotice notice) => InvokeAsync(() =>
    {
        var text = notice.Kind switch
        {
            StorageNoticeKind.ThumbnailsRemoved => L["storage.full"].Value,
            StorageNoticeKind.RecordsRemoved => L["storage.full_records"].Value,
            StorageNoticeKind.RecordsSetAside => L["storage.set_aside", notice.RecordsRemoved].Value,
            StorageNoticeKind.RecordsCapped => L["storage.capped", notice.RecordsRemoved].Value,
            _ => L["storage.save_failed"].Value,
        };
        Snackbar.Add(text, Severity.Warning);
    });

    /// <summary>The record when this change moved an active job to Succeeded or Failed; otherwise null.</summary>
    internal static JobRecord? IsFinishTransition(JobChange change) =>
        change is { Kind: JobChangeKind.Updated, Record: { } now, Previous: { } before }
        && before.Status.Phase.IsActive()
        && now.Status.Phase is JobPhase.Succeeded or JobPhase.Failed
            ? now
            : null;

    /// <summary>Finished results the user has not looked at yet.</summary>
    internal static int CountUnseen(IEnumerable<JobRecord> jobs) =>
        jobs.Count(j => !j.Seen && j.Status.Phase is JobPhase.Succeeded or JobPhase.Failed);

    private Task UpdateBadgeAsync() => RunJsAsync(async ct =>
    {
        await Browser.SetTitleBadgeAsync(CountUnseen(Tracker.Jobs), ct).ConfigureAwait(false);
        return true;
    });

    private async Task RunJsAsync(Func<CancellationToken, Task<bool>> call)
    {
        if (_disposed.IsCancellationRequested) return;
        try
        {
            await call(_disposed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or OperationCanceledException or ObjectDisposedException)
        {
            // A badge or system notification that cannot be shown is not worth failing the page for.
            if (!_disposed.IsCancellationRequested) LogBrowserActionFailed(ex);
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0) line = line[..end].TrimEnd();
        return line.Length > 80 ? string.Concat(line[..79], "…") : line.ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _jobsSubscription?.Dispose();
        _noticesSubscription?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A browser action (title badge or notification) failed.")]
    private partial void LogBrowserActionFailed(Exception exception);
}
