using TurboDiffusion.Client.Jobs.Polling;

namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>
/// The wait before a job's next status GET where this tracker knows more than the spec's 2/5/10 s schedule: a run
/// whose length it learned (<see cref="PollingOptions.LearnRunDurations"/>), a job queued behind its own
/// (<see cref="PollingOptions.StepDownQueuedBehind"/>). A refinement never waits past the moment the plain schedule
/// expects a finished job to be noticed: it only thins polls where the job provably or very probably cannot have
/// finished. Reads the book and the schedule, so the tracker uses it under its gate.
/// </summary>
internal sealed class PollPlanner
{
    private readonly PollingOptions _options;
    private readonly PollingPolicy _policy;
    private readonly RunDurations _durations;
    private readonly JobRecordBook _book;
    private readonly JobSchedule _schedule;

    public PollPlanner(PollingOptions options, PollingPolicy policy, RunDurations durations, JobRecordBook book, JobSchedule schedule)
    {
        _options = options;
        _policy = policy;
        _durations = durations;
        _book = book;
        _schedule = schedule;
    }

    /// <summary>The wait before the next GET after a good answer.</summary>
    public TimeSpan NextWait(JobRecord record, ScheduledJob job, DateTimeOffset now)
    {
        var phase = record.Status.Phase;
        if (phase == JobPhase.Running && _options.LearnRunDurations
            && _durations.Expect(record, _options.LearnMinSamples) is { } expected)
        {
            var elapsed = now - EarliestRunStart(record, job, now);
            return _policy.NextLearnedRunningInterval(expected, elapsed, record.LastChangeAt, now);
        }

        if (phase == JobPhase.Queued && _options.StepDownQueuedBehind && IsKnownQueued(record) && IsBehindOwnJob(record))
        {
            return _policy.NextQueuedBehindInterval(record.LastChangeAt, now);
        }

        return _policy.NextInterval(phase, record.LastChangeAt, now);
    }

    /// <summary>The wait before the first GET of a job the backend just accepted: it joins the queue behind this tracker's earlier active jobs.</summary>
    public TimeSpan FirstWait(JobRecord accepted, DateTimeOffset now) =>
        _options.StepDownQueuedBehind && IsBehindOwnJob(accepted)
            ? _policy.NextQueuedBehindInterval(now, now)
            : _policy.NextInterval(JobPhase.Queued, now, now);

    /// <summary>
    /// One of this tracker's jobs just finished, so a worker may have become free: the oldest job still queued is
    /// polled now instead of at its stepped-down time (a one-worker backend starts it now).
    /// </summary>
    public void WakeOldestQueued(DateTimeOffset now)
    {
        if (!_options.StepDownQueuedBehind) return;
        ScheduledJob? oldest = null;
        JobRecord? oldestRecord = null;
        foreach (var (id, job) in _schedule.Polls)
        {
            if (job.InFlight || !_book.TryGet(id, out var record)) continue;
            if (record.Status.Phase != JobPhase.Queued || record.JobId is null) continue;
            if (oldestRecord is null || _book.IsEarlier(record, oldestRecord))
            {
                oldest = job;
                oldestRecord = record;
            }
        }

        if (oldest is not null && oldest.DueAt > now) oldest.DueAt = now;
    }

    /// <summary>
    /// The earliest moment the record's current run can have started: the last answer that said it was not
    /// running yet; after a reload (not known), the first Running answer less the idle interval (the most a regular
    /// poll lags), but not before the answer that preceded it.
    /// </summary>
    private DateTimeOffset EarliestRunStart(JobRecord record, ScheduledJob job, DateTimeOffset now)
    {
        var seen = RunTimes.RunStart(record) ?? now;
        if (job.NotRunningAt is { } notRunning && notRunning <= seen) return notRunning;
        var estimate = seen - _options.IdleInterval;
        var previous = record.Timeline.LastOrDefault(c => c.At < seen && c.Phase != JobPhase.Running);
        return previous is not null && previous.At > estimate ? previous.At : estimate;
    }

    /// <summary>
    /// True when an earlier job of this tracker is, by the backend's last answer, queued or running: on a FIFO queue
    /// the job will not start before that one does, and on a one-worker backend not before that one finishes.
    /// </summary>
    private bool IsBehindOwnJob(JobRecord record)
    {
        foreach (var (id, _) in _schedule.Polls)
        {
            if (id == record.Id || !_book.TryGet(id, out var other)) continue;
            // Only jobs the backend itself said are queued or running count: a job whose GETs hang proves nothing.
            if ((IsKnownQueued(other) || other.Status.Phase == JobPhase.Running) && _book.IsEarlier(other, record)) return true;
        }

        return false;
    }

    /// <summary>The backend says the job waits: PENDING with a queued DB row, so the id is known.</summary>
    private static bool IsKnownQueued(JobRecord record) =>
        record.Status.Phase == JobPhase.Queued && record.JobId is not null && record.Status.Db is not null
        && string.Equals(record.Status.Celery, Contract.CeleryStates.Pending, StringComparison.OrdinalIgnoreCase);
}
