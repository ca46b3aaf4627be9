using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>
/// The selected job's result. Succeeded: the video (played from the backend's link directly), input thumbnail,
/// prompt, parameters, total time and time per stage, Download. The link never goes stale: it is refreshed shortly
/// before it expires and whenever the player reports an error (once per error, keeping the playback position).
/// Failed: the error text exactly as sent, as text, with a hint when it is recognisable, and the retry actions.
/// TimedOut: Keep checking. Lost: Remove. Nothing selected: an empty state.
/// </summary>
public sealed partial class ResultPanel : IAsyncDisposable
{
    /// <summary>The module beside this component.</summary>
    internal const string ModulePath = "./_content/I2VStudio.Components/ResultPanel/ResultPanel.razor.js";

    /// <summary>The shortest wait before a scheduled link refresh.</summary>
    internal static readonly TimeSpan MinRefreshDelay = TimeSpan.FromSeconds(5);

    private readonly string _headingId = "result-" + Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationTokenSource _cts = new();
    private DotNetObjectReference<ResultPanel>? _selfRef;
    private IJSObjectReference? _module;
    private IJSObjectReference? _player;
    private ElementReference _video;
    private string? _shownId;
    private string? _initialSrc;
    private string? _currentSrc;
    private string? _pendingSrc;
    private bool _needsAttach;
    private ITimer? _refreshTimer;
    private ITimer? _ticker;
    private DateTimeOffset? _refreshScheduledFor;
    private bool _disposed;

    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IOptions<I2VStudioOptions> Options { get; set; } = default!;
    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;
    [Inject] private ILogger<ResultPanel> Logger { get; set; } = default!;

    /// <summary>The job to show, or null for the empty state. Default null.</summary>
    [Parameter] public JobRecord? Record { get; set; }

    // What the backend can do (cascaded by the studio page): on VideoGen a queued or timed-out job says why it is never
    // called lost. Null (alone, in a test): nothing extra.
    [CascadingParameter] private BackendFeatures? Backend { get; set; }

    /// <summary>Raised by "Retry" (Failed).</summary>
    [Parameter] public EventCallback<JobRecord> OnRetry { get; set; }

    /// <summary>Raised by "Retry with a new seed" (Failed, Succeeded).</summary>
    [Parameter] public EventCallback<JobRecord> OnRetryWithNewSeed { get; set; }

    /// <summary>Raised by "Submit again" (SubmitFailed).</summary>
    [Parameter] public EventCallback<JobRecord> OnSubmitAgain { get; set; }

    /// <summary>
    /// Raised by "Submit without enhancement", the main action of a job the backend's LLM refused (SubmitFailed with
    /// <see cref="JobError.IsPromptEnhancementRefusal"/>), which offers no Submit again.
    /// </summary>
    [Parameter] public EventCallback<JobRecord> OnSubmitWithoutEnhancement { get; set; }

    /// <summary>Raised by "Keep checking" (TimedOut).</summary>
    [Parameter] public EventCallback<JobRecord> OnKeepChecking { get; set; }

    /// <summary>Raised by "Remove" (Lost).</summary>
    [Parameter] public EventCallback<JobRecord> OnRemove { get; set; }

    /// <summary>Raised by "Download" (Succeeded).</summary>
    [Parameter] public EventCallback<JobRecord> OnDownload { get; set; }

