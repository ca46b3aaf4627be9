using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>One stage of a job's life and how long it lasted.</summary>
/// <param name="Key">The glossary key of the stage's words (<c>stage.RUNNING</c>, <c>phase.queued</c>, …).</param>
/// <param name="Code">The backend's code for the stage when it came from the DB row (e.g. <c>RUNNING</c>), else null.</param>
/// <param name="Duration">How long it lasted.</param>
public sealed record JobStage(string Key, string? Code, TimeSpan Duration);

/// <summary>Times derived from a record's timeline: elapsed, run duration, estimates, stages.</summary>
public static class JobTimings
{
    /// <summary>Time since submission, stopping at completion or at a failed submission.</summary>
    public static TimeSpan Elapsed(JobRecord job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        // A submission that failed never ran: its clock stops at the failure instead of counting on while it is shown.
        var end = job.CompletedAt
            ?? (job.Status.Phase == JobPhase.SubmitFailed ? job.Timeline.LastOrDefault(c => c.Phase == JobPhase.SubmitFailed)?.At : null)
            ?? now;
        var elapsed = end - job.CreatedAt;
        return elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
    }

    /// <summary>When the tracker first saw the job's current (or last) run, or null (<see cref="RunTimes.RunStart"/>).</summary>
    public static DateTimeOffset? RunStartedAt(JobRecord job) => RunTimes.RunStart(job);

    /// <summary>How long a finished job ran, or null when unknown (<see cref="RunTimes.MeasureRun"/>).</summary>
    public static TimeSpan? RunDuration(JobRecord job) => RunTimes.MeasureRun(job);

    /// <summary>
    /// The median run of earlier succeeded jobs with the same type and parameters (seed aside), or null with fewer
    /// than <paramref name="minSamples"/>: the same rules the tracker learns its polling from (<see cref="RunTimes.ExpectedRun"/>).
    /// </summary>
    public static TimeSpan? ExpectedRunDuration(JobRecord job, IEnumerable<JobRecord> history, int minSamples) =>
        RunTimes.ExpectedRun(job, history, minSamples);

    /// <summary>Time left for a running job given the expected run duration; never negative; null when not running.</summary>
    public static TimeSpan? Remaining(JobRecord job, TimeSpan? expectedRun, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (expectedRun is not { } expected || job.Status.Phase != JobPhase.Running) return null;
        var start = RunStartedAt(job) ?? job.CreatedAt;
        var left = expected - (now - start);
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>
    /// The stages the job went through with their durations, from the timeline: the DB state when the backend sent
    /// one (finer), else the phase. Repeated states are merged; the last, terminal entry has no duration and is left out.
    /// </summary>
    public static IReadOnlyList<JobStage> Stages(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var stages = new List<JobStage>();
        var timeline = job.Timeline;
        for (var i = 0; i < timeline.Count - 1; i++)
        {
            var entry = timeline[i];
            var duration = timeline[i + 1].At - entry.At;
            if (duration < TimeSpan.Zero) duration = TimeSpan.Zero;
            var (key, code) = StageOf(entry);
            if (stages.Count > 0 && stages[^1].Key == key && stages[^1].Code == code)
                stages[^1] = stages[^1] with { Duration = stages[^1].Duration + duration };
            else
                stages.Add(new JobStage(key, code, duration));
        }
        return stages;
    }

    private static (string Key, string? Code) StageOf(JobStatusChange entry)
    {
        if (entry.Db is { } db && (DbStates.Lifecycle.Contains(db) || db is DbStates.Failed or DbStates.SubmitFailed))
            return ("stage." + db, db);
        return (StudioFormat.PhaseKey(entry.Phase), null);
    }
}
