namespace TurboDiffusion.Client.Jobs.Polling;

/// <summary>What the finished runs of one parameter set say about the next one.</summary>
/// <param name="Samples">How many runs it rests on.</param>
/// <param name="Shortest">The shortest run.</param>
/// <param name="Median">The median run (<see cref="RunTimes.Median"/>).</param>
/// <param name="Longest">The longest run (outliers beyond twice the median left out).</param>
internal readonly record struct RunExpectation(int Samples, TimeSpan Shortest, TimeSpan Median, TimeSpan Longest);

/// <summary>
/// The tracker's memory of run times: the newest runs per parameter set, measured and compared by the rules of
/// <see cref="RunTimes"/> (the same the UI's estimate uses). Fed from the records' own timelines, so it works the same
/// after a reload. Not thread-safe: the tracker uses it under its gate.
/// </summary>
internal sealed class RunDurations
{
    private readonly int _maxSamples;
    private readonly Dictionary<string, List<Sample>> _byKey = new(StringComparer.Ordinal);
    // Parsing a record's parameters for its key on every poll would be wasteful; a record's parameters never change.
    private readonly Dictionary<string, string?> _keys = new(StringComparer.Ordinal);

    public RunDurations(int maxSamples) => _maxSamples = Math.Max(1, maxSamples);

    /// <summary>Learns a succeeded record's run, if it has a measurable one and known parameters.</summary>
    public void Observe(JobRecord record)
    {
        if (RunTimes.MeasureRun(record) is { } duration && KeyOf(record) is { } key)
        {
            Observe(key, record.Id, record.CompletedAt!.Value, duration);
        }
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

    /// <summary>The expectation for a record's parameter set, or null (unknown parameters, too few runs).</summary>
    public RunExpectation? Expect(JobRecord record, int minSamples) =>
        KeyOf(record) is { } key ? Expect(key, minSamples) : null;

    /// <summary>The expectation for <paramref name="key"/>, or null with fewer than <paramref name="minSamples"/> runs.</summary>
    public RunExpectation? Expect(string key, int minSamples)
    {
        if (!_byKey.TryGetValue(key, out var samples) || samples.Count < Math.Max(1, minSamples)) return null;
        var sorted = samples.Select(s => s.Duration).Order().ToArray();
        var median = RunTimes.Median(sorted);
        // A run whose end was noticed long after it happened (the page was closed) looks far too long: leave it out.
        var longest = sorted.Where(d => d <= median * 2).Max();
        return new RunExpectation(sorted.Length, sorted[0], median, longest);
    }

    /// <summary>Forgets a removed record's cached key (its learned run stays: it still says how long such runs take).</summary>
    public void Forget(string id) => _keys.Remove(id);

    private string? KeyOf(JobRecord record)
    {
        if (_keys.TryGetValue(record.Id, out var key)) return key;
        return _keys[record.Id] = RunTimes.ComparableKey(record);
    }

    private readonly record struct Sample(string Id, DateTimeOffset FinishedAt, TimeSpan Duration);
}
