using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>How other tabs' writes to the shared store are merged into this tab's records.</summary>
public sealed class CrossTabMergeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private static JobRecord Record(string id, long revision = 1, JobPhase phase = JobPhase.Queued) => new()
    {
        Id = id,
        JobType = "i2v",
        Status = new JobStatus(null, null, phase),
        CreatedAt = T0,
        Revision = revision,
        UpdatedAt = T0.AddMinutes(revision),
    };

    private static CrossTabMergeResult Merge(JobRecordBook book, string[] ids, params JobRecord[] stored) =>
        CrossTabMerge.Apply(book, ids, stored, record => record, Now);

    [Fact]
    public void Apply_NewRecordFromOtherTab_AddedAndAnnounced()
    {
        var book = new JobRecordBook();

        var result = Merge(book, ["a"], Record("a"));

        var change = Assert.Single(result.Changes);
        Assert.Equal((JobChangeKind.Added, "a"), (change.Kind, change.Id));
        Assert.NotNull(book.Find("a"));
        Assert.Empty(result.Tombstones);
    }

    [Fact]
    public void Apply_NewerRevision_UpdatedWithPrevious()
    {
        var book = new JobRecordBook();
        var mine = Record("a", revision: 2);
        book.Add(mine);

        var result = Merge(book, ["a", "a"], Record("a", revision: 3, phase: JobPhase.Running));

        var change = Assert.Single(result.Changes);
        Assert.Equal(JobChangeKind.Updated, change.Kind);
        Assert.Same(mine, change.Previous);
        Assert.Equal(JobPhase.Running, book.Find("a")!.Status.Phase);
    }

    [Fact]
    public void Apply_OlderRevision_OursKeptNothingAnnounced()
    {
        var book = new JobRecordBook();
        book.Add(Record("a", revision: 5));

        var result = Merge(book, ["a"], Record("a", revision: 4, phase: JobPhase.Failed));

        Assert.Empty(result.Changes);
        Assert.Equal(5, book.Find("a")!.Revision);
    }

    [Fact]
    public void Apply_TombstoneWithLowerRevision_RemovalIsFinal()
    {
        var book = new JobRecordBook();
        var mine = Record("a", revision: 9);
        book.Add(mine);

        var result = Merge(book, ["a"], JobRecordBook.Tombstone(mine, 2, T0));

        var change = Assert.Single(result.Changes);
        Assert.Equal((JobChangeKind.Removed, (JobRecord?)null, mine), (change.Kind, change.Record, change.Previous));
        Assert.Null(book.Find("a"));
        Assert.True(book.WasRemoved("a"));
    }

    [Fact]
    public void Apply_TombstoneOfUnknownRecord_RememberedSilently()
    {
        var book = new JobRecordBook();

        var result = Merge(book, ["a"], JobRecordBook.Tombstone(Record("a"), 2, T0));

        Assert.Empty(result.Changes);
        Assert.True(book.WasRemoved("a"));
    }

    [Fact]
    public void Apply_StaleCopyOverOurRemoval_TombstoneWrittenBackWithHigherRevision()
    {
        var book = new JobRecordBook();
        book.Add(Record("a"));
        book.Remove("a", out _);

        var result = Merge(book, ["a"], Record("a", revision: 7));

        Assert.Empty(result.Changes);
        var tombstone = Assert.Single(result.Tombstones);
        Assert.True(tombstone.Removed);
        Assert.Equal((8L, Now), (tombstone.Revision, tombstone.UpdatedAt));
        Assert.Null(book.Find("a"));
    }

    [Fact]
    public void Apply_GoneFromStoreWithoutTombstone_EvictedNotRemoved()
    {
        var book = new JobRecordBook();
        book.Add(Record("a"));

        var result = Merge(book, ["a"]);

        Assert.Empty(result.Changes);
        Assert.NotNull(book.Find("a"));
        Assert.False(book.WasRemoved("a"));
    }

    [Fact]
    public void Apply_UnusableStoredRecord_Skipped()
    {
        var book = new JobRecordBook();

        var result = CrossTabMerge.Apply(book, ["a"], [Record("a")], _ => null, Now);

        Assert.Empty(result.Changes);
        Assert.Null(book.Find("a"));
    }
}
