using Microsoft.JSInterop;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>
/// The user's jobs as one studio view shows them: the records, the selected one, the "Track a job by ID" status, and
/// every job command (submit, retry, variants, submit again, keep checking, download, copy id, remove, refresh a
/// link). The one place a view talks to the <see cref="IJobTracker"/>: it subscribes once, initialises once, keeps
/// the selection in step with the tracker (a new submission is selected the moment its record appears, a removed one
/// is deselected, a finished selected one is marked seen) and raises <see cref="Changed"/>. Panels only get its data
/// and raise events. A plain class: the view that shows it creates it and disposes it (the studio page does; a
/// workspace view can do the same), so each view has its own selection over the session's one tracker.
/// <see cref="Changed"/> may be raised from the tracker's thread: a component marshals with <c>InvokeAsync</c>.
/// </summary>
public sealed class StudioJobsState : IDisposable
{
    private readonly IJobTracker _tracker;
    private readonly StudioJobActions _actions;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _life = new();
    private IDisposable? _subscription;
    private Task? _initialization;
    private JobInputs? _awaitingInputs;
    private string? _selectedId;
    private bool _disposed;

    /// <summary>Subscribes to <paramref name="tracker"/>; dispose to unsubscribe.</summary>
    /// <param name="tracker">The session's tracker.</param>
    /// <param name="actions">What the job commands do (confirmations, snackbars, downloads).</param>
    public StudioJobsState(IJobTracker tracker, StudioJobActions actions)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(actions);
        _tracker = tracker;
        _actions = actions;
        _subscription = tracker.Subscribe(OnTrackerChangedAsync);
    }

    /// <summary>Raised after anything this state shows changed (a record, the selection, the track status).</summary>
    public event EventHandler? Changed;

    /// <summary>Every record, newest first.</summary>
    public IReadOnlyList<JobRecord> Jobs => _tracker.Jobs;

    /// <summary>The local id of the selected job, or null.</summary>
    public string? SelectedId
    {
        get
        {
            lock (_gate) return _selectedId;
        }
    }

    /// <summary>The selected job's record, or null (nothing selected, or it is gone).</summary>
    public JobRecord? Selected => SelectedId is { } id ? _tracker.Find(id) : null;

    /// <summary>True once the stored records are loaded.</summary>
    public bool IsInitialized { get; private set; }

    /// <summary>True while a "Track a job by ID" request is in flight.</summary>
    public bool Tracking { get; private set; }

    /// <summary>Why the last "Track a job by ID" failed, as the tracker said it; null when it worked or was not tried.</summary>
    public string? TrackProblem { get; private set; }

    /// <summary>
    /// Loads the stored records once (later calls wait for the first) and selects the newest when nothing is selected.
    /// Reads browser storage: call it after the first interactive render.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _initialization ??= InitializeCoreAsync(cancellationToken);

    private async Task InitializeCoreAsync(CancellationToken cancellationToken)
    {
        await _tracker.InitializeAsync(cancellationToken);
        IsInitialized = true;
        if (SelectedId is null && _tracker.Jobs is [var newest, ..]) await SelectAsync(newest.Id, cancellationToken);
        else OnChanged();
    }

    /// <summary>Selects a job (null: none) and marks it seen when it has finished.</summary>
    public async Task SelectAsync(string? id, CancellationToken cancellationToken)
    {
        lock (_gate) _selectedId = id;
        await MarkSelectedSeenAsync(cancellationToken);
        OnChanged();
    }

    /// <summary>
    /// Submits a new job and selects it the moment its record appears (before the POST ends). Returns the record; a
    /// failed POST returns it in SubmitFailed. Exceptions other than the tracker's kept failures reach the caller.
    /// </summary>
    public async Task<JobRecord> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) _awaitingInputs = request.Inputs;
        try
        {
            var record = await _tracker.SubmitAsync(request, cancellationToken);
            lock (_gate) _selectedId = record.Id;
            OnChanged();
            return record;
        }
        finally
        {
            lock (_gate) _awaitingInputs = null;
        }
    }

    /// <summary>POSTs a SubmitFailed job again (asking first when it may have reached the backend); selects it.</summary>
    public async Task SubmitAgainAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await SelectAsync(job.Id, cancellationToken);
        await _actions.SubmitAgainAsync(job, cancellationToken);
    }

    /// <summary>
    /// After the backend's LLM refused a job: a new job from its inputs with prompt enhancement off (one per click; the
    /// refused record stays); selects the new job.
    /// </summary>
    public async Task SubmitWithoutEnhancementAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (await _actions.SubmitWithoutEnhancementAsync(job, cancellationToken) is { } made) await SelectAsync(made.Id, cancellationToken);
    }

    /// <summary>A new job from this one's inputs (with a new seed when asked); selects the new job.</summary>
    public async Task RetryAsync(JobRecord job, bool newSeed, CancellationToken cancellationToken)
    {
        if (await _actions.RetryAsync(job, newSeed, cancellationToken) is { } made) await SelectAsync(made.Id, cancellationToken);
    }

    /// <summary>Several new jobs from this one's inputs, each with its own seed; selects the first.</summary>
    public async Task VariantsAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var made = await _actions.VariantsAsync(job, cancellationToken);
        if (made.Count > 0) await SelectAsync(made[0].Id, cancellationToken);
    }

    /// <summary>Resumes polling a TimedOut or Lost job with a fresh deadline.</summary>
    public Task KeepCheckingAsync(JobRecord job, CancellationToken cancellationToken) => _actions.KeepCheckingAsync(job, cancellationToken);

    /// <summary>Downloads the video under a meaningful name.</summary>
    public Task DownloadAsync(JobRecord job, CancellationToken cancellationToken) => _actions.DownloadAsync(job, cancellationToken);

    /// <summary>Copies the backend's job id to the clipboard.</summary>
    public Task CopyIdAsync(JobRecord job, CancellationToken cancellationToken) => _actions.CopyIdAsync(job, cancellationToken);

    /// <summary>Asks, then removes the job; the selection is cleared when it was the selected one.</summary>
    public async Task RemoveAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (await _actions.RemoveAsync(job, cancellationToken) && SelectedId == job.Id) await SelectAsync(null, cancellationToken);
    }

    /// <summary>
    /// A fresh output link for a Succeeded job (before it expires, or after the player failed). Null when the backend
    /// can no longer mint one; throws the tracker's API exception when the GET fails.
    /// </summary>
    public Task<string?> RefreshLinkAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _tracker.RefreshOutputUrlAsync(job.Id, cancellationToken);
    }

    /// <summary>
    /// Starts tracking a job submitted elsewhere by the backend's job id (as an I2V job) and selects it. A refusal is
    /// kept in <see cref="TrackProblem"/>, word for word.
    /// </summary>
    public async Task TrackAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        Tracking = true;
        TrackProblem = null;
        OnChanged();
        try
        {
            var record = await _tracker.AdoptAsync(jobId.Trim(), I2VParams.JobTypeName, cancellationToken);
            await SelectAsync(record.Id, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The view went away.
        }
#pragma warning disable CA1031 // Whatever went wrong is shown next to the field; the page stays usable.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TrackProblem = ex.Message;
        }
        finally
        {
            Tracking = false;
            OnChanged();
        }
    }

    private async Task OnTrackerChangedAsync(JobChange change)
    {
        bool selectedChanged;
        CancellationToken life;
        lock (_gate)
        {
            if (_disposed) return;
            life = _life.Token;
            // The tracker stores the record before it POSTs: select it the moment it appears.
            if (change is { Kind: JobChangeKind.Added, Record: { } added } && _awaitingInputs is { } inputs && added.Inputs == inputs)
                _selectedId = added.Id;
            if (change.Kind == JobChangeKind.Removed && change.Id == _selectedId) _selectedId = null;
            selectedChanged = change.Id == _selectedId;
        }
        if (selectedChanged) await MarkSelectedSeenAsync(life);
        OnChanged();
    }

    private async Task MarkSelectedSeenAsync(CancellationToken cancellationToken)
    {
        if (Selected is not { Seen: false } job || !job.Status.Phase.IsFinished() || job.Status.Phase == JobPhase.SubmitFailed) return;
        try
        {
            await _tracker.MarkSeenAsync(job.Id, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The view went away.
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away.
        }
    }

    private void OnChanged()
    {
        if (!_disposed) Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Unsubscribes from the tracker; no <see cref="Changed"/> after this.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _subscription?.Dispose();
        _subscription = null;
        Changed = null;
        _life.Cancel();
        _life.Dispose();
    }
}
