using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>When each job's next action is due, which are due now, and how a stale action is told apart.</summary>
public sealed class JobScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);

    private static JobRecord Record(string id) => new()
    {
        Id = id,
        JobId = "job-" + id,
        Status = new JobStatus("STARTED", "RUNNING", JobPhase.Running),
    };

    [Fact]
    public void TakeDue_SomeDueSomeLater_DueOnesEarliestFirstAndWakeAtTheNext()
    {
        var schedule = new JobSchedule();
        schedule.Poll(Record("b"), T0.AddSeconds(2));
        schedule.Poll(Record("a"), T0.AddSeconds(1));
        schedule.Poll(Record("later"), T0.AddSeconds(9));
        schedule.OrphanCheck("c", T0.AddSeconds(3));

        var due = schedule.TakeDue(T0.AddSeconds(3), _ => true, out var wake);

        Assert.Equal(["a", "b", "c"], due.Select(d => d.Id));
        Assert.All(due, d => Assert.True(d.Job.InFlight));
        Assert.Equal(T0.AddSeconds(9), wake);
    }

    [Fact]
    public void TakeDue_InFlightAlready_NotTakenTwice()
    {
        var schedule = new JobSchedule();
        schedule.Poll(Record("a"), T0);
        schedule.TakeDue(T0, _ => true, out _);

        var again = schedule.TakeDue(T0.AddSeconds(1), _ => true, out var wake);

        Assert.Empty(again);
        Assert.Null(wake);
    }

    [Fact]
    public void TakeDue_NoSlotForAGet_LeftDueForTheNextPump()
    {
        var schedule = new JobSchedule();
        schedule.Poll(Record("a"), T0);
        schedule.OrphanCheck("b", T0);

        var due = schedule.TakeDue(T0, job => job.Work != ScheduledWork.Poll, out _);
        var later = schedule.TakeDue(T0, _ => true, out _);

        Assert.Equal(["b"], due.Select(d => d.Id));
        Assert.Equal(["a"], later.Select(d => d.Id));
    }

    [Fact]
    public void IsCurrent_RestartedOrStopped_StaleEntryTold()
    {
        var schedule = new JobSchedule();
        var first = schedule.Poll(Record("a"), T0);
        Assert.True(schedule.IsCurrent("a", first));

        var restarted = schedule.Poll(Record("a"), T0.AddSeconds(5));
        Assert.False(schedule.IsCurrent("a", first));
        Assert.True(schedule.IsCurrent("a", restarted));

        schedule.Stop("a");
        Assert.False(schedule.IsCurrent("a", restarted));
        Assert.Null(schedule.DueAt("a"));
        Assert.Equal(0, schedule.Count);
    }

    [Fact]
    public void Poll_NewEntry_StartsFromTheRecordsLastAnswer()
    {
        var schedule = new JobSchedule();
        var record = Record("a") with { Progress = 0.5 };

        var job = schedule.Poll(record, T0, notRunningAt: T0.AddSeconds(-3));

        Assert.Equal(PayloadKey.Of(record), job.LastPayload);
        Assert.Equal(T0.AddSeconds(-3), job.NotRunningAt);
        Assert.Equal((ScheduledWork.Poll, 0, false), (job.Work, job.Failures, job.InFlight));
    }

    [Fact]
    public void Polls_OrphanChecksAndExpiries_LeftOut()
    {
        var schedule = new JobSchedule();
        schedule.Poll(Record("a"), T0);
        schedule.OrphanCheck("b", T0);
        schedule.Poll(Record("c"), T0).Work = ScheduledWork.Expire;

        Assert.Equal(["a"], schedule.Polls.Select(p => p.Id));
        Assert.True(schedule.IsPolling("a"));
        Assert.False(schedule.IsPolling("b"));
        Assert.False(schedule.IsPolling("c"));
        Assert.False(schedule.IsPolling("unknown"));
    }

    [Fact]
    public void Clear_TrackerStops_NothingDue()
    {
        var schedule = new JobSchedule();
        schedule.Poll(Record("a"), T0);
        schedule.OrphanCheck("b", T0);

        schedule.Clear();

        Assert.Empty(schedule.TakeDue(T0.AddDays(1), _ => true, out var wake));
        Assert.Null(wake);
        Assert.Equal(0, schedule.Count);
    }
}
