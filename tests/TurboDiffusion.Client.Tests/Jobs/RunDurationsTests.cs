using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Polling;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>How run times are read from a record's timeline and summarised per parameter set.</summary>
public sealed class RunDurationsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);

    private static JobRecord Record(JobPhase phase, params (double At, JobPhase Phase)[] timeline) => new()
    {
        Id = "r",
        Status = new JobStatus(null, null, phase),
        Timeline = [.. timeline.Select(t => new JobStatusChange(T0.AddSeconds(t.At), null, null, t.Phase))],
        CompletedAt = phase is JobPhase.Succeeded or JobPhase.Failed ? T0.AddSeconds(timeline[^1].At) : null,
    };

    [Fact]
    public void MeasureRun_Succeeded_FromFirstRunningAnswerToCompletion()
    {
        var record = Record(JobPhase.Succeeded, (0, JobPhase.Queued), (12, JobPhase.Running), (14, JobPhase.Running), (72, JobPhase.Succeeded));

        Assert.Equal(TimeSpan.FromSeconds(60), RunTimes.MeasureRun(record));
    }

    [Fact]
    public void MeasureRun_RequeuedByRetry_CountsTheLastRunOnly()
    {
        var record = Record(JobPhase.Succeeded, (0, JobPhase.Running), (30, JobPhase.Queued), (40, JobPhase.Running), (100, JobPhase.Succeeded));

        Assert.Equal(TimeSpan.FromSeconds(60), RunTimes.MeasureRun(record));
    }

    [Fact]
    public void MeasureRun_FailedOrNeverSeenRunning_Null()
    {
        Assert.Null(RunTimes.MeasureRun(Record(JobPhase.Failed, (0, JobPhase.Running), (15, JobPhase.Failed))));
        Assert.Null(RunTimes.MeasureRun(Record(JobPhase.Succeeded, (0, JobPhase.Queued), (15, JobPhase.Succeeded))));
    }

    [Fact]
    public void Expect_FewerThanMinimum_Null()
    {
        var durations = new RunDurations(10);
        durations.Observe("k", "a", T0, TimeSpan.FromSeconds(60));
        durations.Observe("k", "b", T0, TimeSpan.FromSeconds(61));

        Assert.Null(durations.Expect("k", 3));
        Assert.Null(durations.Expect("other", 1));
    }

    [Fact]
    public void Expect_RunSeenLongAfterItEnded_LeftOutOfLongest()
    {
        var durations = new RunDurations(10);
        durations.Observe("k", "a", T0, TimeSpan.FromSeconds(58));
        durations.Observe("k", "b", T0.AddMinutes(1), TimeSpan.FromSeconds(60));
        durations.Observe("k", "c", T0.AddMinutes(2), TimeSpan.FromSeconds(62));
        durations.Observe("k", "d", T0.AddMinutes(3), TimeSpan.FromMinutes(40));

        var expected = durations.Expect("k", 3);

        // Median of an even count: the mean of the middle two (60 and 62), as RunTimes.ExpectedRun reports it.
        Assert.Equal(new RunExpectation(4, TimeSpan.FromSeconds(58), TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(62)), expected);
    }

    [Fact]
    public void Observe_BeyondMaximum_KeepsTheNewestAndReplacesSameRecord()
    {
        var durations = new RunDurations(3);
        durations.Observe("k", "a", T0, TimeSpan.FromSeconds(10));
        durations.Observe("k", "b", T0.AddMinutes(1), TimeSpan.FromSeconds(60));
        durations.Observe("k", "c", T0.AddMinutes(2), TimeSpan.FromSeconds(61));
        durations.Observe("k", "d", T0.AddMinutes(3), TimeSpan.FromSeconds(62));
        durations.Observe("k", "d", T0.AddMinutes(3), TimeSpan.FromSeconds(63));

        Assert.Equal(new RunExpectation(3, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(63)), durations.Expect("k", 3));
    }
}
