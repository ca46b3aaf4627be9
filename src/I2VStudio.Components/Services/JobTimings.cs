using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>One stage of a job's life and how long it lasted.</summary>
/// <param name="Key">The glossary key of the stage's words (<c>stage.RUNNING</c>, <c>phase.queued</c>, …).</param>
/// <param name="Code">The backend's code for the stage when it came from the DB row (e.g. <c>RUNNING</c>), else null.</param>
/// <param name="Duration">How long it lasted.</param>
public sealed record JobStage(string Key, string? Code, TimeSpan Duration);

/// <summary>Times derived from a record's timeline: elapsed, run duration, estimates, stages.</summary>
public static class JobTimings
{
    /// <summary>Time since submission, stopping at completion.</summary>
    public static TimeSpan Elapsed(JobRecord job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var end = job.CompletedAt ?? now;
        var elapsed = end - job.CreatedAt;
        return elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
    }

    /// <summary>When the tracker first saw the job running, or null.</summary>
    public static DateTimeOffset? RunStartedAt(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        foreach (var change in job.Timeline)
        {
            if (change.Phase == JobPhase.Running) return change.At;
        }
        return null;
    }

    /// <summary>How long a finished job ran (first Running to completion), or null when unknown.</summary>
    public static TimeSpan? RunDuration(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Status.Phase != JobPhase.Succeeded || job.CompletedAt is not { } done || RunStartedAt(job) is not { } start) return null;
        var run = done - start;
        return run < TimeSpan.Zero ? null : run;
    }

    /// <summary>
    /// The median run duration of earlier succeeded jobs of the same type with the same num_steps and quantized
    /// (GPU run times for equal parameters are steady), or null with fewer than <paramref name="minSamples"/> of them.
    /// </summary>
    public static TimeSpan? ExpectedRunDuration(JobRecord job, IEnumerable<JobRecord> history, int minSamples)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(history);
        var key = ParamsKey(job);
        var samples = new List<TimeSpan>();
        foreach (var other in history)
        {
            if (other.Id == job.Id || other.CreatedAt > job.CreatedAt || other.JobType != job.JobType) continue;
            if (RunDuration(other) is not { } run || ParamsKey(other) != key) continue;
            samples.Add(run);
        }
        if (samples.Count < Math.Max(1, minSamples)) return null;
        samples.Sort();
        var mid = samples.Count / 2;
        return samples.Count % 2 == 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
    }

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

    private static (int Steps, bool Quantized) ParamsKey(JobRecord job)
    {
        var p = I2VParams.FromJson(job.Params);
        return (p.NumSteps, p.Quantized);
    }
}