    /// <summary>
    /// Fetches a fresh output link for the shown job (e.g. <see cref="StudioJobsState.RefreshLinkAsync"/>): called shortly
    /// before the link expires and when the player reports an error; returns the new URL, or null when there is none.
    /// The owner also passes the updated <see cref="Record"/> back in. A function rather than an event because the player
    /// needs the answer. Default null: the link is never refreshed.
    /// </summary>
    [Parameter] public Func<JobRecord, CancellationToken, Task<string?>>? RefreshLink { get; set; }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        var job = Record;
        if (job?.Id != _shownId)
        {
            // Another job: the video element is keyed by id, so a new one is rendered and attached.
            _shownId = job?.Id;
            _initialSrc = ShowsVideo(job) ? job!.OutputUrl : null;
            _currentSrc = _initialSrc;
            _pendingSrc = null;
            _needsAttach = _initialSrc is not null;
            _refreshScheduledFor = null;
        }
        else if (ShowsVideo(job))
        {
            if (_initialSrc is null)
            {
                // The job just finished while shown: render the player now.
                _initialSrc = job!.OutputUrl;
                _currentSrc = _initialSrc;
                _needsAttach = true;
            }
            else if (job!.OutputUrl != _currentSrc)
            {
                // A fresh link: swap it into the player without a reload of the component.
                _pendingSrc = job.OutputUrl;
            }
        }
        ScheduleRefresh(job);
        UpdateTicker(job);
    }

    // The elapsed time of an active job moves every second; a finished one is still.
    private void UpdateTicker(JobRecord? job)
    {
        var active = job is not null && job.Status.Phase.IsActive();
        if (active && _ticker is null && !_disposed)
        {
            _ticker = Time.CreateTimer(_ => _ = InvokeAsync(() =>
            {
                if (!_disposed) StateHasChanged();
            }), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
        else if (!active && _ticker is not null)
        {
            _ticker.Dispose();
            _ticker = null;
        }
    }

    /// <summary>Whether the once-a-second ticker runs (for tests).</summary>
    internal bool IsTicking => _ticker is not null;

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_disposed) return;
        try
        {
            if (_needsAttach && _initialSrc is not null)
            {
                _needsAttach = false;
                await DetachPlayerAsync();
                _module ??= await JS.InvokeAsync<IJSObjectReference>("import", _cts.Token, ModulePath);
                _selfRef ??= DotNetObjectReference.Create(this);
                _player = await _module.InvokeAsync<IJSObjectReference>("attach", _cts.Token, _video, _selfRef);
            }
            if (_pendingSrc is { } url && _player is not null)
            {
                _pendingSrc = null;
                _currentSrc = url;
                Log.SwappingSource(Logger, _shownId ?? "");
                await _player.InvokeVoidAsync("swapSource", _cts.Token, url);
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; nothing to keep alive.
        }
        catch (OperationCanceledException)
        {
            // Disposed while talking to the browser.
        }
    }

    /// <summary>Called by the player's module when the video fails to load: fetches a fresh link (once per error).</summary>
    /// <returns>The new URL for the player, or null when there is none (the panel then says why).</returns>
    [JSInvokable]
    public async Task<string?> OnVideoErrorAsync()
    {
        if (Record is not { } job || _disposed || RefreshLink is not { } refresh) return null;
        Log.PlayerError(Logger, job.Id);
        try
        {
            var url = await refresh(job, _cts.Token);
            if (url is not null) _currentSrc = url;
            return url;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    // The link is refreshed a little before it expires, once per expiry time (a failed refresh does not loop).
    private void ScheduleRefresh(JobRecord? job)
    {
        var expiresAt = ShowsVideo(job) ? job!.OutputUrlExpiresAt : null;
        if (expiresAt is null)
        {
            CancelRefreshTimer();
            return;
        }
        if (expiresAt == _refreshScheduledFor) return;
        CancelRefreshTimer();
        _refreshScheduledFor = expiresAt;
        var remaining = expiresAt.Value - Time.GetUtcNow();
        var due = remaining - Options.Value.OutputUrlRefreshLead;
        // A link that lives shorter than the lead (a test backend, a proxy) is refreshed at half its life, and never
        // sooner than MinRefreshDelay, so a short lifetime cannot turn into a tight refresh loop.
        if (due < remaining / 2) due = remaining / 2;
        if (due < MinRefreshDelay) due = MinRefreshDelay;
        var id = job!.Id;
        Log.RefreshScheduled(Logger, id, due);
        _refreshTimer = Time.CreateTimer(_ => _ = InvokeAsync(() => RefreshBeforeExpiryAsync(id)), null, due, Timeout.InfiniteTimeSpan);
    }

    private async Task RefreshBeforeExpiryAsync(string id)
    {
        if (_disposed || Record is not { } job || job.Id != id || RefreshLink is not { } refresh) return;
        try
        {
            // The owner passes the updated record back in and the new link is swapped in.
            Log.RefreshingBeforeExpiry(Logger, id);
            await refresh(job, _cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>Whether a refresh is scheduled (for tests).</summary>
    internal bool RefreshScheduled => _refreshTimer is not null;

    private void CancelRefreshTimer()
    {
        _refreshTimer?.Dispose();
        _refreshTimer = null;
        _refreshScheduledFor = null;
    }

    private static bool ShowsVideo(JobRecord? job) =>
        job is { Status.Phase: JobPhase.Succeeded, OutputLinkGone: false, OutputUrl: not null };

    private static bool CanRetry(JobRecord job) => !string.IsNullOrEmpty(job.Inputs.ImageBlobKey);

    private static string TitleOf(JobRecord job) =>
        string.IsNullOrWhiteSpace(job.Inputs.Prompt) ? job.JobId ?? job.Id : StudioFormat.FirstLine(job.Inputs.Prompt);

    private static I2VParams? ParamsOf(JobRecord job) =>
        job.JobType == I2VParams.JobTypeName && job.Params.ValueKind == System.Text.Json.JsonValueKind.Object
            ? I2VParams.FromJson(job.Params)
            : null;

    /// <summary>Whether a worker's error reads as the GPU running out of memory (CUDA / PyTorch wording).</summary>
    internal static bool IsOutOfMemory(string? error) =>
        error is not null &&
        (error.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
         || error.Contains("OutOfMemoryError", StringComparison.OrdinalIgnoreCase)
         || error.Contains("CUDA_ERROR_OUT_OF_MEMORY", StringComparison.OrdinalIgnoreCase));

    private async Task DetachPlayerAsync()
    {
        if (_player is not { } player) return;
        _player = null;
        await JsSafe.DisposeQuietlyAsync(async () =>
        {
            await player.InvokeVoidAsync("dispose");
            await player.DisposeAsync();
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        CancelRefreshTimer();
        _ticker?.Dispose();
        _ticker = null;
        await _cts.CancelAsync();
        await DetachPlayerAsync();
        if (_module is { } module)
        {
            _module = null;
            await JsSafe.DisposeQuietlyAsync(module.DisposeAsync);
        }
        _selfRef?.Dispose();
        _cts.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Result {Id}: output link refresh scheduled in {Due}.")]
        public static partial void RefreshScheduled(ILogger logger, string id, TimeSpan due);

        [LoggerMessage(2, LogLevel.Debug, "Result {Id}: refreshing the output link before it expires.")]
        public static partial void RefreshingBeforeExpiry(ILogger logger, string id);

        [LoggerMessage(3, LogLevel.Debug, "Result {Id}: swapping a fresh link into the player.")]
        public static partial void SwappingSource(ILogger logger, string id);

        [LoggerMessage(4, LogLevel.Information, "Result {Id}: the player reported an error; fetching a fresh link.")]
        public static partial void PlayerError(ILogger logger, string id);
    }
}
