using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>Requests in flight per tracker, and records changed by another tab.</summary>
public sealed class JobTrackerConcurrencyTests
{
    private static CancellationToken Ct => TrackerHarness.Ct;

    [Fact]
    public async Task Poll_TenJobsDueAtOnce_AtMostFourRequestsInFlight()
    {
        await using var h = new TrackerHarness();
        var held = Enumerable.Range(1, 10).ToDictionary(i => $"job-{i}", i => h.JobType.Holds($"job-{i}"));

        for (var i = 1; i <= 10; i++) await h.Tracker.AdoptAsync($"job-{i}", "i2v", Ct);
        var started = new List<StatusCall>();
        for (var i = 0; i < 4; i++) started.Add(await h.JobType.NextStatusCallAsync());
        var inFlightAtPeak = h.JobType.InFlight;
        var callsAtPeak = h.JobType.StatusCallCount;
        while (started.Count < 10)
        {
            held[started[started.Count - 4].JobId].SetResult(Snapshots.Queued);
            started.Add(await h.JobType.NextStatusCallAsync());
        }

        foreach (var source in held.Values) source.TrySetResult(Snapshots.Queued);

        Assert.Equal(4, inFlightAtPeak);
        Assert.Equal(4, callsAtPeak);
        Assert.Equal(4, h.JobType.MaxInFlight);
        Assert.Equal(10, started.Select(c => c.JobId).Distinct().Count());
    }

    [Fact]
    public async Task Poll_ConfiguredLimitOfTwo_Honoured()
    {
        await using var h = new TrackerHarness(polling: p => p.MaxConcurrentRequests = 2);
        var held = Enumerable.Range(1, 5).Select(i => h.JobType.Holds($"job-{i}")).ToList();

        for (var i = 1; i <= 5; i++) await h.Tracker.AdoptAsync($"job-{i}", "i2v", Ct);
        await h.JobType.NextStatusCallAsync();
        await h.JobType.NextStatusCallAsync();
        var inFlight = h.JobType.InFlight;
        foreach (var source in held) source.SetResult(Snapshots.Queued);
        for (var i = 0; i < 3; i++) await h.JobType.NextStatusCallAsync();

        Assert.Equal(2, inFlight);
        Assert.Equal(2, h.JobType.MaxInFlight);
    }

    [Fact]
    public async Task RefreshOutputUrl_SharesTheRequestLimit()
    {
        await using var h = new TrackerHarness(polling: p => p.MaxConcurrentRequests = 1);
        h.JobType.Returns("job-1", Snapshots.Success());
        var done = await h.SubmitQueuedAsync("job-1");
        await h.AdvanceToNextPollAsync(done.Id);
        var held = h.JobType.Holds("job-2");
        await h.Tracker.AdoptAsync("job-2", "i2v", Ct);
        await h.JobType.NextStatusCallAsync("job-2");

        var refresh = h.Tracker.RefreshOutputUrlAsync(done.Id, Ct);
        var callsWhileHeld = h.JobType.StatusCallCount;
        held.SetResult(Snapshots.Queued);
        var url = await refresh.WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal(2, callsWhileHeld);
        Assert.Equal(Snapshots.SignedUrl, url);
        Assert.Equal(1, h.JobType.MaxInFlight);
    }

    [Fact]
    public async Task ExternalChange_NewRecordFromAnotherTab_AddedAndTracked()
    {
        await using var h = new TrackerHarness();
        await h.Tracker.InitializeAsync(Ct);
        var theirs = h.StoredRecord("other-tab", "job-x", JobPhase.Queued, TrackerHarness.Start);

        await h.Store.SimulateExternalWriteAsync(theirs);

        Assert.Equal("job-x", Assert.Single(h.Tracker.Jobs).JobId);
        Assert.Equal(JobChangeKind.Added, h.Changes[^1].Kind);
        Assert.NotNull(h.Scheduler.DueAt("other-tab"));
        var report = await h.AdvanceToNextPollAsync("other-tab");
        Assert.Equal("job-x", h.JobType.StatusCalls.Single().JobId);
        Assert.Equal(JobPhase.Queued, report.Record!.Status.Phase);
    }

