using System.Text.Json;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>Faults while polling: back-off, Retry-After, connection trouble, hanging calls, bad payloads, disposal.</summary>
public sealed class JobTrackerFaultTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static TrackerHarness NoJitter(Action<PollingOptions>? more = null, Action<TurboDiffusionOptions>? options = null) =>
        new(polling: p =>
        {
            p.Jitter = 0;
            more?.Invoke(p);
        }, options: options);

    [Fact]
    public async Task Poll_RateLimitedWithRetryAfter20s_NextPollNotBefore20sAndTroubleClears()
    {
        await using var h = NoJitter();
        h.JobType.Throws("job-1", Faults.RateLimited(TimeSpan.FromSeconds(20))).Returns("job-1", Snapshots.Queued);
        var record = await h.SubmitQueuedAsync();

        var limited = await h.AdvanceToNextPollAsync(record.Id);
        h.Time.Advance(limited.NextDueAt!.Value - h.Time.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        var callsJustBefore = h.JobType.StatusCallCount;
        var recovered = await h.AdvanceToNextPollAsync(record.Id);

        Assert.True(limited.Record!.ConnectionTrouble);
        Assert.Equal(JobPhase.Queued, limited.Record.Status.Phase);
        Assert.Equal(limited.At + 20 * Second, limited.NextDueAt);
        Assert.Equal(1, callsJustBefore);
        Assert.Equal(limited.At + 20 * Second, recovered.At);
        Assert.False(recovered.Record!.ConnectionTrouble);
        Assert.Contains(h.Changes, c => c.Record?.ConnectionTrouble == true);
        Assert.False(h.Store.Find(record.Id)!.ConnectionTrouble);
    }

    [Fact]
    public async Task Poll_RetryAfterShorterThanBackoff_BackoffWins()
    {
        await using var h = NoJitter(p => p.BackoffInitial = TimeSpan.FromSeconds(8));
        h.JobType.Throws("job-1", Faults.RateLimited(TimeSpan.FromSeconds(1)));
        var record = await h.SubmitQueuedAsync();

        var limited = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(limited.At + 8 * Second, limited.NextDueAt);
    }

    [Fact]
    public async Task Poll_RetryAfterBeyondMaximum_Clamped()
    {
        await using var h = NoJitter(p => p.RetryAfterMax = TimeSpan.FromMinutes(5));
        h.JobType.Throws("job-1", Faults.RateLimited(TimeSpan.FromHours(24)));
        var record = await h.SubmitQueuedAsync();

        var limited = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(limited.At + TimeSpan.FromMinutes(5), limited.NextDueAt);
    }

    [Fact]
    public async Task Poll_Five503sThenSuccess_BackoffDoublesAndJobSucceeds()
    {
        await using var h = NoJitter();
        h.JobType.Throws("job-1", Faults.Unavailable(), times: 5).Returns("job-1", Snapshots.Success());
        var record = await h.SubmitQueuedAsync();

        var first = await h.AdvanceToNextPollAsync(record.Id);
        var waits = new List<TimeSpan> { first.NextDueAt!.Value - first.At };
        PollReport report = first;
        for (var i = 0; i < 5; i++)
        {
            report = await h.AdvanceToNextPollAsync(record.Id);
            if (report.NextDueAt is { } next) waits.Add(next - report.At);
            if (report.Fault is not null) Assert.True(report.Record!.ConnectionTrouble);
        }

        Assert.Equal([2 * Second, 4 * Second, 8 * Second, 16 * Second, 32 * Second], waits);
        Assert.Equal(JobPhase.Succeeded, report.Record!.Status.Phase);
        Assert.False(report.Record.ConnectionTrouble);
        Assert.DoesNotContain(h.Changes, c => c.Record?.Status.Phase == JobPhase.Failed);
        Assert.Equal(6, h.JobType.StatusCallCount);
    }

    [Fact]
    public async Task Poll_ManyFailures_BackoffCappedAtMaximum()
    {
        await using var h = NoJitter(p => p.BackoffMax = TimeSpan.FromSeconds(60));
        h.JobType.Throws("job-1", Faults.Unavailable(), times: 8);
        var record = await h.SubmitQueuedAsync();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            var report = await h.AdvanceToNextPollAsync(record.Id);
            waits.Add(report.NextDueAt!.Value - report.At);
        }

        Assert.Equal([2 * Second, 4 * Second, 8 * Second, 16 * Second, 32 * Second, 60 * Second, 60 * Second, 60 * Second], waits);
    }

    [Fact]
    public async Task Poll_BackoffWithJitter_WithinTenPercentAndNeverAboveMaximum()
    {
        await using var h = new TrackerHarness(polling: p => p.BackoffMax = TimeSpan.FromSeconds(16));
        h.JobType.Throws("job-1", Faults.Unavailable(), times: 6);
        var record = await h.SubmitQueuedAsync();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var report = await h.AdvanceToNextPollAsync(record.Id);
            waits.Add(report.NextDueAt!.Value - report.At);
        }

        double[] expected = [2, 4, 8, 16, 16, 16];
        Assert.All(waits.Zip(expected), pair => Assert.InRange(pair.First.TotalSeconds, pair.Second * 0.9, pair.Second * 1.1));
        Assert.All(waits, w => Assert.True(w <= 16 * Second));
    }

    [Fact]
    public async Task Poll_HangingGet_TimesOutAsTroubleAndJobNotFailed()
    {
        await using var h = NoJitter(options: o => o.RequestTotalTimeout = TimeSpan.FromSeconds(30));
        h.JobType.Hangs("job-1").Returns("job-1", Snapshots.Running);
        var record = await h.SubmitQueuedAsync();

        h.Time.Advance(h.Scheduler.DueAt(record.Id)!.Value - h.Time.GetUtcNow());
        var call = await h.JobType.NextStatusCallAsync();
        h.Time.Advance(TimeSpan.FromSeconds(35));
        var timedOut = await h.NextReportAsync(record.Id);
        var recovered = await h.AdvanceToNextPollAsync(record.Id);

        Assert.True(call.Cancellation.IsCancellationRequested);
        var fault = Assert.IsType<TurboDiffusionApiException>(timedOut.Fault);
        Assert.Equal(ApiFailureKind.Timeout, fault.Kind);
        Assert.Equal(call.At + TimeSpan.FromSeconds(35), timedOut.At);
        Assert.True(timedOut.Record!.ConnectionTrouble);
        Assert.Equal(JobPhase.Queued, timedOut.Record.Status.Phase);
        Assert.Equal(JobPhase.Running, recovered.Record!.Status.Phase);
        Assert.False(recovered.Record.ConnectionTrouble);
    }

    [Fact]
    public async Task Poll_HangingGet_OtherJobsKeepTheirSchedule()
    {
        await using var h = NoJitter(p => p.MaxConcurrentRequests = 2);
        h.JobType.Hangs("job-1");
        var hanging = await h.SubmitQueuedAsync("job-1");
        var healthy = await h.SubmitQueuedAsync("job-2", TrackerHarness.Request(prompt: "another"));

        var first = await h.AdvanceToNextPollAsync(healthy.Id);
        await h.JobType.NextStatusCallAsync("job-1");
        var second = await h.AdvanceToNextPollAsync(healthy.Id);

        Assert.Equal(5 * Second, second.At - first.At);
        Assert.Equal(JobPhase.Queued, h.Tracker.Find(hanging.Id)!.Status.Phase);
        Assert.Equal(1, h.JobType.InFlight);
    }

    public static TheoryData<string> NonTransientFaults => ["protocol", "404", "json", "bug"];

    [Theory]
    [MemberData(nameof(NonTransientFaults))]
    public async Task Poll_MalformedOrRejectedAnswer_TroubleNotFailure(string kind)
    {
        await using var h = NoJitter();
        Exception fault = kind switch
        {
            "protocol" => Faults.Malformed(),
            "404" => Faults.NotFound(),
            "json" => new JsonException("'<' is an invalid start of a value."),
            _ => new InvalidOperationException("a job type bug"),
        };
        h.JobType.Throws("job-1", fault).Returns("job-1", Snapshots.Queued);
        var record = await h.SubmitQueuedAsync();

        var bad = await h.AdvanceToNextPollAsync(record.Id);
        var good = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Same(fault, bad.Fault);
        Assert.True(bad.Record!.ConnectionTrouble);
        Assert.Equal(JobPhase.Queued, bad.Record.Status.Phase);
        Assert.Null(bad.Record.Error);
        Assert.Equal(bad.At + 2 * Second, bad.NextDueAt);
        Assert.False(good.Record!.ConnectionTrouble);
    }

    [Fact]
    public async Task Poll_TroubleAtDeadline_TimedOutWithoutExtraCall()
    {
        await using var h = NoJitter(p => p.Deadline = TimeSpan.FromSeconds(30));
        h.JobType.Returns("job-1", Snapshots.Queued, Snapshots.Queued, Snapshots.Queued, Snapshots.Queued)
            .Throws("job-1", Faults.RateLimited(TimeSpan.FromSeconds(60)));
        var record = await h.SubmitQueuedAsync();

        PollReport report;
        do report = await h.AdvanceToNextPollAsync(record.Id);
        while (report.Fault is null);
        var expired = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(record.CreatedAt + TimeSpan.FromSeconds(30), report.NextDueAt);
        Assert.Equal(ScheduledWork.Expire, expired.Work);
        Assert.Equal(JobPhase.TimedOut, expired.Record!.Status.Phase);
        Assert.False(expired.Record.ConnectionTrouble);
        Assert.Equal(5, h.JobType.StatusCallCount);
    }

    [Fact]
    public async Task Dispose_MidDelay_NoFurtherCallsAndNoExceptions()
    {
        var h = NoJitter();
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);
        var calls = h.JobType.StatusCallCount;

        await h.Tracker.DisposeAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Tracker.DisposeAsync();

        Assert.Equal(calls, h.JobType.StatusCallCount);
        Assert.Null(h.Scheduler.DueAt(record.Id));
        Assert.Single(h.Tracker.Jobs);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Tracker.SubmitAsync(TrackerHarness.Request(), TrackerHarness.Ct));
        await h.Tracker.MarkSeenAsync(record.Id, TrackerHarness.Ct);
        await h.Tracker.KeepCheckingAsync(record.Id, TrackerHarness.Ct);
        await h.Tracker.InitializeAsync(TrackerHarness.Ct);
        h.Tracker.Subscribe(_ => Task.CompletedTask).Dispose();
    }

    [Fact]
    public async Task Dispose_DuringHangingGet_CallCancelledAndDisposeCompletes()
    {
        var h = NoJitter();
        h.JobType.Hangs("job-1");
        var record = await h.SubmitQueuedAsync();
        h.Time.Advance(h.Scheduler.DueAt(record.Id)!.Value - h.Time.GetUtcNow());
        var call = await h.JobType.NextStatusCallAsync();
        var changesBefore = h.Changes.Count;

        await h.Tracker.DisposeAsync().AsTask().WaitAsync(ScriptedJobType.Guard, TrackerHarness.Ct);

        Assert.True(call.Cancellation.IsCancellationRequested);
        Assert.Equal(0, h.JobType.InFlight);
        Assert.Equal(changesBefore, h.Changes.Count);
        Assert.Equal(JobPhase.Queued, h.Store.Find(record.Id)!.Status.Phase);
    }

    [Fact]
    public async Task Dispose_DuringSubmit_PostCancelledAndCallerSeesCancellation()
    {
        var h = NoJitter();
        h.JobType.SubmitHolds();
        var submit = h.Tracker.SubmitAsync(TrackerHarness.Request(), TrackerHarness.Ct);
        await h.JobType.NextSubmitCallAsync();

        await h.Tracker.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit);
        Assert.Equal(JobPhase.Submitting, h.Store.Records.Single().Status.Phase);
    }

    [Fact]
    public async Task Subscriber_Throws_TrackingAndOtherSubscribersContinue()
    {
        await using var h = NoJitter();
        h.JobType.Returns("job-1", Snapshots.Running);
        using var broken = h.Tracker.Subscribe(_ => throw new InvalidOperationException("subscriber bug"));
        var record = await h.SubmitQueuedAsync();

        var report = await h.AdvanceToNextPollAsync(record.Id);

        Assert.Equal(JobPhase.Running, report.Record!.Status.Phase);
        Assert.Contains(h.Changes, c => c.Record?.Status.Phase == JobPhase.Running);
        Assert.NotNull(report.NextDueAt);
    }
}
