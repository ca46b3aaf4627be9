namespace TurboDiffusion.Emulator;

/// <summary>Which store a status change was written to.</summary>
public enum JobEventSource
{
    /// <summary>The job table (the DB status: CREATED, SUBMITTED, STARTED, …).</summary>
    Database,

    /// <summary>The Celery result backend (STARTED, SUCCESS, FAILURE).</summary>
    Celery,
}

/// <summary>One status write, in the order the emulator made it.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Source">Where the status was written.</param>
/// <param name="Status">The status written.</param>
/// <param name="At">When, by the emulator's clock.</param>
/// <param name="Sequence">Position in the log, increasing across all jobs.</param>
public sealed record JobStatusEvent(string JobId, JobEventSource Source, string Status, DateTimeOffset At, long Sequence);

/// <summary>
/// Every status the emulator writes, in order, with a way to await one. Tests assert the exact
/// lifecycle with it and wait for a state without sleeping; the last 10 000 events are kept.
/// </summary>
public sealed class JobEventLog
{
    private const int Capacity = 10_000;
    private readonly Lock gate = new();
    private readonly LinkedList<JobStatusEvent> events = new();
    private readonly List<Waiter> waiters = [];
    private long sequence;

    /// <summary>The events of one job, oldest first.</summary>
    public IReadOnlyList<JobStatusEvent> ForJob(string jobId)
    {
        lock (gate)
        {
            return events.Where(e => e.JobId == jobId).ToList();
        }
    }

    /// <summary>The statuses written for one job to one store, oldest first.</summary>
    public IReadOnlyList<string> StatusesOf(string jobId, JobEventSource source)
    {
        lock (gate)
        {
            return events.Where(e => e.JobId == jobId && e.Source == source).Select(e => e.Status).ToList();
        }
    }

    /// <summary>Jobs handed to the worker (database SUBMITTED) whose Celery state is not final yet: queued or running.</summary>
    public IReadOnlyList<string> QueuedOrRunning()
    {
        lock (gate)
        {
            var finished = events.Where(IsFinish).Select(e => e.JobId).ToHashSet();
            return [.. events.Where(e => e.Source == JobEventSource.Database && e.Status == DbStatus.Submitted && !finished.Contains(e.JobId))
                .Select(e => e.JobId).Distinct()];
        }
    }

    /// <summary>Completes with the first event, already logged or still to come, that matches <paramref name="predicate"/>.</summary>
    public Task<JobStatusEvent> WaitForAsync(Func<JobStatusEvent, bool> predicate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        Waiter waiter;
        lock (gate)
        {
            var seen = events.FirstOrDefault(predicate);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            waiter = new Waiter(predicate);
            waiters.Add(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (gate)
                {
                    waiters.Remove(waiter);
                }

                waiter.Completion.TrySetCanceled(cancellationToken);
            });
            waiter.Completion.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Completion.Task;
    }

    /// <summary>Waits until <paramref name="jobId"/> gets <paramref name="status"/> in <paramref name="source"/>.</summary>
    public Task<JobStatusEvent> WaitForStatusAsync(string jobId, JobEventSource source, string status, CancellationToken cancellationToken) =>
        WaitForAsync(e => e.JobId == jobId && e.Source == source && e.Status == status, cancellationToken);

    /// <summary>Waits until the job's Celery state is final (SUCCESS or FAILURE) and returns that event.</summary>
    public Task<JobStatusEvent> WaitForFinishAsync(string jobId, CancellationToken cancellationToken) =>
        WaitForAsync(e => e.JobId == jobId && IsFinish(e), cancellationToken);

    private static bool IsFinish(JobStatusEvent e) => e.Source == JobEventSource.Celery && e.Status is CeleryState.Success or CeleryState.Failure;

    internal void Record(string jobId, JobEventSource source, string status, DateTimeOffset at)
    {
        List<Waiter> matched;
        JobStatusEvent entry;
        lock (gate)
        {
            entry = new JobStatusEvent(jobId, source, status, at, ++sequence);
            events.AddLast(entry);
            if (events.Count > Capacity)
            {
                events.RemoveFirst();
            }

            matched = waiters.Where(w => w.Predicate(entry)).ToList();
            foreach (var waiter in matched)
            {
                waiters.Remove(waiter);
            }
        }

        // Completed outside the lock: continuations run asynchronously and must not re-enter it.
        foreach (var waiter in matched)
        {
            waiter.Completion.TrySetResult(entry);
        }
    }

    private sealed class Waiter(Func<JobStatusEvent, bool> predicate)
    {
        public Func<JobStatusEvent, bool> Predicate { get; } = predicate;

        public TaskCompletionSource<JobStatusEvent> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
