using TurboDiffusion.Client.Jobs.Polling;

namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>
/// What a status GET's outcome means for the job's next action: applies the answer (or the fault) to the record, times
/// it out at its deadline, and sets when and what comes next — another GET, a last look at the deadline, an expiry
/// without a call, a settle poll while a finished job's DB row lags, or nothing.
/// </summary>
/// <remarks>
/// The wait before the next GET refines the spec's 2/5/10 s schedule where this tracker knows more: a run whose length
/// it learned (<see cref="PollingOptions.LearnRunDurations"/>), a job queued behind its own
/// (<see cref="PollingOptions.StepDownQueuedBehind"/>). A refinement never waits past the moment the plain schedule
/// expects a finished job to be noticed: it only thins polls where the job provably or very probably cannot have
/// finished. Reads the book and changes the schedule, so the tracker uses it under its gate.
/// </remarks>
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

    /// <summary>How long after a job finished its DB row may still be polled until it settles.</summary>
    public static readonly TimeSpan DbSettleWindow = TimeSpan.FromSeconds(30);

    /// <summary>When the record's tracking ends without a final answer (a record stored without one: from its creation).</summary>
    public DateTimeOffset DeadlineOf(JobRecord record) => record.Deadline ?? record.CreatedAt + _options.Deadline;

    /// <summary>
    /// True when the job finished by Celery's word but its DB row has not caught up yet (the worker writes the row
    /// after the task result, so a GET in between reads SUCCESS with UPLOADED): polled a little longer, at the running
    /// pace and for at most <see cref="DbSettleWindow"/>, so the DB badge does not freeze on a middle state.
    /// </summary>
    public static bool AwaitsDbRow(JobRecord record, DateTimeOffset now) =>
        record.Status.Phase is JobPhase.Succeeded or JobPhase.Failed
        && record.JobId is not null
        // Only the worker's own outcomes: it writes the row for those (a REVOKED task's row never moves).
        && (string.Equals(record.Status.Celery, Contract.CeleryStates.Success, StringComparison.OrdinalIgnoreCase)
            || string.Equals(record.Status.Celery, Contract.CeleryStates.Failure, StringComparison.OrdinalIgnoreCase))
        && record.Status.Db is { } db
        && !string.Equals(db, Contract.DbStates.Succeeded, StringComparison.OrdinalIgnoreCase)
        && !string.Equals(db, Contract.DbStates.Failed, StringComparison.OrdinalIgnoreCase)
        && !string.Equals(db, Contract.DbStates.SubmitFailed, StringComparison.OrdinalIgnoreCase)
        && record.CompletedAt is { } completed
        && now - completed < DbSettleWindow;

    /// <summary>
    /// Schedules a record loaded from the store (at start-up, or written by another tab): an active job with an id is
    /// polled at <paramref name="pollAt"/>, a finished one only while its DB row lags, and a Submitting one is checked
    /// for being orphaned at <paramref name="orphanCheckAt"/> (null: this tracker is posting it).
    /// </summary>
    public void ScheduleLoaded(JobRecord record, DateTimeOffset pollAt, DateTimeOffset now, DateTimeOffset? orphanCheckAt)
    {
        if (!record.Status.Phase.IsActive())
        {
            if (AwaitsDbRow(record, now)) _schedule.Poll(record, pollAt);
            return;
        }

        if (record.JobId is not null)
        {
            _schedule.Poll(record, pollAt);
        }
        else if (record.Status.Phase == JobPhase.Submitting && orphanCheckAt is { } checkAt)
        {
            _schedule.OrphanCheck(record.Id, checkAt);
        }
    }

    /// <summary>Applies a good answer to <paramref name="before"/> and schedules the job's next action.</summary>
    public JobRecord ApplyAnswer(JobRecord before, ScheduledJob job, JobSnapshot snapshot, DateTimeOffset now)
    {
        if (!before.Status.Phase.IsActive()) return SettleDbRow(before, job, snapshot, now);
        var payload = PayloadKey.Of(snapshot);
        var changed = payload != job.LastPayload;
        job.LastPayload = payload;
        job.Failures = 0;
        var next = JobStatusRules.Apply(before, snapshot, now, _options, changed);
        if (next.Status.Phase != JobPhase.Running) job.NotRunningAt = now;
        return Reschedule(next, job, now, record => NextWait(record, job, now), finalPollAtDeadline: true);
    }

    /// <summary>
    /// Applies a failed GET: connection trouble and back-off (at least <paramref name="retryAfter"/>), never a failure
    /// of the job. A finished job's settle poll that failed just ends its tracking: the outcome stands.
    /// </summary>
    public JobRecord ApplyFault(JobRecord before, ScheduledJob job, TimeSpan? retryAfter, DateTimeOffset now)
    {
        if (!before.Status.Phase.IsActive())
        {
            _schedule.Stop(before.Id);
            return before;
        }

        job.Failures++;
        var next = before.ConnectionTrouble ? before : before with { ConnectionTrouble = true };
        return Reschedule(next, job, now, _ => _policy.Backoff(job.Failures, retryAfter), finalPollAtDeadline: false);
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
    /// A settle poll's answer for a finished job: only the DB status is taken — the phase, the completion time and
    /// the output link stay as they are (a fresh link each GET would reload the player).
    /// </summary>
    private JobRecord SettleDbRow(JobRecord before, ScheduledJob job, JobSnapshot snapshot, DateTimeOffset now)
    {
        job.Failures = 0;
        var next = before;
        var derived = JobStatusRules.Derive(snapshot);
        if (derived.Phase == before.Status.Phase && snapshot.Db is not null
            && !string.Equals(snapshot.Db, before.Status.Db, StringComparison.Ordinal))
        {
            var status = new JobStatus(snapshot.Celery, snapshot.Db, before.Status.Phase);
            next = before with
            {
                Status = status,
                Timeline = before.Timeline.Add(new JobStatusChange(now, status.Celery, status.Db, status.Phase)),
            };
        }

        if (derived.Phase != before.Status.Phase) _schedule.Stop(before.Id);
        else SettlePollOrStop(next, job, now);
        return next;
    }

    /// <summary>A finished job: one more settle poll at the running pace while its row lags, else tracking stops.</summary>
    private void SettlePollOrStop(JobRecord finished, ScheduledJob job, DateTimeOffset now)
    {
        if (!AwaitsDbRow(finished, now))
        {
            _schedule.Stop(finished.Id);
            return;
        }

        job.Work = ScheduledWork.Poll;
        job.DueAt = now + _policy.NextInterval(JobPhase.Running, null, now);
        job.InFlight = false;
    }

    /// <summary>
    /// Times an active record out once its deadline passed; then a finished record settles or stops, and an active
    /// one is due again after <paramref name="wait"/> — or at its deadline when that comes first: a last GET there
    /// after a good answer, an expiry without a call while backing off (Retry-After may forbid one).
    /// </summary>
    private JobRecord Reschedule(JobRecord next, ScheduledJob job, DateTimeOffset now, Func<JobRecord, TimeSpan> wait,
        bool finalPollAtDeadline)
    {
        var deadline = DeadlineOf(next);
        if (next.Status.Phase.IsActive() && now >= deadline)
        {
            next = JobStatusRules.TimeOut(next, now, _options.Deadline);
        }

        if (!next.Status.Phase.IsActive())
        {
            SettlePollOrStop(next, job, now);
            return next;
        }

        // The wait is asked only now: it may draw jitter, and the draws must stay in this order.
        var dueAt = now + wait(next);
        if (dueAt >= deadline)
        {
            job.Work = finalPollAtDeadline ? ScheduledWork.Poll : ScheduledWork.Expire;
            dueAt = deadline;
        }
        else
        {
            job.Work = ScheduledWork.Poll;
        }

        job.DueAt = dueAt;
        job.InFlight = false;
        return next;
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
