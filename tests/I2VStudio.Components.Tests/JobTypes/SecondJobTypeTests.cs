using Bunit;
using I2VStudio.Components.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.JobTypes;

/// <summary>
/// The job model is generic: a second job type ("t2v": prompt and duration, no image) registered with the real
/// <see cref="JobTracker"/> (fake clock, in-memory stores) goes through its phases, and the unchanged
/// <see cref="JobCard"/> and <see cref="JobStatusBadges"/> show each one. This is the seam the Projects workspace uses.
/// </summary>
/// <remarks>
/// Found on the way, and left as they are (noted, not special-cased): the card offers Retry, Retry with a new seed and
/// Variants only when the record has a stored input image (<c>CanRetry</c> keys on <c>ImageBlobKey</c>), so an
/// image-less job type gets no retry actions although the tracker could retry it; and the time-left estimate groups
/// earlier runs by the i2v parameters (steps, quantized), so all runs of another job type fall into one group.
/// </remarks>
public sealed class SecondJobTypeTests : StudioTestContext, IAsyncDisposable
{
    private const string Prompt = "A paper boat drifts down a rain gutter\nclose-up, evening light";

    private readonly TextToVideoJobType _t2v = new();
    private readonly JobTracker _tracker;
    private readonly List<JobRecord> _seen = [];
    private readonly Lock _gate = new();

    public SecondJobTypeTests()
    {
        var options = new TurboDiffusionOptions { BaseUrl = new Uri("http://backend.test:8000/") };
        _tracker = new JobTracker([_t2v], new InMemoryJobStore(), new InMemoryJobBlobStore(), Options.Create(options), Clock,
            NullLogger<JobTracker>.Instance);
        _tracker.Subscribe(change =>
        {
            if (change.Record is { JobType: TextToVideoJobType.TypeName } record)
            {
                lock (_gate) _seen.Add(record);
            }

            return Task.CompletedTask;
        });
    }

    private static JobRequest Request() =>
        new(TextToVideoJobType.TypeName, new JobInputs { Prompt = Prompt }, new TextToVideoParams(Seed: 7, DurationSeconds: 4).ToJson());

    private IRenderedComponent<I2VStudio.Components.JobCard> RenderCard(JobRecord record) =>
        Render<I2VStudio.Components.JobCard>(p => p.Add(c => c.Record, record));

    private static string? Badge(IRenderedComponent<I2VStudio.Components.JobCard> card, string kind) =>
        card.FindAll($".badge[data-kind={kind}]").SingleOrDefault()?.GetAttribute("data-state");

