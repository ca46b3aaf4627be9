using System.Text.Json;
using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>The in-memory job and blob stores, and a record's round trip through JSON (what a browser store does).</summary>
public sealed class InMemoryStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobRecord Record(string id) => new()
    {
        Id = id,
        JobId = "job-" + id,
        JobType = "i2v",
        Inputs = TrackerHarness.Request().Inputs,
        Params = TrackerHarness.Request().Params,
        Status = new JobStatus("PENDING", "SUBMITTED", JobPhase.Queued),
        CreatedAt = TrackerHarness.Start,
    };

    [Fact]
    public async Task JobStore_SaveLoadRemove_RoundTrips()
    {
        var store = new InMemoryJobStore();

        await store.SaveAsync(Record("a"), Ct);
        await store.SaveAsync(Record("b"), Ct);
        await store.SaveAsync(Record("a") with { Seen = true }, Ct);
        await store.RemoveAsync("b", Ct);
        var all = await store.LoadAllAsync(Ct);

        var only = Assert.Single(all);
        Assert.Equal("a", only.Id);
        Assert.True(only.Seen);
        Assert.Equal(JobRecord.CurrentSchemaVersion, only.SchemaVersion);
    }

    [Fact]
    public async Task JobStore_OwnWrites_DoNotFireWatch()
    {
        var store = new InMemoryJobStore();
        var fired = 0;
        using var watch = store.WatchExternalChanges(_ =>
        {
            fired++;
            return Task.CompletedTask;
        });

        await store.SaveAsync(Record("a"), Ct);
        await store.RemoveAsync("a", Ct);

        Assert.Equal(0, fired);
    }

    [Fact]
    public async Task JobStore_SimulatedExternalWrite_WatchersGetTheIdUntilDisposed()
    {
        var store = new InMemoryJobStore();
        var seen = new List<string>();
        var watch = store.WatchExternalChanges(ids =>
        {
            seen.AddRange(ids);
            return Task.CompletedTask;
        });

        await store.SimulateExternalWriteAsync(Record("a"));
        watch.Dispose();
        await store.SimulateExternalWriteAsync(Record("b"));

        Assert.Equal(["a"], seen);
        Assert.Equal(2, store.Records.Count);
    }

    [Fact]
    public async Task BlobStore_PutAndOpen_SameBytes()
    {
        var blobs = new InMemoryJobBlobStore();
        blobs.Put("k", [1, 2, 3]);

        await using var stream = await blobs.OpenReadAsync("k", Ct);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy, Ct);

        Assert.Equal([1, 2, 3], copy.ToArray());
        Assert.Null(await blobs.OpenReadAsync("missing", Ct));
    }

    [Fact]
    public async Task BlobStore_SaveAsync_NewKeyWithContent()
    {
        var blobs = new InMemoryJobBlobStore();

        var key = await blobs.SaveAsync(new MemoryStream([9, 8]), Ct);
        await using var stream = await blobs.OpenReadAsync(key, Ct);

        Assert.Equal(32, key.Length);
        Assert.Equal(2, stream!.Length);
        Assert.True(blobs.Remove(key));
        Assert.Equal(0, blobs.Count);
    }

    [Fact]
    public async Task JobRecord_TrackedRecord_RoundTripsThroughJson()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-1", Snapshots.Failure("line one\nline two"));
        var record = await h.SubmitQueuedAsync();
        var failed = (await h.AdvanceToNextPollAsync(record.Id)).Record!;

        var json = JsonSerializer.Serialize(failed);
        var back = JsonSerializer.Deserialize<JobRecord>(json)!;

        Assert.Equal(failed.Id, back.Id);
        Assert.Equal(failed.Status, back.Status);
        Assert.Equal(failed.Inputs, back.Inputs);
        Assert.Equal(failed.Params.GetRawText(), back.Params.GetRawText());
        Assert.Equal(failed.Timeline, back.Timeline);
        Assert.Equal(failed.Error!.Message, back.Error!.Message);
        Assert.Equal((failed.Revision, failed.TrackedSince, failed.Deadline), (back.Revision, back.TrackedSince, back.Deadline));
        Assert.Contains("\"SchemaVersion\":1", json, StringComparison.Ordinal);
    }
}