    [Fact]
    public async Task ExternalChange_NewerRevisionFinished_ReplacedAndPollingStops()
    {
        await using var h = new TrackerHarness();
        await h.Tracker.InitializeAsync(Ct);
        var mine = await h.SubmitQueuedAsync("job-1");
        var theirs = mine with
        {
            Status = new JobStatus("SUCCESS", "SUCCEEDED", JobPhase.Succeeded),
            OutputUrl = Snapshots.SignedUrl,
            Revision = mine.Revision + 1,
        };

        await h.Store.SimulateExternalWriteAsync(theirs);

        Assert.Equal(JobPhase.Succeeded, h.Tracker.Find(mine.Id)!.Status.Phase);
        Assert.Null(h.Scheduler.DueAt(mine.Id));
        Assert.Equal(JobChangeKind.Updated, h.Changes[^1].Kind);
    }

    [Fact]
    public async Task ExternalChange_OlderRevision_Ignored()
    {
        await using var h = new TrackerHarness();
        await h.Tracker.InitializeAsync(Ct);
        var mine = await h.SubmitQueuedAsync("job-1");
        var changes = h.Changes.Count;

        await h.Store.SimulateExternalWriteAsync(mine with { Seen = true, Revision = mine.Revision - 1 });

        Assert.False(h.Tracker.Find(mine.Id)!.Seen);
        Assert.Equal(changes, h.Changes.Count);
    }

    [Fact]
    public async Task ExternalChange_RemovedInAnotherTab_DroppedHere()
    {
        await using var h = new TrackerHarness();
        await h.Tracker.InitializeAsync(Ct);
        var mine = await h.SubmitQueuedAsync("job-1");

        await h.Store.SimulateExternalRemoveAsync(mine.Id);

        Assert.Empty(h.Tracker.Jobs);
        Assert.Null(h.Scheduler.DueAt(mine.Id));
        Assert.Equal(JobChangeKind.Removed, h.Changes[^1].Kind);
    }

    [Fact]
    public async Task ExternalChange_EvictedForRoomInAnotherTab_KeptHere()
    {
        await using var h = new TrackerHarness();
        await h.Tracker.InitializeAsync(Ct);
        var mine = await h.SubmitQueuedAsync("job-1");

        await h.Store.SimulateExternalEvictAsync(mine.Id);

        Assert.Equal(mine.Id, Assert.Single(h.Tracker.Jobs).Id);
        Assert.NotNull(h.Scheduler.DueAt(mine.Id));
        Assert.DoesNotContain(h.Changes, c => c.Kind == JobChangeKind.Removed);
    }

    [Fact]
    public async Task ExternalChange_StaleSaveAfterRemovalHere_NotResurrectedAndTombstoneRestored()
    {
        await using var h = new TrackerHarness();
        await h.Tracker.InitializeAsync(Ct);
        var mine = await h.SubmitQueuedAsync("job-1");
        await h.Tracker.RemoveAsync(mine.Id, Ct);

        // Another tab polled the job before it heard of the removal and saved its copy, revision and all, over the tombstone.
        await h.Store.SimulateExternalWriteAsync(mine with { Revision = mine.Revision + 5, Status = new JobStatus("STARTED", "RUNNING", JobPhase.Running) });

        Assert.Empty(h.Tracker.Jobs);
        Assert.True(h.Store.Find(mine.Id)!.Removed);
        Assert.True(h.Store.Find(mine.Id)!.Revision > mine.Revision + 5);
    }

    [Fact]
    public async Task Initialize_Tombstone_NotLoadedAndALaterStaleCopyIgnored()
    {
        await using var h = new TrackerHarness();
        var stored = h.StoredRecord("gone", "job-g", JobPhase.Queued, TrackerHarness.Start);
        await h.Store.SaveAsync(stored, Ct);
        await h.Store.SimulateExternalRemoveAsync("gone");

        await h.Tracker.InitializeAsync(Ct);
        await h.Store.SimulateExternalWriteAsync(stored with { Revision = 9 });

        Assert.Empty(h.Tracker.Jobs);
        Assert.True(h.Store.Find("gone")!.Removed);
    }

