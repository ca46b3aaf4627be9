namespace TurboDiffusion.Client.Jobs;

/// <summary>Persists job records (browser localStorage in the studio, memory in tests).</summary>
public interface IJobStore
{
    /// <summary>Loads every readable record; corrupt or unknown-version records are skipped or migrated, never fatal.</summary>
    Task<IReadOnlyList<JobRecord>> LoadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces one record.</summary>
    Task SaveAsync(JobRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes one record outright. The tracker does not call this for the user's Remove: it saves a tombstone
    /// (<see cref="JobRecord.Removed"/>) so other tabs can tell a removal from a record that merely went missing.
    /// </summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="onChanged"/> with the ids of records that another writer (another browser tab) changed.
    /// A record that is gone from the store (evicted for room, storage cleared) is not a removal: trackers keep it;
    /// only a tombstone removes a job. Dispose the result to stop.
    /// </summary>
    IDisposable WatchExternalChanges(Func<IReadOnlyCollection<string>, Task> onChanged);
}

/// <summary>Keeps original input images so a job can be retried after a reload.</summary>
public interface IJobBlobStore
{
    /// <summary>Opens a stored blob for reading, or returns null when it is gone (evicted, another browser).</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);
}
