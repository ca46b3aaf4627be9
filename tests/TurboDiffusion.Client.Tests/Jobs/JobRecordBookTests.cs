using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>The tracker's records in memory: order, revisions, removals and other tabs' copies.</summary>
public sealed class JobRecordBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);

    private static JobRecord Record(string id, int minute = 0, long revision = 1, DateTimeOffset? updatedAt = null) => new()
    {
        Id = id,
        JobType = "i2v",
        Status = new JobStatus(null, null, JobPhase.Queued),
        CreatedAt = T0.AddMinutes(minute),
        Revision = revision,
        UpdatedAt = updatedAt ?? T0.AddMinutes(minute),
    };

    [Fact]
    public void Ordered_SameCreationTick_LaterArrivalFirst()
    {
        var book = new JobRecordBook();
        book.Add(Record("old", minute: 0));
        book.Add(Record("a", minute: 5));
        book.Add(Record("b", minute: 5));

        Assert.Equal(["b", "a", "old"], book.Ordered.Select(r => r.Id));
        Assert.True(book.IsEarlier(book.Find("a")!, book.Find("b")!));
        Assert.False(book.IsEarlier(book.Find("b")!, book.Find("a")!));
    }

    [Fact]
    public void Ordered_SnapshotHandedOut_NotChangedByLaterAdds()
    {
        var book = new JobRecordBook();
        book.Add(Record("a"));
        var snapshot = book.Ordered;

        book.Add(Record("b", minute: 1));

        Assert.Single(snapshot);
        Assert.Equal(2, book.Ordered.Count);
    }

    [Fact]
    public void Commit_LocalChange_BumpsRevisionAndStamps()
    {
        var book = new JobRecordBook();
        var before = Record("a", revision: 4);
        book.Add(before);

        var after = book.Commit(before, before with { Seen = true }, T0.AddHours(1));

        Assert.Equal(5, after.Revision);
        Assert.Equal(T0.AddHours(1), after.UpdatedAt);
        Assert.Same(after, book.Find("a"));
        Assert.Same(after, book.Ordered[0]);
    }

    [Fact]
    public void Accept_OtherTabsCopy_OnlyWhenNewer()
    {
        var book = new JobRecordBook();
        book.Add(Record("a", revision: 3, updatedAt: T0.AddMinutes(3)));

        Assert.False(book.Accept(Record("a", revision: 2, updatedAt: T0.AddHours(1)) with { Seen = true }));
        Assert.False(book.Accept(Record("a", revision: 3, updatedAt: T0.AddMinutes(3)) with { Seen = true }));
        Assert.False(book.Find("a")!.Seen);

        Assert.True(book.Accept(Record("a", revision: 3, updatedAt: T0.AddMinutes(4)) with { Seen = true }));
        Assert.True(book.Find("a")!.Seen);
        Assert.Equal(3, book.Find("a")!.Revision);
    }

    [Fact]
    public void Accept_UnknownId_NotAdded()
    {
        var book = new JobRecordBook();

        Assert.False(book.Accept(Record("a")));
        Assert.Empty(book.Ordered);
    }

    [Fact]
    public void Add_RemovedId_NeverComesBack()
    {
        var book = new JobRecordBook();
        book.Add(Record("a"));
        Assert.True(book.Remove("a", out var removed));
        Assert.Equal("a", removed!.Id);

        Assert.False(book.Add(Record("a", revision: 9)));
        Assert.Null(book.Find("a"));
        Assert.Empty(book.Ordered);
        Assert.True(book.WasRemoved("a"));
    }

    [Fact]
    public void Remove_UnknownId_RememberedAsRemoved()
    {
        var book = new JobRecordBook();

        Assert.False(book.Remove("ghost", out _));
        Assert.True(book.WasRemoved("ghost"));
        Assert.False(book.Add(Record("ghost")));
    }

    [Fact]
    public void AddRange_KnownDuplicateAndTombstonedIds_Skipped()
    {
        var book = new JobRecordBook();
        book.Add(Record("kept"));
        book.MarkRemoved("gone");

        var added = book.AddRange([Record("kept", revision: 7), Record("gone"), Record("new", minute: 1), Record("new", minute: 2)]);

        Assert.Equal(["new"], added.Select(r => r.Id));
        Assert.Equal(["new", "kept"], book.Ordered.Select(r => r.Id));
        Assert.Equal(1, book.Find("kept")!.Revision);
        Assert.Equal(T0.AddMinutes(1), book.Find("new")!.CreatedAt);
    }

    [Fact]
    public void Tombstone_RemovedRecord_KeepsIdentityDropsInputs()
    {
        var record = Record("a") with { JobId = "job-1", Inputs = new JobInputs { Prompt = "secret", ImageBlobKey = "blob" } };

        var tombstone = JobRecordBook.Tombstone(record, 8, T0.AddDays(1));

        Assert.True(tombstone.Removed);
        Assert.Equal(("a", "job-1", 8L, T0.AddDays(1)), (tombstone.Id, tombstone.JobId, tombstone.Revision, tombstone.UpdatedAt));
        Assert.Null(tombstone.Inputs.ImageBlobKey);
        Assert.Equal("", tombstone.Inputs.Prompt ?? "");
    }
}