    [Fact]
    public async Task ExternalChange_KeepCheckingInAnotherTab_PollingResumesHere()
    {
        await using var h = new TrackerHarness();
        await h.Store.SaveAsync(h.StoredRecord("t", "job-t", JobPhase.TimedOut, TrackerHarness.Start - TimeSpan.FromHours(1)), Ct);
        await h.Tracker.InitializeAsync(Ct);
        var timedOut = h.Tracker.Find("t")!;

        await h.Store.SimulateExternalWriteAsync(timedOut with
        {
            Status = timedOut.Status with { Phase = JobPhase.Queued },
            Deadline = TrackerHarness.Start + TimeSpan.FromMinutes(30),
            Revision = timedOut.Revision + 1,
        });

        Assert.Equal(JobPhase.TimedOut, timedOut.Status.Phase);
        Assert.Equal(JobPhase.Queued, h.Tracker.Find("t")!.Status.Phase);
        Assert.NotNull(h.Scheduler.DueAt("t"));
    }

    [Fact]
    public async Task ExternalChange_SubmitFinishedInAnotherTab_PolledHereToo()
    {
        await using var h = new TrackerHarness();
        await h.Tracker.InitializeAsync(Ct);
        var submitting = h.StoredRecord("o", null, JobPhase.Submitting, TrackerHarness.Start);
        await h.Store.SimulateExternalWriteAsync(submitting);
        var orphanCheckAt = h.Scheduler.DueAt("o");

        await h.Store.SimulateExternalWriteAsync(submitting with
        {
            JobId = "job-o",
            Status = new JobStatus(null, null, JobPhase.Queued),
            Revision = 2,
        });
        var report = await h.AdvanceToNextPollAsync("o");

        Assert.True(report.At < orphanCheckAt);
        Assert.Equal(ScheduledWork.Poll, report.Work);
        Assert.Equal("job-o", h.JobType.StatusCalls.Single().JobId);
        Assert.Equal(JobPhase.Queued, report.Record!.Status.Phase);
    }

    [Fact]
    public async Task Initialize_StoredRecords_NewestFirstAndAnnounced()
    {
        await using var h = new TrackerHarness();
        await h.Store.SaveAsync(h.StoredRecord("older", "job-a", JobPhase.Succeeded, TrackerHarness.Start - TimeSpan.FromHours(3)), Ct);
        await h.Store.SaveAsync(h.StoredRecord("newer", "job-b", JobPhase.Failed, TrackerHarness.Start - TimeSpan.FromHours(1)), Ct);

        await h.Tracker.InitializeAsync(Ct);
        await h.Tracker.InitializeAsync(Ct);

        Assert.Equal(["newer", "older"], h.Tracker.Jobs.Select(j => j.Id));
        Assert.Equal(2, h.Changes.Count(c => c.Kind == JobChangeKind.Added));
        Assert.All(h.Tracker.Jobs, job => Assert.Null(h.Scheduler.DueAt(job.Id)));
    }

    [Fact]
    public async Task Initialize_RecordFromNewerSchema_LeftAlone()
    {
        await using var h = new TrackerHarness();
        var future = h.StoredRecord("future", "job-f", JobPhase.Queued, TrackerHarness.Start) with
        {
            SchemaVersion = JobRecord.CurrentSchemaVersion + 1,
        };
        await h.Store.SaveAsync(future, Ct);

        await h.Tracker.InitializeAsync(Ct);

        Assert.Empty(h.Tracker.Jobs);
        Assert.Equal(JobRecord.CurrentSchemaVersion + 1, h.Store.Find("future")!.SchemaVersion);
        Assert.Null(h.Scheduler.DueAt("future"));
    }
}
