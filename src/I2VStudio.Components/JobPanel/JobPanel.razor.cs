using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>
/// The job list: newest first, filtered by phase, virtualised so a thousand stored jobs stay fast, with "Track a job
/// by ID". Renders <see cref="JobCard"/>s and carries out their actions through <see cref="StudioJobActions"/>.
/// Re-renders on every tracker change, and once a second while a job is active (for the elapsed times).
/// </summary>
public sealed partial class JobPanel : IDisposable
{
    private static readonly JobFilter[] Filters = Enum.GetValues<JobFilter>();
    private readonly string _headingId = "jobs-" + Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationTokenSource _cts = new();
    private List<JobRecord> _items = [];
    private IDisposable? _subscription;
    private ITimer? _ticker;
    private DateTimeOffset _now;
    private JobFilter _filter = JobFilter.All;
    private string? _trackJobId;
    private string? _trackError;
    private bool _adopting;
    private bool _disposed;

    [Inject] private IJobTracker Tracker { get; set; } = default!;
    [Inject] private StudioJobActions Actions { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<I2VStudioOptions> Options { get; set; } = default!;
    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;

    /// <summary>The local id of the job shown in the result panel, or null. Default null.</summary>
    [Parameter] public string? SelectedId { get; set; }

    /// <summary>Raised when the user picks a job, or an action makes a new one (Retry, Variants, Track), or the selected job is removed (null).</summary>
    [Parameter] public EventCallback<string?> SelectedIdChanged { get; set; }

    /// <summary>The height the virtualised list assumes for a card, in pixels. Default 150.</summary>
    [Parameter] public float ItemSize { get; set; } = 150;

    /// <summary>The list's maximum height (CSS), so it scrolls inside the page. Default <c>70vh</c>.</summary>
    [Parameter] public string MaxListHeight { get; set; } = "70vh";

    private string ListStyle => $"max-height: {MaxListHeight}";

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _subscription = Tracker.Subscribe(OnTrackerChangedAsync);
    }

    /// <inheritdoc />
    protected override void OnParametersSet() => Refresh();

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            // Loading the stored jobs reads browser storage, so it waits for the first interactive render.
            await Tracker.InitializeAsync(_cts.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (JSDisconnectedException)
        {
            return;
        }
        if (_disposed) return;
        Refresh();
        StateHasChanged();
    }

    private Task OnTrackerChangedAsync(JobChange change) =>
        InvokeAsync(() =>
        {
            if (_disposed) return;
            Refresh();
            StateHasChanged();
        });

    private void Refresh()
    {
        _now = Time.GetUtcNow();
        var items = new List<JobRecord>();
        var anyActive = false;
        foreach (var job in Tracker.Jobs)
        {
            anyActive |= job.Status.Phase.IsActive();
            if (_filter.Matches(job.Status.Phase)) items.Add(job);
        }
        _items = items;
        UpdateTicker(anyActive);
    }

    // One timer for the whole list, and only while something is active: idle lists cost nothing.
    private void UpdateTicker(bool anyActive)
    {
        if (anyActive && _ticker is null && !_disposed)
        {
            _ticker = Time.CreateTimer(_ => _ = InvokeAsync(OnTick), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
        else if (!anyActive && _ticker is not null)
        {
            _ticker.Dispose();
            _ticker = null;
        }
    }

    private void OnTick()
    {
        if (_disposed) return;
        Refresh();
        StateHasChanged();
    }

    /// <summary>Whether the once-a-second ticker runs (for tests).</summary>
    internal bool IsTicking => _ticker is not null;

    private int CountFor(JobFilter filter) => filter == JobFilter.All
        ? Tracker.Jobs.Count
        : Tracker.Jobs.Count(j => filter.Matches(j.Status.Phase));

    private TimeSpan? ExpectedFor(JobRecord job) =>
        job.Status.Phase == JobPhase.Running
            ? JobTimings.ExpectedRunDuration(job, Tracker.Jobs, Options.Value.EtaMinSamples)
            : null;

    private void SetFilter(JobFilter filter)
    {
        _filter = filter;
        Refresh();
    }

    private async Task TrackAsync()
    {
        var jobId = _trackJobId?.Trim();
        if (string.IsNullOrEmpty(jobId))
        {
            _trackError = L["error.job_id_required"];
            return;
        }
        _trackError = null;
        _adopting = true;
        try
        {
            var record = await Tracker.AdoptAsync(jobId, I2VParams.JobTypeName, _cts.Token);
            _trackJobId = null;
            await SelectedIdChanged.InvokeAsync(record.Id);
        }
        catch (OperationCanceledException)
        {
            // The panel went away.
        }
#pragma warning disable CA1031 // Whatever went wrong is shown next to the field; the page stays usable.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _trackError = ex.Message;
        }
        finally
        {
            _adopting = false;
        }
    }

    private Task SelectAsync(JobRecord job) => SelectedIdChanged.InvokeAsync(job.Id);

    private async Task SubmitAgainAsync(JobRecord job)
    {
        await SelectedIdChanged.InvokeAsync(job.Id);
        await Actions.SubmitAgainAsync(job, _cts.Token);
    }

    private async Task RetryAsync(JobRecord job)
    {
        if (await Actions.RetryAsync(job, newSeed: false, _cts.Token) is { } made) await SelectedIdChanged.InvokeAsync(made.Id);
    }

    private async Task RetryWithNewSeedAsync(JobRecord job)
    {
        if (await Actions.RetryAsync(job, newSeed: true, _cts.Token) is { } made) await SelectedIdChanged.InvokeAsync(made.Id);
    }

    private async Task VariantsAsync(JobRecord job)
    {
        var made = await Actions.VariantsAsync(job, _cts.Token);
        if (made.Count > 0) await SelectedIdChanged.InvokeAsync(made[0].Id);
    }

    private Task KeepCheckingAsync(JobRecord job) => Actions.KeepCheckingAsync(job, _cts.Token);

    private Task DownloadAsync(JobRecord job) => Actions.DownloadAsync(job, _cts.Token);

    private Task CopyIdAsync(JobRecord job) => Actions.CopyIdAsync(job, _cts.Token);

    private async Task RemoveAsync(JobRecord job)
    {
        if (await Actions.RemoveAsync(job, _cts.Token) && job.Id == SelectedId) await SelectedIdChanged.InvokeAsync(null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _subscription?.Dispose();
        _subscription = null;
        _ticker?.Dispose();
        _ticker = null;
        _cts.Cancel();
        _cts.Dispose();
    }
}
