using System.Collections.Immutable;

namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>
/// The tracker's records in memory: each record by local id, the order they arrived in, the ids the user removed
/// (so a stale copy never comes back), and the newest-first list handed out as <see cref="IJobTracker.Jobs"/>.
/// Not thread-safe: the tracker uses it under its gate; only <see cref="Ordered"/> may be read without it.
/// </summary>
internal sealed class JobRecordBook
{
    private readonly Dictionary<string, JobRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _arrival = new(StringComparer.Ordinal);
    // Local ids removed here or in another tab: a copy written by a tab that had not heard of it never comes back.
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private long _arrivals;
    private IReadOnlyList<JobRecord> _ordered = ImmutableArray<JobRecord>.Empty;

    /// <summary>Every record, newest first; an immutable snapshot replaced on every change, so readers need no lock.</summary>
    public IReadOnlyList<JobRecord> Ordered => Volatile.Read(ref _ordered);

    /// <summary>Every record, in no particular order.</summary>
    public IEnumerable<JobRecord> All => _records.Values;

    public JobRecord? Find(string id) => id is null ? null : _records.GetValueOrDefault(id);

    public bool TryGet(string id, out JobRecord record) => _records.TryGetValue(id, out record!);

    public bool Contains(string id) => _records.ContainsKey(id);

    /// <summary>True when the id was removed (here, or in another tab as its tombstone says).</summary>
    public bool WasRemoved(string id) => _removed.Contains(id);

    /// <summary>Adds a new record; false (nothing changes) when the id is known or was removed.</summary>
    public bool Add(JobRecord record)
    {
        if (!AddCore(record)) return false;
        Reorder();
        return true;
    }

    /// <summary>Adds many records with one re-ordering (start-up); returns those added.</summary>
    public IReadOnlyList<JobRecord> AddRange(IEnumerable<JobRecord> records)
    {
        var added = records.Where(AddCore).ToList();
        if (added.Count > 0) Reorder();
        return added;
    }

    /// <summary>Replaces a record by a change made here: its revision goes up by one and it is stamped <paramref name="now"/>.</summary>
    public JobRecord Commit(JobRecord before, JobRecord after, DateTimeOffset now)
    {
        var committed = after with { Revision = before.Revision + 1, UpdatedAt = now };
        _records[before.Id] = committed;
        Reorder();
        return committed;
    }

    /// <summary>Takes another tab's copy as it is, when it is newer (<see cref="IsNewer"/>) than ours; false otherwise.</summary>
    public bool Accept(JobRecord incoming)
    {
        if (!_records.TryGetValue(incoming.Id, out var mine) || !IsNewer(incoming, mine)) return false;
        _records[incoming.Id] = incoming;
        Reorder();
        return true;
    }

    /// <summary>Removes a record for good: its id is remembered as removed even when no record was held.</summary>
    public bool Remove(string id, out JobRecord? removed)
    {
        _removed.Add(id);
        _arrival.Remove(id);
        if (!_records.Remove(id, out removed)) return false;
        Reorder();
        return true;
    }

    /// <summary>Remembers a removal read from a stored tombstone.</summary>
    public void MarkRemoved(string id) => _removed.Add(id);

    /// <summary>True when <paramref name="a"/> was created before <paramref name="b"/> (same tick: arrived first).</summary>
    public bool IsEarlier(JobRecord a, JobRecord b) =>
        a.CreatedAt < b.CreatedAt
        || (a.CreatedAt == b.CreatedAt && _arrival.GetValueOrDefault(a.Id) < _arrival.GetValueOrDefault(b.Id));

    /// <summary>A higher revision wins; at equal revisions the later write.</summary>
    public static bool IsNewer(JobRecord candidate, JobRecord current) =>
        candidate.Revision > current.Revision
        || (candidate.Revision == current.Revision && candidate.UpdatedAt > current.UpdatedAt);

    /// <summary>What the store keeps of a removed job: who it was and that it is gone (no inputs, no thumbnail).</summary>
    public static JobRecord Tombstone(JobRecord removed, long revision, DateTimeOffset now) => new()
    {
        Id = removed.Id,
        JobId = removed.JobId,
        JobType = removed.JobType,
        Status = removed.Status,
        CreatedAt = removed.CreatedAt,
        Removed = true,
        Revision = revision,
        UpdatedAt = now,
    };

    private bool AddCore(JobRecord record)
    {
        if (_removed.Contains(record.Id) || !_records.TryAdd(record.Id, record)) return false;
        _arrival[record.Id] = ++_arrivals;
        return true;
    }

    // Records created in the same tick keep the order they arrived in (the later one first).
    private void Reorder() => Volatile.Write(ref _ordered, _records.Values
        .OrderByDescending(r => r.CreatedAt)
        .ThenByDescending(r => _arrival.GetValueOrDefault(r.Id))
        .ToImmutableArray());
}
