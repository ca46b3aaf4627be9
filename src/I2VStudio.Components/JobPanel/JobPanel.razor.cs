using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>
/// The job list: newest first, filtered by phase, virtualised so a thousand stored jobs stay fast, with "Track a job
/// by ID". Renders the <see cref="Jobs"/> it is given as <see cref="JobCard"/>s and raises their actions; the owner
/// (e.g. <see cref="StudioJobsState"/>) carries them out and passes the changed records back in. Re-renders once a
/// second while a job is active (for the elapsed times).
/// </summary>
public sealed partial class JobPanel : IDisposable
{
    private static readonly JobFilter[] Filters = Enum.GetValues<JobFilter>();
    private readonly string _headingId = "jobs-" + Guid.NewGuid().ToString("N")[..8];
    private List<JobRecord> _items = [];
    private ITimer? _ticker;
    private DateTimeOffset _now;
    private JobFilter _filter = JobFilter.All;
    private string? _trackJobId;
    private string? _trackRequired;
    private string? _trackPending;
    private bool _disposed;

    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<I2VStudioOptions> Options { get; set; } = default!;
    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;

    /// <summary>The records to list, newest first. Default empty.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<JobRecord> Jobs { get; set; } = [];

    /// <summary>The local id of the job shown in the result panel, or null. Default null.</summary>
    [Parameter] public string? SelectedId { get; set; }

    /// <summary>Raised when the user picks a job.</summary>
    [Parameter] public EventCallback<string?> SelectedIdChanged { get; set; }

    /// <summary>True while a "Track a job by ID" request is in flight (the field and button are disabled). Default false.</summary>
    [Parameter] public bool Tracking { get; set; }

    /// <summary>Why the last "Track a job by ID" failed, shown at the field; null when it did not. Default null.</summary>
    [Parameter] public string? TrackProblem { get; set; }

    /// <summary>Raised by "Track" with the backend's job id (trimmed, never empty).</summary>
    [Parameter] public EventCallback<string> OnTrack { get; set; }

    /// <summary>Raised by a card's "Submit again" (SubmitFailed).</summary>
    [Parameter] public EventCallback<JobRecord> OnSubmitAgain { get; set; }

    /// <summary>Raised by a card's "Submit without enhancement" (a job the backend's LLM refused).</summary>
    [Parameter] public EventCallback<JobRecord> OnSubmitWithoutEnhancement { get; set; }

    /// <summary>Raised by a card's "Retry" (Failed).</summary>
    [Parameter] public EventCallback<JobRecord> OnRetry { get; set; }

    /// <summary>Raised by a card's "Retry with a new seed".</summary>
    [Parameter] public EventCallback<JobRecord> OnRetryWithNewSeed { get; set; }

    /// <summary>Raised by a card's "Variants" (Succeeded).</summary>
    [Parameter] public EventCallback<JobRecord> OnVariants { get; set; }

    /// <summary>Raised by a card's "Keep checking" (TimedOut, Lost).</summary>
    [Parameter] public EventCallback<JobRecord> OnKeepChecking { get; set; }

    /// <summary>Raised by a card's "Download" (Succeeded).</summary>
    [Parameter] public EventCallback<JobRecord> OnDownload { get; set; }

    /// <summary>Raised by a card's "Copy ID".</summary>
    [Parameter] public EventCallback<JobRecord> OnCopyId { get; set; }

    /// <summary>Raised by a card's "Remove".</summary>
    [Parameter] public EventCallback<JobRecord> OnRemove { get; set; }

    /// <summary>The height the virtualised list assumes for a card, in pixels. Default 150.</summary>
    [Parameter] public float ItemSize { get; set; } = 150;

    /// <summary>The list's maximum height (CSS), so it scrolls inside the page. Default <c>70vh</c>.</summary>
    [Parameter] public string MaxListHeight { get; set; } = "70vh";

    private string ListStyle => $"max-height: {MaxListHeight}";

    private string? TrackError => _trackRequired ?? TrackProblem;

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        // A track request raised here has ended when the owner says it is no longer tracking: on success the field empties.
        if (_trackPending is not null && !Tracking)
        {
            if (TrackProblem is null) _trackJobId = null;
            _trackPending = null;
        }
        Refresh();
    }

    private void Refresh()
    {
        _now = Time.GetUtcNow();
        var items = new List<JobRecord>();
        var anyActive = false;
        foreach (var job in Jobs)
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
        ? Jobs.Count
        : Jobs.Count(j => filter.Matches(j.Status.Phase));

    private TimeSpan? ExpectedFor(JobRecord job) =>
        job.Status.Phase == JobPhase.Running
            ? JobTimings.ExpectedRunDuration(job, Jobs, Options.Value.EtaMinSamples)
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
            _trackRequired = L["error.job_id_required"];
            return;
        }
        _trackRequired = null;
        _trackPending = jobId;
        await OnTrack.InvokeAsync(jobId);
    }

    private Task SelectAsync(JobRecord job) => SelectedIdChanged.InvokeAsync(job.Id);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _ticker?.Dispose();
        _ticker = null;
    }
}
