namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>What merging other tabs' writes did: the changes to announce, and tombstones to write back.</summary>
/// <param name="Changes">Records added, updated or removed in the book, in the order of the ids.</param>
/// <param name="Tombstones">Removals to store again: a tab that had not heard of them wrote its copy over them.</param>
internal sealed record CrossTabMergeResult(IReadOnlyList<JobChange> Changes, IReadOnlyList<JobRecord> Tombstones);

/// <summary>
/// Merges records other tabs (or windows) of the same browser wrote to the shared store into this tab's book. A
/// removal is final whatever the revisions; otherwise the newer revision wins; a record gone from the store without a
/// tombstone was evicted for room and is kept. Works on the book under the tracker's gate; the tracker schedules
/// and announces what changed.
/// </summary>
internal static class CrossTabMerge
{
    /// <summary>
    /// Merges the store's current records for <paramref name="ids"/> (those another tab wrote) into
    /// <paramref name="book"/>. <paramref name="restore"/> makes a stored record usable, or null to skip it.
    /// </summary>
    public static CrossTabMergeResult Apply(JobRecordBook book, IEnumerable<string> ids, IEnumerable<JobRecord> stored,
        Func<JobRecord, JobRecord?> restore, DateTimeOffset now)
    {
        var byId = new Dictionary<string, JobRecord>(StringComparer.Ordinal);
        foreach (var record in stored) byId.TryAdd(record.Id, record);

        var changes = new List<JobChange>();
        var tombstones = new List<JobRecord>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var mine = book.Find(id);
            if (!byId.TryGetValue(id, out var theirs))
            {
                // Gone from the store without a tombstone: another tab evicted it for room (or storage was cleared).
                // That is no removal: this tab keeps the job, and saves it again with its next change.
                continue;
            }

            if (theirs.Removed)
            {
                // Removed in another tab: final, whatever revision this tab holds.
                book.Remove(id, out _);
                if (mine is not null) changes.Add(new JobChange(JobChangeKind.Removed, id, null, mine));
                continue;
            }

            if (book.WasRemoved(id))
            {
                // A tab that had not heard of the removal yet saved its copy over the tombstone: put it back.
                tombstones.Add(JobRecordBook.Tombstone(theirs, theirs.Revision + 1, now));
                continue;
            }

            if (restore(theirs) is not { } incoming) continue;
            if (mine is null)
            {
                if (book.Add(incoming)) changes.Add(new JobChange(JobChangeKind.Added, id, incoming, null));
            }
            else if (book.Accept(incoming))
            {
                changes.Add(new JobChange(JobChangeKind.Updated, id, incoming, mine));
            }
        }

        return new CrossTabMergeResult(changes, tombstones);
    }
}
