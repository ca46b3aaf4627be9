using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>
/// The worker writes Celery's result before the DB row, so a GET in between reads SUCCESS with UPLOADED (contract:
/// "for a moment they can disagree"). The tracker keeps polling a finished job briefly until the row settles.
/// </summary>
public sealed class JobTrackerDbSettleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static JobSnapshot SuccessUploaded(string url = Snapshots.SignedUrl) =>
        new() { Celery = "SUCCESS", Db = "UPLOADED", OutputUrl = url, RawResult = Snapshots.ResultJson };

    private static TrackerHarness NoJitter() => new(polling: p => p.Jitter = 0);

    [Fact]
    public async Task Poll_SuccessBeforeDbRowSettles_PollsAtRunningPaceUntilSucceeded()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Running, SuccessUploaded(), SuccessUploaded(), Snapshots.Success());
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);

        var finished = await h.AdvanceToNextPollAsync(record.Id);
        var stillUploaded = await h.AdvanceToNextPollAsync(record.Id);
        var settled = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Succeeded, finished.Record!.Status.Phase);
        Assert.Equal("UPLOADED", finished.Record.Status.Db);
        Assert.Equal(finished.At + 2 * Second, finished.NextDueAt);
        Assert.Equal(stillUploaded.At + 2 * Second, stillUploaded.NextDueAt);
        Assert.Equal("SUCCEEDED", settled.Record!.Status.Db);
        Assert.Equal(JobPhase.Succeeded, settled.Record.Status.Phase);
        Assert.Equal(finished.At, settled.Record.CompletedAt);
        Assert.Equal("SUCCEEDED", settled.Record.Timeline[^1].Db);
        Assert.Null(settled.NextDueAt);
        Assert.Null(h.Scheduler.DueAt(record.Id));
    }

    [Fact]
    public async Task Poll_SettlePollWithFreshLink_KeepsTheLinkThePlayerHas()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", SuccessUploaded(Snapshots.SignedUrl),
            new JobSnapshot { Celery = "SUCCESS", Db = "SUCCEEDED", OutputUrl = Snapshots.SignedUrl + "&fresh=1", RawResult = Snapshots.ResultJson });
        var record = await h.SubmitQueuedAsync();

        var finished = await h.AdvanceToNextPollAsync(record.Id);
        var settled = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(finished.Record!.OutputUrl, settled.Record!.OutputUrl);
        Assert.Equal("SUCCEEDED", settled.Record.Status.Db);
    }

    [Fact]
    public async Task Poll_DbRowNeverSettles_StopsWithinTheSettleWindow()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", SuccessUploaded());
        var record = await h.SubmitQueuedAsync();
        var finished = await h.AdvanceToNextPollAsync(record.Id);

        var settlePolls = 0;
        // Bounded: a loop that cannot end would be the bug under test.
        while (h.Scheduler.DueAt(record.Id) is not null && settlePolls < 100)
        {
            await h.AdvanceToNextPollAsync(record.Id);
            settlePolls++;
        }

        Assert.Null(h.Scheduler.DueAt(record.Id));
        Assert.InRange(settlePolls, 14, 15);
        Assert.True(h.Time.GetUtcNow() - finished.At <= PollPlanner.DbSettleWindow);
        var after = h.Tracker.Find(record.Id)!;
        Assert.Equal(JobPhase.Succeeded, after.Status.Phase);
        Assert.Equal("UPLOADED", after.Status.Db);
    }

    [Fact]
    public async Task Poll_SettlePollFails_StopsWithoutConnectionTrouble()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", SuccessUploaded()).Throws("job-1", Faults.Unavailable(), times: 3);
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);

        var failed = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Null(failed.NextDueAt);
        Assert.False(failed.Record!.ConnectionTrouble);
        Assert.Equal(JobPhase.Succeeded, failed.Record.Status.Phase);
    }

    [Fact]
    public async Task Poll_FailureBeforeDbRowSettles_PollsUntilFailed()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", new JobSnapshot { Celery = "FAILURE", Db = "RUNNING", Error = "CUDA out of memory" },
            Snapshots.Failure("CUDA out of memory"));
        var record = await h.SubmitQueuedAsync();

        var failed = await h.AdvanceToNextPollAsync(record.Id);
        var settled = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Failed, failed.Record!.Status.Phase);
        Assert.NotNull(failed.NextDueAt);
        Assert.Equal("FAILED", settled.Record!.Status.Db);
        Assert.Equal("CUDA out of memory", settled.Record.Error!.Message);
        Assert.Null(settled.NextDueAt);
    }

    [Fact]
    public async Task Poll_RevokedWithRunningRow_DoesNotWaitForTheRow()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Revoked);
        var record = await h.SubmitQueuedAsync();

        var report = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Failed, report.Record!.Status.Phase);
        Assert.Null(report.NextDueAt);
    }
}
