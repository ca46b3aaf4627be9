namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>What one scheduled action did.</summary>
/// <param name="Work">The action.</param>
/// <param name="At">When it was applied.</param>
/// <param name="Fault">The status GET's failure, if it failed.</param>
internal sealed record ScheduledRun(ScheduledWork Work, DateTimeOffset At, Exception? Fault = null);

/// <summary>
/// Runs the <see cref="Schedule"/>'s actions on time: one timer for the earliest due action, at most
/// <c>MaxConcurrentRequests</c> status GETs at once (one pool of request slots, shared with other GETs of the owner),
/// each action on the thread pool. Remembers what each job's last action did and tells when a job, or every job, has
/// nothing due and nothing in flight.
/// </summary>
/// <remarks>
/// The owner (the tracker) <see cref="Attach"/>es its gate and its action: it reads and changes the schedule under
/// that gate, so an answer and the job's next due time change together. Members that say "under the gate" expect the
/// caller to hold it; the others take it.
/// </remarks>
internal sealed class PollScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _requestSlots;
    private readonly ITimer _timer;
    private readonly Dictionary<string, int> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduledRun> _lastRuns = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _actions = [];
    private readonly List<(string? Id, TaskCompletionSource Idle)> _idleWaiters = [];
    private Lock _gate = new();
    private Func<string, ScheduledJob, Task<ScheduledRun?>>? _run;
    private bool _stopped;

    /// <summary>Creates a scheduler on <paramref name="time"/> with at most <paramref name="maxConcurrentRequests"/> GETs at once (at least one).</summary>
    public PollScheduler(TimeProvider time, int maxConcurrentRequests)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        var slots = Math.Max(1, maxConcurrentRequests);
        _requestSlots = new SemaphoreSlim(slots, slots);
        _timer = time.CreateTimer(static state => ((PollScheduler)state!).Pump(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The clock the timer runs on.</summary>
    public TimeProvider Time => _time;

    /// <summary>Each job's next action; read and changed under the gate.</summary>
    public JobSchedule Schedule { get; } = new();

    /// <summary>Binds the owner's gate and its action (which returns what it did, or null when it was dropped). Once.</summary>
    public void Attach(Lock gate, Func<string, ScheduledJob, Task<ScheduledRun?>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_run is not null) throw new InvalidOperationException("The scheduler already has an owner.");
        _gate = gate;
        _run = run;
    }

    /// <summary>When the job's next action is due, or null when nothing is scheduled.</summary>
    public DateTimeOffset? DueAt(string id)
    {
        lock (_gate) return Schedule.DueAt(id);
    }

    /// <summary>What the job's last applied action did, or null when none was applied (or the job was forgotten).</summary>
    public ScheduledRun? LastRun(string id)
    {
        lock (_gate) return _lastRuns.GetValueOrDefault(id);
    }

    /// <summary>Forgets what the job's actions did (its record is gone); under the gate.</summary>
    public void Forget(string id) => _lastRuns.Remove(id);

    /// <summary>
    /// Completes when the job has no action in flight and none due now (one due but waiting for a request slot
    /// counts as due), or at once when that is so already or the scheduler has stopped.
    /// </summary>
    public Task WhenIdleAsync(string id, CancellationToken cancellationToken) => WhenIdleCoreAsync(id, cancellationToken);

    /// <summary>Completes when no job has an action in flight or due now (see <see cref="WhenIdleAsync(string, CancellationToken)"/>).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken) => WhenIdleCoreAsync(null, cancellationToken);

    /// <summary>
    /// Starts every due action there is a request slot for and arms the timer for the next. Call after each change
    /// of the schedule (outside the gate); the timer and each finished action call it too.
    /// </summary>
    public void Pump()
    {
        var started = new List<(string Id, Task<ScheduledRun?> Action)>();
        lock (_gate)
        {
            if (_stopped || _run is not { } run) return;
            var now = _time.GetUtcNow();
            // A GET needs a slot (at most MaxConcurrentRequests in flight); a slot's release pumps again.
            var due = Schedule.TakeDue(now, job => job.Work != ScheduledWork.Poll || TryTakeRequestSlot(), out var wake);
            _timer.Change(wake is { } at ? at - now : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            foreach (var (id, job) in due)
            {
                // On the thread pool: never on the timer's or a caller's stack (or a UI synchronisation context).
                var action = Task.Run(() => run(id, job), CancellationToken.None);
                _running[id] = _running.GetValueOrDefault(id) + 1;
                _actions.Add(action);
                started.Add((id, action));
            }

            if (started.Count == 0) SignalIdle(now);
        }

        foreach (var (id, action) in started)
        {
            action.ContinueWith(static (done, state) =>
            {
                var (scheduler, id) = ((PollScheduler, string))state!;
                scheduler.Finished(id, done);
            }, (this, id), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for a request slot (a GET outside the schedule, such as a link refresh).</summary>
    public Task WaitForRequestSlotAsync(CancellationToken cancellationToken) => _requestSlots.WaitAsync(cancellationToken);

    /// <summary>Gives back a request slot taken by a started poll or by <see cref="WaitForRequestSlotAsync"/>.</summary>
    public void ReleaseRequestSlot() => _requestSlots.Release();

    /// <summary>Stops the timer and the schedule; returns the actions still in flight (to await). Under the gate.</summary>
    public Task[] Stop()
    {
        if (_stopped) return [];
        _stopped = true;
        _timer.Dispose();
        Schedule.Clear();
        var waiters = _idleWaiters.ToArray();
        _idleWaiters.Clear();
        foreach (var (_, idle) in waiters) idle.TrySetResult();
        return [.. _actions];
    }

    /// <summary>Stops the timer.</summary>
    public void Dispose() => _timer.Dispose();

    private void Finished(string id, Task<ScheduledRun?> done)
    {
        lock (_gate)
        {
            _actions.Remove(done);
            if (_running.GetValueOrDefault(id) <= 1) _running.Remove(id);
            else _running[id]--;
            if (!_stopped && done.IsCompletedSuccessfully && done.Result is { } run) _lastRuns[id] = run;
            SignalIdle(_time.GetUtcNow());
        }
    }

    private async Task WhenIdleCoreAsync(string? id, CancellationToken cancellationToken)
    {
        TaskCompletionSource idle;
        lock (_gate)
        {
            if (_stopped || IsIdle(id, _time.GetUtcNow())) return;
            idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idleWaiters.Add((id, idle));
        }

        await idle.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes the waiters whose job (or every job) is idle now; under the gate.</summary>
    private void SignalIdle(DateTimeOffset now)
    {
        for (var i = _idleWaiters.Count - 1; i >= 0; i--)
        {
            var (id, idle) = _idleWaiters[i];
            if (!IsIdle(id, now)) continue;
            _idleWaiters.RemoveAt(i);
            idle.TrySetResult();
        }
    }

    private bool IsIdle(string? id, DateTimeOffset now)
    {
        if (id is null) return _running.Count == 0 && !Schedule.HasWaiting(now);
        return !_running.ContainsKey(id) && !Schedule.IsWaiting(id, now);
    }

    /// <summary>
    /// Takes a request slot if one is free, without waiting. <c>WaitAsync(0)</c> answers synchronously (a zero
    /// timeout never queues), and unlike <c>Wait(0)</c> it is supported in the browser, where the tracker also runs.
    /// </summary>
    private bool TryTakeRequestSlot()
    {
        var taken = _requestSlots.WaitAsync(0);
        return taken.IsCompletedSuccessfully && taken.Result;
    }
}
