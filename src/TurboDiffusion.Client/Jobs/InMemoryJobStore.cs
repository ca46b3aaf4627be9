using System.Collections.Immutable;

namespace TurboDiffusion.Client.Jobs;

/// <summary>
/// An <see cref="IJobStore"/> in memory: the default outside the browser (tests, the dev host, servers).
/// Thread-safe. Nothing else writes to it, so <see cref="WatchExternalChanges"/> only fires when a test calls
/// <see cref="SimulateExternalWriteAsync"/> or <see cref="SimulateExternalRemoveAsync"/> (another tab's write).
/// </summary>
public sealed class InMemoryJobStore : IJobStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JobRecord> _records = new(StringComparer.Ordinal);
    private ImmutableList<Func<IReadOnlyCollection<string>, Task>> _watchers = [];
    private int _saveCount;

    /// <summary>The stored records (a snapshot), in no particular order.</summary>
    public IReadOnlyList<JobRecord> Records
    {
        get
        {
            lock (_gate) return [.. _records.Values];
        }
    }

    /// <summary>How many times <see cref="SaveAsync"/> was called (for tests that count writes).</summary>
    public int SaveCount => Volatile.Read(ref _saveCount);

    /// <summary>The stored record with this id, or null.</summary>
    public JobRecord? Find(string id)
    {
        lock (_gate) return _records.GetValueOrDefault(id);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRecord>> LoadAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Records);
    }

    /// <inheritdoc />
    public Task SaveAsync(JobRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        Put(record);
        Interlocked.Increment(ref _saveCount);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate) _records.Remove(id);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public IDisposable WatchExternalChanges(Func<IReadOnlyCollection<string>, Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        lock (_gate) _watchers = _watchers.Add(onChanged);
        return new Unwatch(this, onChanged);
    }

    /// <summary>
    /// Writes <paramref name="record"/> as another tab would and tells the watchers; completes when they are done.
    /// </summary>
    public Task SimulateExternalWriteAsync(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Put(record);
        return NotifyWatchersAsync(record.Id);
    }

    /// <summary>
    /// Removes a record as another tab's Remove does (a tombstone, <see cref="JobRecord.Removed"/>, one revision on)
    /// and tells the watchers; completes when they are done.
    /// </summary>
    public Task SimulateExternalRemoveAsync(string id)
    {
        lock (_gate)
        {
            var removed = _records.GetValueOrDefault(id);
            _records[id] = new JobRecord
            {
                Id = id,
                JobType = removed?.JobType ?? "",
                Status = removed?.Status ?? JobStatus.Submitting,
                Removed = true,
                Revision = (removed?.Revision ?? 0) + 1,
            };
        }

        return NotifyWatchersAsync(id);
    }

    /// <summary>
    /// Deletes a record outright, as another tab's eviction for room would, and tells the watchers; completes when
    /// they are done.
    /// </summary>
    public Task SimulateExternalEvictAsync(string id)
    {
        lock (_gate) _records.Remove(id);
        return NotifyWatchersAsync(id);
    }

    private void Put(JobRecord record)
    {
        // Kept as given, schema version included, like a real store that serialises the record.
        lock (_gate) _records[record.Id] = record;
    }

    private async Task NotifyWatchersAsync(string id)
    {
        ImmutableList<Func<IReadOnlyCollection<string>, Task>> watchers;
        lock (_gate) watchers = _watchers;
        foreach (var watcher in watchers)
        {
            await watcher([id]).ConfigureAwait(false);
        }
    }

    private sealed class Unwatch(InMemoryJobStore store, Func<IReadOnlyCollection<string>, Task> watcher) : IDisposable
    {
        public void Dispose()
        {
            lock (store._gate) store._watchers = store._watchers.Remove(watcher);
        }
    }
}
