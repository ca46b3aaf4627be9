namespace TurboDiffusion.Client.Jobs.Polling;

/// <summary>What the finished runs of one parameter set say about the next one.</summary>
/// <param name="Samples">How many runs it rests on.</param>
/// <param name="Shortest">The shortest run.</param>
/// <param name="Median">The median run.</param>
/// <param name="Longest">The longest run (outliers beyond twice the median left out).</param>
internal readonly record struct RunExpectation(int Samples, TimeSpan Shortest, TimeSpan Median, TimeSpan Longest);

/// <summary>
/// Run times of finished jobs per parameter set (the job type's parameters with the seed set aside: GPU run times
/// depend on steps, precision and length, not on the seed). Fed from the records' own timelines, so it works the
/// same after a reload. Not thread-safe: the tracker uses it under its gate.
/// </summary>
internal sealed class RunDurations
{
    private readonly int _maxSamples;
    private readonly Dictionary<string, List<Sample>> _byKey = new(StringComparer.Ordinal);

    public RunDurations(int maxSamples) => _maxSamples = Math.Max(1, maxSamples);

    /// <summary>
    /// How long a succeeded record ran: from the first answer of its last unbroken Running stretch (as the tracker
    /// saw it) to <see cref="JobRecord.CompletedAt"/>. Null for anything else, or when it was never seen running.
    /// </summary>
    public static TimeSpan? MeasureRun(JobRecord record)
    {
        if (record.Status.Phase != JobPhase.Succeeded || record.CompletedAt is not { } completed || record.OutputLinkGone) return null;
        return RunStart(record) is { } start && completed > start ? completed - start : null;
    }

    /// <summary>When the tracker first saw the record's current (or last) Running stretch, or null.</summary>
    public static DateTimeOffset? RunStart(JobRecord record)
    {
        DateTimeOffset? start = null;
        foreach (var change in record.Timeline)
        {
            if (change.Phase == JobPhase.Running) start ??= change.At;
            else if (change.Phase.IsActive()) start = null;
        }

        return start;
    }

    /// <summary>Adds (or replaces) the run of record <paramref name="id"/>; keeps the newest <c>maxSamples</c> per key.</summary>
    public void Observe(string key, string id, DateTimeOffset finishedAt, TimeSpan duration)
    {
        if (!_byKey.TryGetValue(key, out var samples)) _byKey[key] = samples = [];
        samples.RemoveAll(s => s.Id == id);
        samples.Add(new Sample(id, finishedAt, duration));
        if (samples.Count > _maxSamples)
        {
            samples.Sort(static (a, b) => a.FinishedAt.CompareTo(b.FinishedAt));
            samples.RemoveRange(0, samples.Count - _maxSamples);
        }
    }

    /// <summary>The expectation for <paramref name="key"/>, or null with fewer than <paramref name="minSamples"/> runs.</summary>
    public RunExpectation? Expect(string key, int minSamples)
    {
        if (!_byKey.TryGetValue(key, out var samples) || samples.Count < Math.Max(1, minSamples)) return null;
        var sorted = samples.Select(s => s.Duration).Order().ToArray();
        var median = sorted[sorted.Length / 2];
        // A run whose end was noticed long after it happened (the page was closed) looks far too long: leave it out.
        var longest = sorted.Where(d => d <= median * 2).Max();
        return new RunExpectation(sorted.Length, sorted[0], median, longest);
    }

    private readonly record struct Sample(string Id, DateTimeOffset FinishedAt, TimeSpan Duration);
}
