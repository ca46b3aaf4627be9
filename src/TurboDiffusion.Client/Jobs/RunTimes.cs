using System.Text;
using System.Text.Json;

namespace TurboDiffusion.Client.Jobs;

/// <summary>
/// The one set of rules for what finished jobs say about a job's GPU run time, shared by the tracker's polling
/// (which thins polls early in a run it has seen before) and the UI's estimate of the time left: what a run is, which
/// runs are comparable, and what the typical one is.
/// </summary>
public static class RunTimes
{
    /// <summary>
    /// When the tracker first saw the record's current (or, once finished, its last) unbroken Running stretch, or
    /// null when it never saw it running. A job put back in the queue (a worker restart) starts a new run.
    /// </summary>
    public static DateTimeOffset? RunStart(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        DateTimeOffset? start = null;
        foreach (var change in record.Timeline)
        {
            if (change.Phase == JobPhase.Running) start ??= change.At;
            else if (change.Phase.IsActive()) start = null;
        }

        return start;
    }

    /// <summary>
    /// How long a succeeded record ran: from <see cref="RunStart"/> to <see cref="JobRecord.CompletedAt"/>. Null for
    /// anything else, when it was never seen running, and when its link was found gone (its end was noticed late).
    /// </summary>
    public static TimeSpan? MeasureRun(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Status.Phase != JobPhase.Succeeded || record.CompletedAt is not { } completed || record.OutputLinkGone) return null;
        return RunStart(record) is { } start && completed > start ? completed - start : null;
    }

    /// <summary>
    /// The median run of the succeeded records in <paramref name="history"/> created before <paramref name="job"/>
    /// with the same job type and parameters (the seed aside: run times depend on steps, precision and length, not on
    /// the seed), or null with fewer than <paramref name="minSamples"/> of them.
    /// </summary>
    public static TimeSpan? ExpectedRun(JobRecord job, IEnumerable<JobRecord> history, int minSamples)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(history);
        if (ComparableKey(job) is not { } key) return null;
        var runs = new List<TimeSpan>();
        foreach (var other in history)
        {
            if (other.Id == job.Id || other.CreatedAt > job.CreatedAt) continue;
            if (MeasureRun(other) is { } run && ComparableKey(other) == key) runs.Add(run);
        }

        if (runs.Count < Math.Max(1, minSamples)) return null;
        runs.Sort();
        return Median(runs);
    }

    /// <summary>The median of sorted runs (an even count: the mean of the middle two).</summary>
    internal static TimeSpan Median(IReadOnlyList<TimeSpan> sorted)
    {
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// What makes runs comparable: the job type and every parameter but the seed, or null when the parameters are
    /// unknown (an adopted job) or unreadable.
    /// </summary>
    internal static string? ComparableKey(JobRecord record)
    {
        if (record.Params.ValueKind != JsonValueKind.Object) return null;
        var key = new StringBuilder(record.JobType);
        var any = false;
        foreach (var property in record.Params.EnumerateObject())
        {
            any = true;
            if (string.Equals(property.Name, "seed", StringComparison.OrdinalIgnoreCase)) continue;
            key.Append('\n').Append(property.Name).Append('=').Append(property.Value.GetRawText());
        }

        return any ? key.ToString() : null;
    }
}
