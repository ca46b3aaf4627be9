using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>The polling policy on a fake clock: intervals, jitter, idle step-down, deadline, Lost and the states.</summary>
public sealed class JobTrackerPollingTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static TrackerHarness NoJitter(Action<PollingOptions>? more = null) => new(polling: p =>
    {
        p.Jitter = 0;
        more?.Invoke(p);
    });

    [Fact]
    public async Task Poll_QueuedJob_EveryFiveSeconds()
    {
        await using var h = NoJitter();
        var record = await h.SubmitQueuedAsync();

        var intervals = await h.IntervalsAsync(record.Id, 6);

        Assert.All(intervals, interval => Assert.Equal(5 * Second, interval));
        Assert.Equal(JobPhase.Queued, h.Tracker.Find(record.Id)!.Status.Phase);
    }

    [Fact]
    public async Task Poll_RunningJob_EveryTwoSeconds()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();

        var first = await h.AdvanceToNextPollAsync(record.Id);
        var intervals = await h.IntervalsAsync(record.Id, 5);

        Assert.Equal(JobPhase.Running, first.Record!.Status.Phase);
        Assert.All(intervals, interval => Assert.Equal(2 * Second, interval));
    }

    [Fact]
    public async Task Poll_QueuedThenRunning_SwitchesFromFiveToTwoSeconds()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Queued, Snapshots.Queued, Snapshots.Running);
        var record = await h.SubmitQueuedAsync();

        var intervals = await h.IntervalsAsync(record.Id, 5);

        Assert.Equal([5 * Second, 5 * Second, 5 * Second, 2 * Second, 2 * Second], intervals);
    }

    [Fact]
    public async Task Poll_WithTenPercentJitter_EveryIntervalWithinBounds()
    {
        await using var h = new TrackerHarness(polling: p => p.IdleAfter = TimeSpan.FromHours(1));
        h.JobType.Returns("job-1", Snapshots.Queued);
        var queued = await h.SubmitQueuedAsync();

        var intervals = await h.IntervalsAsync(queued.Id, 40);

        Assert.All(intervals, i => Assert.InRange(i, 4.5 * Second, 5.5 * Second));
        Assert.True(intervals.Distinct().Count() > 10, "the intervals should be spread, not in lockstep");
    }

    [Fact]
    public async Task Poll_RunningWithJitter_EveryIntervalWithinBounds()
    {
        await using var h = new TrackerHarness(polling: p => p.IdleAfter = TimeSpan.FromHours(1));
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);

        var intervals = await h.IntervalsAsync(record.Id, 40);

        Assert.All(intervals, i => Assert.InRange(i, 1.8 * Second, 2.2 * Second));
        Assert.True(intervals.Min() < 1.9 * Second && intervals.Max() > 2.1 * Second, "jitter should use most of its range");
    }

    [Fact]
    public async Task Poll_SameSeed_SameSchedule()
    {
        await using var first = new TrackerHarness(seed: 7);
        await using var second = new TrackerHarness(seed: 7);
        var a = await first.SubmitQueuedAsync();
        var b = await second.SubmitQueuedAsync();

        var intervalsA = await first.IntervalsAsync(a.Id, 10);
        var intervalsB = await second.IntervalsAsync(b.Id, 10);

        Assert.Equal(intervalsA, intervalsB);
    }

    [Fact]
    public async Task Poll_NoChangeForTwoMinutes_StepsDownToTenSeconds()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Queued);
        var record = await h.SubmitQueuedAsync();
        var firstPoll = await h.AdvanceToNextPollAsync(record.Id);
        var lastChange = firstPoll.Record!.LastChangeAt!.Value;

        var reports = new List<PollReport>();
        for (var i = 0; i < 30; i++) reports.Add(await h.AdvanceToNextPollAsync(record.Id));

        var fast = reports.Where(r => r.NextDueAt - r.At == 5 * Second).ToList();
        var slow = reports.Where(r => r.NextDueAt - r.At == 10 * Second).ToList();
        Assert.Equal(reports.Count, fast.Count + slow.Count);
        Assert.All(fast, r => Assert.True(r.At - lastChange < TimeSpan.FromMinutes(2)));
        Assert.All(slow, r => Assert.True(r.At - lastChange >= TimeSpan.FromMinutes(2)));
        Assert.Equal(lastChange + TimeSpan.FromMinutes(2), slow[0].At);
        Assert.Equal(lastChange, h.Tracker.Find(record.Id)!.LastChangeAt);
    }

    [Fact]
    public async Task Poll_ChangeAfterIdle_BackToNormalPace()
    {
        await using var h = NoJitter(p => p.IdleAfter = TimeSpan.FromSeconds(20));
        h.JobType.Returns("job-1", Snapshots.Queued, Snapshots.Queued, Snapshots.Queued, Snapshots.Queued, Snapshots.Queued,
            Snapshots.Queued, Snapshots.Running);
        var record = await h.SubmitQueuedAsync();

        var intervals = await h.IntervalsAsync(record.Id, 9);

        // 5 s until 20 s without change, then 10 s; the change to Running brings 2 s back.
        Assert.Equal([5 * Second, 5 * Second, 5 * Second, 5 * Second, 5 * Second, 10 * Second, 10 * Second, 2 * Second, 2 * Second], intervals);
    }

    [Fact]
    public async Task Deadline_NoTerminalState_TimedOutAtDeadlineAndPollingStops()
    {
        await using var h = NoJitter(p => p.Deadline = TimeSpan.FromMinutes(1));
        var record = await h.SubmitQueuedAsync();

        PollReport report;
        do report = await h.AdvanceToNextPollAsync(record.Id);
        while (report.Record!.Status.Phase == JobPhase.Queued);
        var calls = h.JobType.StatusCallCount;
        h.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(JobPhase.TimedOut, report.Record.Status.Phase);
        Assert.Equal(record.CreatedAt + TimeSpan.FromMinutes(1), report.At);
        Assert.Null(report.NextDueAt);
        Assert.Equal(JobErrorSource.Tracking, report.Record.Error!.Source);
        Assert.Null(report.Record.CompletedAt);
        Assert.Equal(12, calls);
        Assert.Equal(calls, h.JobType.StatusCallCount);
        Assert.Equal(JobPhase.TimedOut, h.Store.Find(record.Id)!.Status.Phase);
    }

    [Fact]
    public async Task KeepChecking_AfterTimeout_ResumesWithFreshDeadlineAndFinishes()
    {
        await using var h = NoJitter(p => p.Deadline = TimeSpan.FromMinutes(1));
        var record = await h.SubmitQueuedAsync();
        PollReport report;
        do report = await h.AdvanceToNextPollAsync(record.Id);
        while (report.Record!.Status.Phase != JobPhase.TimedOut);
        h.JobType.Returns("job-1", Snapshots.Running, Snapshots.Success());
        var resumedAt = h.Time.GetUtcNow();

        await h.Tracker.KeepCheckingAsync(record.Id, TrackerHarness.Ct);
        var resumed = h.Tracker.Find(record.Id)!;
        var running = await h.NextReportAsync(record.Id);
        var finished = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(resumedAt + TimeSpan.FromMinutes(1), resumed.Deadline);
        Assert.Null(resumed.Error);
        Assert.Equal(JobPhase.Running, running.Record!.Status.Phase);
        Assert.Equal(resumedAt, running.At);
        Assert.Equal(JobPhase.Succeeded, finished.Record!.Status.Phase);
        Assert.Contains(finished.Record.Timeline, c => c.Phase == JobPhase.TimedOut);
        Assert.Equal(finished.At, finished.Record.CompletedAt);
    }

    [Fact]
    public async Task Restore_RecordSubmittedTwoHoursAgo_TimedOutWithAtMostOnePoll()
    {
        await using var h = new TrackerHarness();
        await h.Store.SaveAsync(h.StoredRecord("old", "job-old", JobPhase.Queued, TrackerHarness.Start - TimeSpan.FromHours(2)), TrackerHarness.Ct);

        await h.Tracker.InitializeAsync(TrackerHarness.Ct);
        var report = await h.NextReportAsync("old");
        h.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(JobPhase.TimedOut, report.Record!.Status.Phase);
        Assert.Single(h.JobType.StatusCalls);
        Assert.Null(h.Scheduler.DueAt("old"));
    }

    [Fact]
    public async Task Restore_RecordThatFinishedMeanwhile_SucceededWithOnePoll()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-old", Snapshots.Success());
        await h.Store.SaveAsync(h.StoredRecord("old", "job-old", JobPhase.Running, TrackerHarness.Start - TimeSpan.FromHours(2)), TrackerHarness.Ct);

        await h.Tracker.InitializeAsync(TrackerHarness.Ct);
        var report = await h.NextReportAsync("old");

        Assert.Equal(JobPhase.Succeeded, report.Record!.Status.Phase);
        Assert.Single(h.JobType.StatusCalls);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://admin:pw@169.254.169.254/latest/meta-data/")]
    [InlineData("/relative/x.mp4")]
    public async Task Restore_StoredOutputUrlNotPlainHttp_Dropped(string storedUrl)
    {
        await using var h = new TrackerHarness();
        await h.Store.SaveAsync(h.StoredRecord("done", "job-d", JobPhase.Succeeded, TrackerHarness.Start - TimeSpan.FromHours(2)) with
        {
            OutputUrl = storedUrl,
            OutputUrlExpiresAt = TrackerHarness.Start + TimeSpan.FromDays(365),
        }, TrackerHarness.Ct);

        await h.Tracker.InitializeAsync(TrackerHarness.Ct);

        var restored = h.Tracker.Find("done")!;
        Assert.Null(restored.OutputUrl);
        Assert.Null(restored.OutputUrlExpiresAt);
    }

    [Fact]
    public async Task Restore_RecordsWithNulls_RepairedOrSkippedAndTheRestLoads()
    {
        await using var h = new TrackerHarness();
        var at = TrackerHarness.Start - TimeSpan.FromHours(2);
        var done = h.StoredRecord("done", "job-d", JobPhase.Succeeded, at);
        // A finished record whose timeline holds a null (hand-edited storage), one without a status, one without inputs.
        await h.Store.SaveAsync(done with { Timeline = [null!, .. done.Timeline], CompletedAt = at + TimeSpan.FromMinutes(1) }, TrackerHarness.Ct);
        await h.Store.SaveAsync(h.StoredRecord("nostatus", "job-n", JobPhase.Queued, at) with { Status = null! }, TrackerHarness.Ct);
        await h.Store.SaveAsync(h.StoredRecord("noinputs", "job-i", JobPhase.Failed, at) with { Inputs = null! }, TrackerHarness.Ct);
        await h.Store.SaveAsync(h.StoredRecord("good", "job-g", JobPhase.Failed, at), TrackerHarness.Ct);

        await h.Tracker.InitializeAsync(TrackerHarness.Ct);

        Assert.Equal(["done", "good", "noinputs"], h.Tracker.Jobs.Select(j => j.Id).Order());
        Assert.DoesNotContain(null, h.Tracker.Find("done")!.Timeline);
        Assert.Equal("", h.Tracker.Find("noinputs")!.Inputs.Prompt);
    }

    [Fact]
    public async Task Restore_ActiveRecord_DeadlineCountsFromStoredSubmission()
    {
        await using var h = NoJitter();
        var createdAt = TrackerHarness.Start - TimeSpan.FromMinutes(29);
        await h.Store.SaveAsync(h.StoredRecord("recent", "job-r", JobPhase.Queued, createdAt), TrackerHarness.Ct);

        await h.Tracker.InitializeAsync(TrackerHarness.Ct);
        var first = await h.NextReportAsync("recent");
        PollReport report;
        do report = await h.AdvanceToNextPollAsync("recent");
        while (report.Record!.Status.Phase == JobPhase.Queued);

        Assert.Equal(TrackerHarness.Start, first.At);
        Assert.Equal(JobPhase.TimedOut, report.Record.Status.Phase);
        Assert.Equal(createdAt + TimeSpan.FromMinutes(30), report.At);
    }

    [Fact]
    public async Task Adopt_UnknownId_LostAfterGracePeriod()
    {
        await using var h = NoJitter();
        h.JobType.Returns("nope", Snapshots.Unknown);

        var adopted = await h.Tracker.AdoptAsync("nope", "i2v", TrackerHarness.Ct);
        var report = await h.NextReportAsync(adopted.Id);
        while (report.Record!.Status.Phase == JobPhase.Queued) report = await h.AdvanceToNextPollAsync(adopted.Id);

        Assert.Equal(JobPhase.Lost, report.Record.Status.Phase);
        Assert.Equal(adopted.CreatedAt + h.Options.Polling.LostAfter, report.At);
        Assert.Equal(JobErrorSource.Tracking, report.Record.Error!.Source);
        Assert.Null(report.NextDueAt);
        Assert.Equal("PENDING", report.Record.Status.Celery);
        Assert.Null(report.Record.Status.Db);
    }

    [Fact]
    public async Task Submit_CreateReplySaysDbRowNotWritten_PendingWithoutRowNeverLost()
    {
        await using var h = NoJitter();
        h.JobType.NextDbRowWritten = false;
        h.JobType.Returns("job-nodb", Snapshots.Unknown);
        var record = await h.SubmitQueuedAsync("job-nodb");

        PollReport report;
        do report = await h.AdvanceToNextPollAsync(record.Id);
        while (report.At < record.CreatedAt + h.Options.Polling.LostAfter * 3);

        Assert.True(report.Record!.DbRowMissing);
        Assert.Equal(JobPhase.Queued, report.Record.Status.Phase);
        Assert.NotNull(report.NextDueAt);
    }

    [Fact]
    public async Task KeepChecking_Lost_PollsAgainWithAFreshGracePeriod()
    {
        await using var h = NoJitter();
        h.JobType.Returns("nope", Snapshots.Unknown);
        var adopted = await h.Tracker.AdoptAsync("nope", "i2v", TrackerHarness.Ct);
        var report = await h.NextReportAsync(adopted.Id);
        while (report.Record!.Status.Phase == JobPhase.Queued) report = await h.AdvanceToNextPollAsync(adopted.Id);
        h.JobType.Returns("nope", Snapshots.Running);

        await h.Tracker.KeepCheckingAsync(adopted.Id, TrackerHarness.Ct);
        var resumed = await h.NextReportAsync(adopted.Id);

        Assert.Equal(JobPhase.Lost, report.Record.Status.Phase);
        Assert.Equal(JobPhase.Running, resumed.Record!.Status.Phase);
    }

    [Fact]
    public async Task Adopt_PendingWhileDbUnavailable_NotLost()
    {
        await using var h = NoJitter();
        h.JobType.Returns("maybe", Snapshots.DbDown);

        var adopted = await h.Tracker.AdoptAsync("maybe", "i2v", TrackerHarness.Ct);
        await h.NextReportAsync(adopted.Id);
        var reports = new List<PollReport>();
        for (var i = 0; i < 30; i++) reports.Add(await h.AdvanceToNextPollAsync(adopted.Id));

        Assert.True(reports[^1].At - adopted.CreatedAt > 2 * h.Options.Polling.LostAfter);
        Assert.All(reports, r => Assert.Equal(JobPhase.Queued, r.Record!.Status.Phase));
        Assert.NotNull(h.Scheduler.DueAt(adopted.Id));
    }

    [Fact]
    public async Task Adopt_KnownJob_FirstPollAtOnceWithEmptyPrompt()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-x", Snapshots.Running);

        var adopted = await h.Tracker.AdoptAsync(" job-x ", "i2v", TrackerHarness.Ct);
        var report = await h.NextReportAsync(adopted.Id);

        Assert.Equal("job-x", adopted.JobId);
        Assert.Equal("", adopted.Inputs.Prompt);
        Assert.Equal(JobPhase.Queued, adopted.Status.Phase);
        Assert.Equal(TrackerHarness.Start, report.At);
        Assert.Equal(JobPhase.Running, report.Record!.Status.Phase);
    }

    [Fact]
    public async Task Adopt_SameJobIdTwice_OneRecord()
    {
        await using var h = NoJitter();

        var first = await h.Tracker.AdoptAsync("job-x", "i2v", TrackerHarness.Ct);
        var second = await h.Tracker.AdoptAsync("job-x", "i2v", TrackerHarness.Ct);

        Assert.Equal(first.Id, second.Id);
        Assert.Single(h.Tracker.Jobs);
    }

    [Fact]
    public async Task Poll_Retry_StaysActiveAsQueued()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Retry);
        var record = await h.SubmitQueuedAsync();

        var report = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Queued, report.Record!.Status.Phase);
        Assert.Equal("RETRY", report.Record.Status.Celery);
        Assert.Equal(report.At + 5 * Second, report.NextDueAt);
    }

    [Fact]
    public async Task Poll_Revoked_FailedAndPollingStops()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Revoked);
        var record = await h.SubmitQueuedAsync();

        var report = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Failed, report.Record!.Status.Phase);
        Assert.Equal(JobErrorSource.Job, report.Record.Error!.Source);
        Assert.Contains("REVOKED", report.Record.Error.Message, StringComparison.Ordinal);
        Assert.Equal(report.At, report.Record.CompletedAt);
        Assert.Null(report.NextDueAt);
    }

    [Fact]
    public async Task Poll_Failure_ErrorKeptVerbatimWithLineBreaks()
    {
        await using var h = NoJitter();
        const string oom = "CUDA out of memory. Tried to allocate 2.81 GiB.\nOf the allocated memory 21.93 GiB is allocated by PyTorch.";
        h.JobType.Returns("job-1", Snapshots.Running, Snapshots.Failure(oom));
        var record = await h.SubmitQueuedAsync();

        await h.AdvanceToNextPollAsync(record.Id);
        var report = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Failed, report.Record!.Status.Phase);
        Assert.Equal(oom, report.Record.Error!.Message);
        Assert.Equal(JobErrorSource.Job, report.Record.Error.Source);
        Assert.Null(report.NextDueAt);
    }

    [Fact]
    public async Task Poll_Success_UrlAndExpiryFromSignature()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Success());
        var record = await h.SubmitQueuedAsync();

        var report = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Succeeded, report.Record!.Status.Phase);
        Assert.Equal(Snapshots.SignedUrl, report.Record.OutputUrl);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero), report.Record.OutputUrlExpiresAt);
        Assert.False(report.Record.OutputLinkGone);
        Assert.Null(report.Record.Error);
        Assert.False(report.Record.Seen);
        Assert.Null(report.NextDueAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("s3://turbo-super-novel/turbodiffusion/outputs/job-1.mp4")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a url")]
    public async Task Poll_SuccessWithoutUsableUrl_TerminalWithRawResult(string? url)
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Success(url));
        var record = await h.SubmitQueuedAsync();

        var report = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Succeeded, report.Record!.Status.Phase);
        Assert.Null(report.Record.OutputUrl);
        Assert.Null(report.Record.OutputUrlExpiresAt);
        Assert.Equal(Snapshots.ResultJson, report.Record.RawResult);
        Assert.Null(report.NextDueAt);
    }

    [Fact]
    public async Task Poll_ExpiredCeleryResult_SucceededWithLinkGone()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Expired);
        var record = await h.SubmitQueuedAsync();

        var report = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Succeeded, report.Record!.Status.Phase);
        Assert.True(report.Record.OutputLinkGone);
        Assert.Null(report.Record.OutputUrl);
        Assert.Equal(("PENDING", "SUCCEEDED"), (report.Record.Status.Celery, report.Record.Status.Db));
        Assert.Null(report.NextDueAt);
    }

    [Fact]
    public async Task Timeline_EveryStateChange_RecordedWithTime()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Queued, Snapshots.Queued, Snapshots.Running, Snapshots.Success());
        var record = await h.SubmitQueuedAsync();

        PollReport report;
        do report = await h.AdvanceToNextPollAsync(record.Id);
        while (report.Record!.Status.Phase != JobPhase.Succeeded);

        var timeline = report.Record.Timeline.Select(c => (c.Celery, c.Db, c.Phase)).ToList();
        Assert.Equal(
            [(null, null, JobPhase.Submitting), (null, null, JobPhase.Queued), ("PENDING", "SUBMITTED", JobPhase.Queued),
             ("STARTED", "RUNNING", JobPhase.Running), ("SUCCESS", "SUCCEEDED", JobPhase.Succeeded)],
            timeline);
        Assert.Equal(report.At, report.Record.Timeline[^1].At);
        Assert.Equal(TrackerHarness.Start + 15 * Second, report.Record.Timeline[^2].At);
    }
}
