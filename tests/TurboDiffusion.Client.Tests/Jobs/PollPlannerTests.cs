using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Jobs.Polling;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>Where the planner thins the spec's schedule: learned runs and jobs queued behind this tracker's own.</summary>
public sealed class PollPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly PollingOptions _options = new() { Jitter = 0 };
    private readonly JobRecordBook _book = new();
    private readonly JobSchedule _schedule = new();
    private readonly RunDurations _durations = new(10);

    private PollPlanner Planner() => new(_options, new PollingPolicy(_options, new Random(1)), _durations, _book, _schedule);

    private JobRecord Track(string id, JobPhase phase, int minute, string? celery = "PENDING", string? db = "SUBMITTED")
    {
        var record = new JobRecord
        {
            Id = id,
            JobId = "job-" + id,
            JobType = I2VParams.JobTypeName,
            Params = new I2VParams { Seed = minute, NumSteps = 4 }.ToJson(),
            Status = new JobStatus(celery, db, phase),
            CreatedAt = T0.AddMinutes(minute),
            LastChangeAt = T0.AddMinutes(minute),
        };
        _book.Add(record);
        _schedule.Poll(record, T0.AddHours(1));
        return record;
    }

    [Fact]
    public void NextWait_QueuedBehindOwnRunningJob_SteppedDownToQueuedBehindInterval()
    {
        Track("first", JobPhase.Running, 0, "STARTED", "RUNNING");
        var second = Track("second", JobPhase.Queued, 1);

        var wait = Planner().NextWait(second, _schedule.Polls.Single(p => p.Id == "second").Job, T0.AddMinutes(1));

        Assert.Equal(_options.QueuedBehindInterval, wait);
    }

    [Fact]
    public void NextWait_QueuedBehindJobWithoutAnAnswer_PlainQueuedInterval()
    {
        // The earlier job's GETs have not been answered (no DB row yet): it proves nothing about the queue.
        Track("first", JobPhase.Queued, 0, celery: null, db: null);
        var second = Track("second", JobPhase.Queued, 1);

        var wait = Planner().NextWait(second, _schedule.Polls.Single(p => p.Id == "second").Job, T0.AddMinutes(1));

        Assert.Equal(_options.QueuedInterval, wait);
    }

    [Fact]
    public void NextWait_StepDownOff_PlainQueuedInterval()
    {
        _options.StepDownQueuedBehind = false;
        Track("first", JobPhase.Running, 0, "STARTED", "RUNNING");
        var second = Track("second", JobPhase.Queued, 1);

        Assert.Equal(_options.QueuedInterval, Planner().FirstWait(second, T0.AddMinutes(1)));
    }

    [Theory]
    [InlineData(6, 5)]   // early in a run learned to take 60 s: sparse
    [InlineData(53, 1)]  // just before the dense window (54 s): dense
    [InlineData(70, 2)]  // later than any run before: the plain running pace
    public void NextWait_RunLearnedFromThreeRuns_SparseEarlyDenseNearTheEnd(int elapsedSeconds, int expectedWaitSeconds)
    {
        var running = Track("now", JobPhase.Running, 0, "STARTED", "RUNNING") with
        {
            Timeline = [new JobStatusChange(T0.AddSeconds(20), "STARTED", "RUNNING", JobPhase.Running)],
        };
        var learned = new RunDurations(10);
        foreach (var id in new[] { "a", "b", "c" }) learned.Observe(RunTimes.ComparableKey(running)!, id, T0, TimeSpan.FromSeconds(60));
        var planner = new PollPlanner(_options, new PollingPolicy(_options, new Random(1)), learned, _book, _schedule);
        var job = _schedule.Poll(running, T0, notRunningAt: T0.AddSeconds(15));

        var wait = planner.NextWait(running, job, T0.AddSeconds(15 + elapsedSeconds));

        Assert.Equal(expectedWaitSeconds * Second, wait);
    }

    [Fact]
    public void WakeOldestQueued_OwnJobFinished_OldestQueuedDueNowOthersUnchanged()
    {
        Track("oldest", JobPhase.Queued, 0);
        Track("younger", JobPhase.Queued, 1);
        var now = T0.AddMinutes(5);

        Planner().WakeOldestQueued(now);

        Assert.Equal(now, _schedule.DueAt("oldest"));
        Assert.Equal(T0.AddHours(1), _schedule.DueAt("younger"));
    }

    [Fact]
    public void ApplyAnswer_Running_RecordUpdatedAndNextGetAtTheRunningPace()
    {
        var queued = Track("a", JobPhase.Queued, 0) with { Deadline = T0.AddMinutes(30) };
        var job = _schedule.Poll(queued, T0);
        job.InFlight = true;
        job.Failures = 2;

        var next = Planner().ApplyAnswer(queued, job, new JobSnapshot { Celery = "STARTED", Db = "RUNNING" }, T0.AddMinutes(1));

        Assert.Equal(JobPhase.Running, next.Status.Phase);
        Assert.Equal((ScheduledWork.Poll, T0.AddMinutes(1) + _options.RunningInterval, false, 0),
            (job.Work, job.DueAt, job.InFlight, job.Failures));
    }

    [Fact]
    public void ApplyAnswer_NextGetWouldPassTheDeadline_LastGetAtTheDeadline()
    {
        var queued = Track("a", JobPhase.Queued, 0) with { Deadline = T0.AddSeconds(61) };
        var job = _schedule.Poll(queued, T0);

        Planner().ApplyAnswer(queued, job, new JobSnapshot { Celery = "STARTED", Db = "RUNNING" }, T0.AddMinutes(1));

        Assert.Equal((ScheduledWork.Poll, T0.AddSeconds(61)), (job.Work, job.DueAt));
    }

    [Fact]
    public void ApplyAnswer_StillQueuedAtTheDeadline_TimedOutAndTrackingStops()
    {
        var queued = Track("a", JobPhase.Queued, 0) with { Deadline = T0.AddMinutes(1) };
        var job = _schedule.Poll(queued, T0);

        var next = Planner().ApplyAnswer(queued, job, new JobSnapshot { Celery = "PENDING", Db = "SUBMITTED" }, T0.AddMinutes(1));

        Assert.Equal(JobPhase.TimedOut, next.Status.Phase);
        Assert.Null(_schedule.DueAt("a"));
    }

    [Fact]
    public void ApplyAnswer_SucceededBeforeItsDbRow_SettlePollsAtTheRunningPaceUntilTheRowSettles()
    {
        var running = Track("a", JobPhase.Running, 0, "STARTED", "RUNNING") with { Deadline = T0.AddMinutes(30) };
        var job = _schedule.Poll(running, T0);
        var planner = Planner();

        var finished = planner.ApplyAnswer(running, job, new JobSnapshot { Celery = "SUCCESS", Db = "UPLOADED" }, T0.AddMinutes(1));
        var dueWhileLagging = _schedule.DueAt("a");
        var settled = planner.ApplyAnswer(finished, job, new JobSnapshot { Celery = "SUCCESS", Db = "SUCCEEDED" }, T0.AddMinutes(1) + (2 * Second));

        Assert.Equal(JobPhase.Succeeded, finished.Status.Phase);
        Assert.Equal(T0.AddMinutes(1) + _options.RunningInterval, dueWhileLagging);
        Assert.Equal(("SUCCEEDED", JobPhase.Succeeded), (settled.Status.Db, settled.Status.Phase));
        Assert.Equal(finished.CompletedAt, settled.CompletedAt);
        Assert.Null(_schedule.DueAt("a"));
    }

    [Fact]
    public void ApplyFault_Active_TroubleAndBackOffAtLeastRetryAfter()
    {
        var queued = Track("a", JobPhase.Queued, 0) with { Deadline = T0.AddMinutes(30) };
        var job = _schedule.Poll(queued, T0);

        var next = Planner().ApplyFault(queued, job, TimeSpan.FromSeconds(20), T0.AddMinutes(1));

        Assert.True(next.ConnectionTrouble);
        Assert.Equal(JobPhase.Queued, next.Status.Phase);
        Assert.Equal((ScheduledWork.Poll, T0.AddMinutes(1) + (20 * Second), 1), (job.Work, job.DueAt, job.Failures));
    }

    [Fact]
    public void ApplyFault_BackOffPassesTheDeadline_ExpiryAtTheDeadlineWithoutAGet()
    {
        var queued = Track("a", JobPhase.Queued, 0) with { Deadline = T0.AddSeconds(90) };
        var job = _schedule.Poll(queued, T0);

        Planner().ApplyFault(queued, job, TimeSpan.FromSeconds(60), T0.AddMinutes(1));

        Assert.Equal((ScheduledWork.Expire, T0.AddSeconds(90)), (job.Work, job.DueAt));
    }

    [Fact]
    public void ApplyFault_SettlePollOfAFinishedJob_OutcomeStandsAndTrackingStops()
    {
        var finished = Track("a", JobPhase.Succeeded, 0, "SUCCESS", "UPLOADED") with { CompletedAt = T0 };
        var job = _schedule.Poll(finished, T0);

        var next = Planner().ApplyFault(finished, job, null, T0.AddSeconds(2));

        Assert.Same(finished, next);
        Assert.Null(_schedule.DueAt("a"));
    }

    [Theory]
    [InlineData("SUCCESS", "UPLOADED", 29, true)]
    [InlineData("SUCCESS", "UPLOADED", 30, false)]  // the settle window is over
    [InlineData("SUCCESS", "SUCCEEDED", 1, false)]  // settled
    [InlineData("REVOKED", "RUNNING", 1, false)]    // a revoked task's row never moves
    public void AwaitsDbRow_FinishedJob_OnlyWhileTheWorkersRowLags(string celery, string db, int secondsAfter, bool expected)
    {
        var phase = celery == "SUCCESS" ? JobPhase.Succeeded : JobPhase.Failed;
        var record = Track("a", phase, 0, celery, db) with { CompletedAt = T0 };

        Assert.Equal(expected, PollPlanner.AwaitsDbRow(record, T0.AddSeconds(secondsAfter)));
    }

    [Fact]
    public void ScheduleLoaded_SubmittingRecord_OrphanCheckOnlyWhenNobodyHerePostsIt()
    {
        var submitting = new JobRecord { Id = "s", Status = JobStatus.Submitting, CreatedAt = T0 };
        var planner = Planner();

        planner.ScheduleLoaded(submitting, T0, T0, orphanCheckAt: null);
        var whilePostedHere = _schedule.DueAt("s");
        planner.ScheduleLoaded(submitting, T0, T0, orphanCheckAt: T0.AddMinutes(5));

        Assert.Null(whilePostedHere);
        Assert.Equal(T0.AddMinutes(5), _schedule.DueAt("s"));
        Assert.False(_schedule.IsPolling("s"));
    }

    [Fact]
    public void ScheduleLoaded_FinishedJobs_PolledOnlyWhileTheDbRowLags()
    {
        var lagging = Track("lagging", JobPhase.Succeeded, 0, "SUCCESS", "UPLOADED") with { CompletedAt = T0 };
        var settled = Track("settled", JobPhase.Succeeded, 0, "SUCCESS", "SUCCEEDED") with { CompletedAt = T0 };
        _schedule.Clear();
        var planner = Planner();

        planner.ScheduleLoaded(lagging, T0.AddSeconds(12), T0.AddSeconds(10), orphanCheckAt: null);
        planner.ScheduleLoaded(settled, T0.AddSeconds(12), T0.AddSeconds(10), orphanCheckAt: null);

        Assert.Equal(T0.AddSeconds(12), _schedule.DueAt("lagging"));
        Assert.True(_schedule.IsPolling("lagging"));
        Assert.Null(_schedule.DueAt("settled"));
    }
}
