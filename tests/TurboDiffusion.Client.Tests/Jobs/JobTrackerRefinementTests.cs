using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>
/// The refinements beyond the spec's schedule, on a fake clock: learned run times (sparse early, dense around the
/// expected end, nothing before three samples), the step-down of jobs queued behind this tracker's own jobs, the
/// wake-up of the next queued job when one finishes, and the later idle step-down of running jobs.
/// </summary>
public sealed class JobTrackerRefinementTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static TrackerHarness NoJitter(Action<PollingOptions>? more = null) => new(polling: p =>
    {
        p.Jitter = 0;
        more?.Invoke(p);
    });

    /// <summary>A stored, succeeded run of the harness's parameters (another seed) that took <paramref name="run"/>.</summary>
    private static JobRecord FinishedRun(TrackerHarness h, int n, TimeSpan run, int numSteps = 4)
    {
        var started = TrackerHarness.Start - TimeSpan.FromHours(1) + (n * 10 * Minute);
        var created = started - (20 * Second);
        return h.StoredRecord("done-" + n, "job-done-" + n, JobPhase.Succeeded, created) with
        {
            Params = new I2VParams { Seed = 100 + n, NumSteps = numSteps, Quantized = true }.ToJson(),
            Status = new JobStatus("SUCCESS", "SUCCEEDED", JobPhase.Succeeded),
            Timeline =
            [
                new JobStatusChange(created, null, null, JobPhase.Submitting),
                new JobStatusChange(created, "PENDING", "SUBMITTED", JobPhase.Queued),
                new JobStatusChange(started, "STARTED", "RUNNING", JobPhase.Running),
                new JobStatusChange(started + run, "SUCCESS", "SUCCEEDED", JobPhase.Succeeded),
            ],
            CompletedAt = started + run,
            Seen = true,
        };
    }

    /// <summary>Stores <paramref name="runs"/> finished runs and loads them into the tracker.</summary>
    private static async Task LearnAsync(TrackerHarness h, params TimeSpan[] runs)
    {
        for (var i = 0; i < runs.Length; i++) await h.Store.SaveAsync(FinishedRun(h, i, runs[i]), TrackerHarness.Ct);
        await h.Tracker.InitializeAsync(TrackerHarness.Ct);
    }

    private static TimeSpan[] Seconds(params double[] values) => [.. values.Select(TimeSpan.FromSeconds)];

    [Fact]
    public async Task LearnedRun_EarlyInRun_PollsAtSparseIntervalUntilDenseWindow()
    {
        await using var h = NoJitter();
        await LearnAsync(h, Seconds(60, 61, 62));
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();

        var intervals = await h.IntervalsAsync(record.Id, 12);

        // Seen running at 5 s; shortest run 60 s less the 10 % margin: dense from 54 s after the POST. Before it,
        // every 5 s (the sparse interval), the last wait cut short so the window is not overshot.
        Assert.Equal(Seconds(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 1), intervals);
        Assert.Equal(TrackerHarness.Start + (55 * Second), h.Time.GetUtcNow());
    }

    [Fact]
    public async Task LearnedRun_AroundAndAfterExpectedEnd_EverySecondThenPlainPace()
    {
        await using var h = NoJitter();
        await LearnAsync(h, Seconds(60, 61, 62));
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        await h.IntervalsAsync(record.Id, 11);

        var intervals = await h.IntervalsAsync(record.Id, 16);

        // Dense (1 s) from 54 s through the longest run plus the margin (62 + 6 = 68 s), then the plain 2 s: a late
        // run is never polled less often than the spec's schedule would.
        Assert.Equal(TrackerHarness.Start + (54 * Second), h.Time.GetUtcNow() - intervals.Aggregate(TimeSpan.Zero, (a, b) => a + b));
        Assert.Equal([.. Enumerable.Repeat(Second, 15), 2 * Second], intervals);
    }

    [Fact]
    public async Task LearnedRun_WithJitter_DenseIntervalsWithinTenPercent()
    {
        await using var h = new TrackerHarness();
        await LearnAsync(h, Seconds(60, 60, 60));
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        while (h.Time.GetUtcNow() < TrackerHarness.Start + (54 * Second)) await h.AdvanceToNextPollAsync(record.Id);

        var intervals = await h.IntervalsAsync(record.Id, 8);

        Assert.All(intervals, i => Assert.InRange(i, 0.9 * Second, 1.1 * Second));
    }

    [Fact]
    public async Task LearnedRun_TwoSamplesOnly_PlainTwoSeconds()
    {
        await using var h = NoJitter();
        await LearnAsync(h, Seconds(60, 61));
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);

        var intervals = await h.IntervalsAsync(record.Id, 10);

        Assert.All(intervals, i => Assert.Equal(2 * Second, i));
    }

    [Fact]
    public async Task LearnedRun_SamplesOfOtherParameters_PlainTwoSeconds()
    {
        await using var h = NoJitter();
        for (var i = 0; i < 3; i++) await h.Store.SaveAsync(FinishedRun(h, i, 60 * Second, numSteps: 2), TrackerHarness.Ct);
        await h.Tracker.InitializeAsync(TrackerHarness.Ct);
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);

        var intervals = await h.IntervalsAsync(record.Id, 10);

        Assert.All(intervals, i => Assert.Equal(2 * Second, i));
    }

    [Fact]
    public async Task LearnedRun_OptionOff_PlainTwoSeconds()
    {
        await using var h = NoJitter(p => p.LearnRunDurations = false);
        await LearnAsync(h, Seconds(60, 61, 62));
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);

        var intervals = await h.IntervalsAsync(record.Id, 10);

        Assert.All(intervals, i => Assert.Equal(2 * Second, i));
    }

    [Fact]
    public async Task LearnedRun_StartSeenLate_WindowCountsFromLastQueuedAnswer()
    {
        await using var h = NoJitter();
        await LearnAsync(h, Seconds(60, 60, 60));
        h.JobType.Returns("job-1", Snapshots.Queued, Snapshots.Queued, Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        await h.IntervalsAsync(record.Id, 3);

        var denseFrom = TrackerHarness.Start;
        var previous = h.Time.GetUtcNow();
        while (true)
        {
            var report = await h.AdvanceToNextPollAsync(record.Id);
            if (report.NextDueAt - report.At == Second)
            {
                denseFrom = report.At;
                break;
            }

            previous = report.At;
        }

        // Queued at 5 and 10 s, running at 15 s: the run may have started right after 10 s, so dense from 10 + 54 s.
        Assert.Equal(TrackerHarness.Start + (64 * Second), denseFrom);
        Assert.True(denseFrom - previous <= 5 * Second);
    }

    [Fact]
    public async Task LearnedRun_ThreeFinishedInThisSession_FourthPollsSparsely()
    {
        await using var h = NoJitter();
        var waits = new List<TimeSpan>();
        for (var n = 1; n <= 4; n++)
        {
            var jobId = "job-" + n;
            h.JobType.Returns(jobId, Snapshots.Running, Snapshots.Running, Snapshots.Running, Snapshots.Running,
                Snapshots.Running, Snapshots.Running, Snapshots.Running, Snapshots.Running, Snapshots.Running,
                Snapshots.Running, Snapshots.Success());
            var record = await h.SubmitQueuedAsync(jobId, TrackerHarness.Request(seed: n));
            var first = await h.AdvanceToNextPollAsync(record.Id);
            waits.Add(first.NextDueAt!.Value - first.At);
            PollReport report;
            do report = await h.AdvanceToNextPollAsync(record.Id);
            while (report.Record!.Status.Phase == JobPhase.Running);
        }

        // Runs seen from 5 s to 25 s (10 answers 2 s apart); after three of them the fourth run is known to last
        // about 20 s, so its first wait is the sparse 5 s instead of 2 s.
        Assert.Equal([2 * Second, 2 * Second, 2 * Second, 5 * Second], waits);
    }

    [Fact]
    public async Task QueuedBehindOwnRunningJob_StepsDownToTenSeconds()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Running);
        h.JobType.Returns("job-2", Snapshots.Queued);
        var first = await h.SubmitQueuedAsync("job-1");
        await h.AdvanceToNextPollAsync(first.Id);
        var second = await h.SubmitQueuedAsync("job-2", TrackerHarness.Request(seed: 2));

        var intervals = await h.IntervalsAsync(second.Id, 4);

        Assert.All(intervals, i => Assert.Equal(10 * Second, i));
    }

    [Fact]
    public async Task QueuedBehindOwnJob_OptionOff_FiveSeconds()
    {
        await using var h = NoJitter(p => p.StepDownQueuedBehind = false);
        h.JobType.Returns("job-1", Snapshots.Running);
        h.JobType.Returns("job-2", Snapshots.Queued);
        var first = await h.SubmitQueuedAsync("job-1");
        await h.AdvanceToNextPollAsync(first.Id);
        var second = await h.SubmitQueuedAsync("job-2", TrackerHarness.Request(seed: 2));

        var intervals = await h.IntervalsAsync(second.Id, 4);

        Assert.All(intervals, i => Assert.Equal(5 * Second, i));
    }

    [Fact]
    public async Task QueuedBehindJobWhoseStateIsUnknown_NoStepDown()
    {
        await using var h = NoJitter();
        h.JobType.Hangs("job-1");
        h.JobType.Returns("job-2", Snapshots.Queued);
        await h.SubmitQueuedAsync("job-1");
        var second = await h.SubmitQueuedAsync("job-2", TrackerHarness.Request(seed: 2));

        var intervals = await h.IntervalsAsync(second.Id, 3);

        // job-1 was never answered: nothing proves job-2 waits behind it.
        Assert.All(intervals, i => Assert.Equal(5 * Second, i));
    }

    [Fact]
    public async Task QueuedWithoutDbRow_BehindOwnJob_NoStepDownSoLostIsOnTime()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Running);
        h.JobType.Returns("job-2", Snapshots.Unknown);
        var first = await h.SubmitQueuedAsync("job-1");
        await h.AdvanceToNextPollAsync(first.Id);
        var second = await h.SubmitQueuedAsync("job-2", TrackerHarness.Request(seed: 2));
        await h.AdvanceToNextPollAsync(second.Id);

        var intervals = await h.IntervalsAsync(second.Id, 3);

        Assert.All(intervals, i => Assert.Equal(5 * Second, i));
    }

    [Fact]
    public async Task OwnJobFinishes_OldestQueuedJobPolledAtOnce()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Running);
        h.JobType.Returns("job-2", Snapshots.Running);
        h.JobType.Returns("job-3", Snapshots.Queued);
        var first = await h.SubmitQueuedAsync("job-1");
        var running = await h.AdvanceToNextPollAsync(first.Id);
        var second = await h.SubmitQueuedAsync("job-2", TrackerHarness.Request(seed: 2));
        var third = await h.SubmitQueuedAsync("job-3", TrackerHarness.Request(seed: 3));
        var secondDue = h.Scheduler.DueAt(second.Id);
        var thirdDue = h.Scheduler.DueAt(third.Id);
        h.JobType.Returns("job-1", Snapshots.Success());
        h.JobType.ForgetCalls();

        h.Time.Advance(running.NextDueAt!.Value - h.Time.GetUtcNow());
        var woken = await h.JobType.NextStatusCallAsync("job-2");

        Assert.Equal(running.At + (10 * Second), secondDue);
        Assert.Equal(running.NextDueAt, woken.At);
        Assert.Equal(JobPhase.Succeeded, h.Tracker.Find(first.Id)!.Status.Phase);
        Assert.Equal(thirdDue, h.Scheduler.DueAt(third.Id));
    }

    [Fact]
    public async Task RunningWithoutChange_ThreeMinutes_StillEveryTwoSeconds()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);

        var intervals = await h.IntervalsAsync(record.Id, 90);

        Assert.All(intervals, i => Assert.Equal(2 * Second, i));
    }

    [Fact]
    public async Task RunningWithoutChange_PastRunningIdleAfter_StepsDownToTenSeconds()
    {
        await using var h = NoJitter(p => p.RunningIdleAfter = Minute);
        h.JobType.Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();
        var running = await h.AdvanceToNextPollAsync(record.Id);

        var reports = new List<PollReport>();
        while (h.Time.GetUtcNow() < running.At + (2 * Minute)) reports.Add(await h.AdvanceToNextPollAsync(record.Id));

        Assert.All(reports.Where(r => r.At - running.At < Minute), r => Assert.Equal(2 * Second, r.NextDueAt - r.At));
        Assert.All(reports.Where(r => r.At - running.At >= Minute), r => Assert.Equal(10 * Second, r.NextDueAt - r.At));
    }
}
