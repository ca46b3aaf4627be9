namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>What a job's next scheduled action is.</summary>
internal enum ScheduledWork
{
    /// <summary>GET the status.</summary>
    Poll,
    /// <summary>The deadline came while backing off: TimedOut without another call.</summary>
    Expire,
    /// <summary>A stored Submitting record nobody is submitting any more: SubmitFailed.</summary>
    OrphanCheck,
}

/// <summary>
/// One job's place in the schedule. Replaced (not mutated) when tracking restarts, so a stale poll can tell
/// (<see cref="JobSchedule.IsCurrent"/>). Its fields are the tracker's to change, under its gate.
/// </summary>
internal sealed class ScheduledJob
{
    public ScheduledWork Work { get; set; }

    public DateTimeOffset DueAt { get; set; }

    /// <summary>True from the moment its action was taken (<see cref="JobSchedule.TakeDue"/>) until it was applied.</summary>
    public bool InFlight { get; set; }

    /// <summary>Failed GETs in a row (the back-off counts them).</summary>
    public int Failures { get; set; }

    /// <summary>The last answer's parts whose change resets the idle step-down.</summary>
    public PayloadKey LastPayload { get; set; }

    /// <summary>The last time the job was known not to be running yet: the earliest its run can have started.</summary>
    public DateTimeOffset? NotRunningAt { get; set; }
}

/// <summary>The parts of an answer whose change resets the idle step-down (the URL itself changes every GET; moving progress counts).</summary>
internal readonly record struct PayloadKey(string? Celery, string? Db, bool DbUnavailable, string? Error, bool HasUrl, double? Progress)
{
    public static PayloadKey Of(JobSnapshot snapshot) =>
        new(snapshot.Celery, snapshot.Db, snapshot.DbUnavailable, snapshot.Error, snapshot.OutputUrl is not null, snapshot.Progress);

    public static PayloadKey Of(JobRecord record) => new(record.Status.Celery, record.Status.Db, false, null, false, record.Progress);
}

/// <summary>
/// When each tracked job's next action is due (a status GET, a deadline expiry, an orphan check), and which are due
/// now. One timer in the tracker wakes at <see cref="TakeDue"/>'s wake time. Not thread-safe: the tracker uses it
/// under its gate.
/// </summary>
internal sealed class JobSchedule
{
    private readonly Dictionary<string, ScheduledJob> _jobs = new(StringComparer.Ordinal);

    /// <summary>How many jobs have something scheduled.</summary>
    public int Count => _jobs.Count;

    /// <summary>Every job whose next action is a status GET (in flight or not).</summary>
    public IEnumerable<(string Id, ScheduledJob Job)> Polls =>
        _jobs.Where(pair => pair.Value.Work == ScheduledWork.Poll).Select(pair => (pair.Key, pair.Value));

    /// <summary>(Re)starts polling the record at <paramref name="dueAt"/>; any earlier entry becomes stale.</summary>
    public ScheduledJob Poll(JobRecord record, DateTimeOffset dueAt, DateTimeOffset? notRunningAt = null) =>
        _jobs[record.Id] = new ScheduledJob
        {
            Work = ScheduledWork.Poll, DueAt = dueAt, LastPayload = PayloadKey.Of(record), NotRunningAt = notRunningAt,
        };

    /// <summary>Schedules the check of a stored Submitting record at <paramref name="dueAt"/>.</summary>
    public ScheduledJob OrphanCheck(string id, DateTimeOffset dueAt) =>
        _jobs[id] = new ScheduledJob { Work = ScheduledWork.OrphanCheck, DueAt = dueAt };

    /// <summary>Stops whatever is scheduled for the job; an action in flight finds itself stale.</summary>
    public void Stop(string id) => _jobs.Remove(id);

    /// <summary>Stops everything.</summary>
    public void Clear() => _jobs.Clear();

    /// <summary>When the job's next action is due, or null when nothing is scheduled.</summary>
    public DateTimeOffset? DueAt(string id) => _jobs.GetValueOrDefault(id)?.DueAt;

    /// <summary>True when <paramref name="job"/> is still the job's entry (not stopped or restarted since).</summary>
    public bool IsCurrent(string id, ScheduledJob job) => _jobs.TryGetValue(id, out var current) && ReferenceEquals(current, job);

    /// <summary>True when the job's next action is due at <paramref name="now"/> and not taken yet (waiting for its start or a request slot).</summary>
    public bool IsWaiting(string id, DateTimeOffset now) => _jobs.TryGetValue(id, out var job) && IsWaiting(job, now);

    /// <summary>True when any job's next action is due at <paramref name="now"/> and not taken yet.</summary>
    public bool HasWaiting(DateTimeOffset now) => _jobs.Values.Any(job => IsWaiting(job, now));

    /// <summary>True when the job's next action is a status GET.</summary>
    public bool IsPolling(string id) => _jobs.TryGetValue(id, out var job) && job.Work == ScheduledWork.Poll;

    /// <summary>
    /// Takes every action due at <paramref name="now"/>, earliest first, that <paramref name="tryStart"/> lets start
    /// (a GET needs a free request slot), and marks it in flight. <paramref name="wake"/> is when the next action not
    /// in flight is due, or null when none is.
    /// </summary>
    public IReadOnlyList<(string Id, ScheduledJob Job)> TakeDue(DateTimeOffset now, Func<ScheduledJob, bool> tryStart, out DateTimeOffset? wake)
    {
        wake = null;
        List<(string, ScheduledJob)>? due = null;
        foreach (var (id, job) in _jobs.OrderBy(pair => pair.Value.DueAt))
        {
            if (job.InFlight) continue;
            if (job.DueAt > now)
            {
                wake = job.DueAt;
                break;
            }

            if (!tryStart(job)) continue;
            job.InFlight = true;
            (due ??= []).Add((id, job));
        }

        return due ?? [];
    }

    private static bool IsWaiting(ScheduledJob job, DateTimeOffset now) => !job.InFlight && job.DueAt <= now;
}