    /// <summary>
    /// Moves the fake clock until the tracker has polled, then until it announced <paramref name="phase"/> with the
    /// scripted answer's Celery state (the POST's own Queued record, announced earlier, has none).
    /// </summary>
    private async Task<JobRecord> PollUntilAsync(JobPhase phase, TimeSpan step)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            // No wait for "the" poll: the tracker may have polled already (right after the POST) and schedule its
            // next one from that answer's time, so one step need not cause a GET; the next step will.
            Clock.Advance(step);
            var record = await WaitForAnnouncedAsync(phase, TimeSpan.FromSeconds(2));
            if (record is not null) return record;
        }

        throw new InvalidOperationException($"The tracker never announced {phase}; it announced: {string.Join(", ", _seen.Select(r => r.Status.Phase))}.");
    }

    // Announcements arrive on the tracker's own task: wait for one (a bounded real-time guard on a signal).
    private async Task<JobRecord?> WaitForAnnouncedAsync(JobPhase phase, TimeSpan guard)
    {
        var celery = _t2v.Answer.Celery;
        bool Matches(JobRecord r) => r.Status.Phase == phase && r.Status.Celery == celery;
        var signal = new TaskCompletionSource<JobRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _tracker.Subscribe(change =>
        {
            if (change.Record is { } r && Matches(r)) signal.TrySetResult(r);
            return Task.CompletedTask;
        });
        lock (_gate)
        {
            if (_seen.LastOrDefault(Matches) is { } already) return already;
        }

        try
        {
            return await signal.Task.WaitAsync(guard, Ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    [Fact]
    public async Task T2VJob_RealTracker_CardAndBadgesFollowSubmittingQueuedRunningSucceeded()
    {
        await _tracker.InitializeAsync(Ct);

        // Submitting: the tracker stores the record before the POST, which the double holds.
        var submit = _tracker.SubmitAsync(Request(), Ct);
        var submitting = Assert.Single(_tracker.Jobs);
        var card = RenderCard(submitting);
        Assert.Equal("Submitting", card.Find("article").GetAttribute("data-phase"));
        Assert.Contains("A paper boat drifts down a rain gutter", card.Find(".title").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("close-up", card.Find(".title").TextContent, StringComparison.Ordinal);
        Assert.Equal("", Badge(card, "celery"));

        // Queued: the backend accepted it; its first answers are PENDING / SUBMITTED.
        _t2v.Answer = new JobSnapshot { Celery = "PENDING", Db = "SUBMITTED" };
        _t2v.CompleteSubmit("t2v-0001");
        var queued = await submit;
        Assert.Equal(JobPhase.Queued, queued.Status.Phase);
        queued = await PollUntilAsync(JobPhase.Queued, TimeSpan.FromSeconds(6));
        card = RenderCard(queued);
        Assert.Equal("Queued", card.Find("article").GetAttribute("data-phase"));
        Assert.Equal(("PENDING", "SUBMITTED"), (Badge(card, "celery"), Badge(card, "db")));
        Assert.Contains("Queued", card.Find(".phase").TextContent, StringComparison.Ordinal);

        // Running.
        _t2v.Answer = new JobSnapshot { Celery = "STARTED", Db = "RUNNING" };
        var running = await PollUntilAsync(JobPhase.Running, TimeSpan.FromSeconds(6));
        card = RenderCard(running);
        Assert.Equal("Running", card.Find("article").GetAttribute("data-phase"));
        Assert.Equal(("STARTED", "RUNNING"), (Badge(card, "celery"), Badge(card, "db")));

        // Succeeded, with its video.
        _t2v.Answer = new JobSnapshot { Celery = "SUCCESS", Db = "SUCCEEDED", OutputUrl = "http://storage.test/out/t2v-0001.mp4?sig=1" };
        var done = await PollUntilAsync(JobPhase.Succeeded, TimeSpan.FromSeconds(3));
        card = RenderCard(done);
        Assert.Equal("Succeeded", card.Find("article").GetAttribute("data-phase"));
        Assert.Equal(("SUCCESS", "SUCCEEDED"), (Badge(card, "celery"), Badge(card, "db")));
        Assert.Contains("Done", card.Find(".phase").TextContent, StringComparison.Ordinal);
        Assert.NotNull(card.Find("[data-action=download]"));
        Assert.Equal("t2v", done.JobType);
        Assert.Equal("http://storage.test/out/t2v-0001.mp4?sig=1", done.OutputUrl);
    }

    [Fact]
    public async Task T2VJob_Submitted_PostsItsOwnParametersAndNoImage()
    {
        await _tracker.InitializeAsync(Ct);
        _t2v.CompleteSubmit("t2v-0002");

        var record = await _tracker.SubmitAsync(Request(), Ct);

        var (request, hadImage) = Assert.Single(_t2v.Submitted);
        Assert.False(hadImage);
        Assert.Equal(new TextToVideoParams(7, 4), TextToVideoParams.FromJson(request.Params));
        Assert.Equal(("t2v", "t2v-0002"), (record.JobType, record.JobId));
    }

    [Fact]
    public async Task T2VJob_Failed_CardShowsTheBackendsErrorLineAndBadges()
    {
        await _tracker.InitializeAsync(Ct);
        _t2v.Answer = new JobSnapshot { Celery = "PENDING", Db = "SUBMITTED" };
        _t2v.CompleteSubmit("t2v-0003");
        await _tracker.SubmitAsync(Request(), Ct);

        _t2v.Answer = new JobSnapshot { Celery = "FAILURE", Db = "FAILED", Error = "Text encoder crashed\nsecond line" };
        var failed = await PollUntilAsync(JobPhase.Failed, TimeSpan.FromSeconds(6));

        var card = RenderCard(failed);
        Assert.Equal(("FAILURE", "FAILED"), (Badge(card, "celery"), Badge(card, "db")));
        Assert.Equal("Text encoder crashed", card.Find(".card-error-line").TextContent);
    }

    [Fact]
    public void Badges_T2VStatus_RenderedLikeAnyJob()
    {
        var badges = Render<I2VStudio.Components.JobStatusBadges>(p => p.Add(c => c.Status, new JobStatus("STARTED", "UPLOADED", JobPhase.Running)));

        Assert.Equal("STARTED", badges.Find(".badge[data-kind=celery]").GetAttribute("data-state"));
        Assert.Equal("UPLOADED", badges.Find(".badge[data-kind=db]").GetAttribute("data-state"));
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await _tracker.DisposeAsync();
        await base.DisposeAsync();
    }
}
