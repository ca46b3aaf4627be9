using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>
/// The scheduler on its own: actions run when the fake clock reaches them, GETs wait for a request slot, and a job is
/// idle only once its due action has been applied. The action here plays the tracker: it reschedules under the gate.
/// </summary>
public sealed class PollSchedulerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<(string Id, DateTimeOffset At)> _started = new();
    private readonly SemaphoreSlim _startSignal = new(0);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new(StringComparer.Ordinal);
    private PollScheduler _scheduler = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _scheduler?.Dispose();
        _startSignal.Dispose();
    }

    [Fact]
    public async Task Pump_PollDueLater_RunsWhenTheClockReachesItAndRemembersWhatItDid()
    {
        var scheduler = Create();
        Poll("a", T0 + (2 * Second));

        scheduler.Pump();
        var before = _started.Count;
        _time.Advance(2 * Second);
        await scheduler.WhenIdleAsync("a", Ct).WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal(0, before);
        Assert.Equal(("a", T0 + (2 * Second)), Assert.Single(_started));
        Assert.Equal(new ScheduledRun(ScheduledWork.Poll, T0 + (2 * Second)), scheduler.LastRun("a"));
        Assert.Equal(T0 + (7 * Second), scheduler.DueAt("a"));
    }

    [Fact]
    public async Task Pump_MoreGetsDueThanSlots_AtMostTheLimitInFlightAndTheRestWhenASlotIsBack()
    {
        var scheduler = Create(maxConcurrentRequests: 1);
        var held = Hold("a");
        Poll("a", T0);
        Poll("b", T0);

        scheduler.Pump();
        await WaitStartedAsync(1);
        var bIdleEarly = scheduler.WhenIdleAsync("b", Ct);
        var startedWhileHeld = _started.Select(s => s.Id).ToList();
        held.SetResult();
        await bIdleEarly.WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal(["a"], startedWhileHeld);
        Assert.Equal(["a", "b"], _started.Select(s => s.Id));
        Assert.NotNull(scheduler.LastRun("b"));
    }

    [Fact]
    public async Task Pump_AllSlotsTaken_OrphanCheckStillRuns()
    {
        var scheduler = Create(maxConcurrentRequests: 1);
        var held = Hold("a");
        Poll("a", T0);
        lock (_gate) scheduler.Schedule.OrphanCheck("o", T0);

        scheduler.Pump();
        await scheduler.WhenIdleAsync("o", Ct).WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal(ScheduledWork.OrphanCheck, scheduler.LastRun("o")!.Work);
        Assert.Null(scheduler.LastRun("a"));
        held.SetResult();
    }

    [Fact]
    public async Task WhenIdleAsync_ActionInFlight_CompletesOnlyOnceItWasApplied()
    {
        var scheduler = Create();
        var held = Hold("a");
        Poll("a", T0);
        scheduler.Pump();
        await WaitStartedAsync(1);

        var idle = scheduler.WhenIdleAsync("a", Ct);
        var idleWhileHeld = idle.IsCompleted;
        var runWhileHeld = scheduler.LastRun("a");
        held.SetResult();
        await idle.WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.False(idleWhileHeld);
        Assert.Null(runWhileHeld);
        Assert.NotNull(scheduler.LastRun("a"));
    }

    [Fact]
    public async Task WhenIdleAsync_OtherJobInFlight_ThisJobIdleAllNot()
    {
        var scheduler = Create();
        var held = Hold("a");
        Poll("a", T0);
        Poll("b", T0 + Second);
        scheduler.Pump();
        await WaitStartedAsync(1);

        var all = scheduler.WhenIdleAsync(Ct);
        await scheduler.WhenIdleAsync("b", Ct).WaitAsync(ScriptedJobType.Guard, Ct);
        var allWhileHeld = all.IsCompleted;
        held.SetResult();
        await all.WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.False(allWhileHeld);
        Assert.Null(scheduler.LastRun("b"));
    }

    [Fact]
    public async Task WhenIdleAsync_DueButNotStarted_NotIdleUntilItRan()
    {
        var scheduler = Create();
        Poll("a", T0);

        // Nothing pumped yet: the action is due and waits for its start.
        var idle = scheduler.WhenIdleAsync("a", Ct);
        var idleBeforePump = idle.IsCompleted;
        scheduler.Pump();
        await idle.WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.False(idleBeforePump);
        Assert.Single(_started);
    }

    [Fact]
    public async Task LastRun_ActionDropped_PreviousRunKeptAndForgetClearsIt()
    {
        var scheduler = Create(run: (id, job) =>
        {
            lock (_gate) _scheduler.Schedule.Stop(id);
            // The second action is dropped (as when the tracker finds its record gone).
            return _started.Count(s => s.Id == id) == 1 ? new ScheduledRun(job.Work, _time.GetUtcNow()) : null;
        });
        Poll("a", T0);
        scheduler.Pump();
        await scheduler.WhenIdleAsync("a", Ct).WaitAsync(ScriptedJobType.Guard, Ct);
        var first = scheduler.LastRun("a");

        Poll("a", T0);
        scheduler.Pump();
        await scheduler.WhenIdleAsync("a", Ct).WaitAsync(ScriptedJobType.Guard, Ct);
        var afterDropped = scheduler.LastRun("a");
        lock (_gate) scheduler.Forget("a");

        Assert.Equal(2, _started.Count);
        Assert.NotNull(first);
        Assert.Same(first, afterDropped);
        Assert.Null(scheduler.LastRun("a"));
    }

    [Fact]
    public async Task Stop_ActionInFlight_ReturnedNothingMoreRunsAndWaitersReleased()
    {
        var scheduler = Create();
        var held = Hold("a");
        Poll("a", T0);
        Poll("b", T0 + Second);
        scheduler.Pump();
        await WaitStartedAsync(1);
        var idle = scheduler.WhenIdleAsync("a", Ct);

        Task[] inFlight;
        lock (_gate) inFlight = scheduler.Stop();
        await idle.WaitAsync(ScriptedJobType.Guard, Ct);
        _time.Advance(10 * Second);
        scheduler.Pump();
        held.SetResult();
        await Task.WhenAll(inFlight).WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.True(Assert.Single(inFlight).IsCompletedSuccessfully);
        Assert.Equal(["a"], _started.Select(s => s.Id));
        Assert.Null(scheduler.DueAt("b"));
        Assert.Null(scheduler.LastRun("a"));
    }

    [Fact]
    public void Attach_Twice_Refused()
    {
        var scheduler = Create();

        Assert.Throws<InvalidOperationException>(() => scheduler.Attach(_gate, (_, _) => Task.FromResult<ScheduledRun?>(null)));
    }

    /// <summary>
    /// A scheduler whose action records its start, waits while the job is held, then (by default) does what the
    /// tracker does: gives back the GET's slot, polls again 5 s later and pumps.
    /// </summary>
    private PollScheduler Create(int maxConcurrentRequests = 4, Func<string, ScheduledJob, ScheduledRun?>? run = null)
    {
        _scheduler = new PollScheduler(_time, maxConcurrentRequests);
        _scheduler.Attach(_gate, async (id, job) =>
        {
            var at = _time.GetUtcNow();
            _started.Enqueue((id, at));
            _startSignal.Release();
            if (_holds.TryGetValue(id, out var held)) await held.Task;
            if (job.Work == ScheduledWork.Poll) _scheduler.ReleaseRequestSlot();
            if (run is not null) return run(id, job);
            lock (_gate)
            {
                job.DueAt = at + (5 * Second);
                job.InFlight = false;
            }

            _scheduler.Pump();
            return new ScheduledRun(job.Work, at);
        });
        return _scheduler;
    }

    private void Poll(string id, DateTimeOffset dueAt)
    {
        lock (_gate) _scheduler.Schedule.Poll(new JobRecord { Id = id, JobId = "job-" + id }, dueAt);
    }

    private TaskCompletionSource Hold(string id) =>
        _holds[id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits (real time, bounded) until <paramref name="count"/> more actions have started on the thread pool.</summary>
    private async Task WaitStartedAsync(int count)
    {
        for (var i = 0; i < count; i++) Assert.True(await _startSignal.WaitAsync(ScriptedJobType.Guard, Ct), "The action did not start.");
    }
}
