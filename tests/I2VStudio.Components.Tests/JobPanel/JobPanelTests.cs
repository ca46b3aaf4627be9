using Bunit;
using I2VStudio.Components.Tests.Support;
using MudBlazor;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.JobPanel;

/// <summary>
/// The job list renders the records it is given and raises events; what the events do (the tracker calls, the
/// selection) is <see cref="StudioJobsStateTests"/>' subject.
/// </summary>
public class JobPanelTests : StudioTestContext
{
    private string? _selected;
    private readonly List<(string Action, string Id)> _raised = [];

    private IRenderedComponent<I2VStudio.Components.JobPanel> RenderPanel(
        Action<ComponentParameterCollectionBuilder<I2VStudio.Components.JobPanel>>? more = null) =>
        Render<I2VStudio.Components.JobPanel>(p =>
        {
            p.Add(c => c.Jobs, Tracker.Records)
                .Add(c => c.SelectedId, _selected)
                .Add(c => c.SelectedIdChanged, id => _selected = id)
                .Add(c => c.OnTrack, id => _raised.Add(("track", id)))
                .Add(c => c.OnSubmitAgain, j => _raised.Add(("submit-again", j.Id)))
                .Add(c => c.OnRetry, j => _raised.Add(("retry", j.Id)))
                .Add(c => c.OnRetryWithNewSeed, j => _raised.Add(("retry-new-seed", j.Id)))
                .Add(c => c.OnVariants, j => _raised.Add(("variants", j.Id)))
                .Add(c => c.OnKeepChecking, j => _raised.Add(("keep-checking", j.Id)))
                .Add(c => c.OnDownload, j => _raised.Add(("download", j.Id)))
                .Add(c => c.OnCopyId, j => _raised.Add(("copy-id", j.Id)))
                .Add(c => c.OnRemove, j => _raised.Add(("remove", j.Id)));
            more?.Invoke(p);
        });

    private static string[] CardIds(IRenderedComponent<I2VStudio.Components.JobPanel> cut) =>
        [.. cut.FindAll("article.job-card").Select(a => a.GetAttribute("data-job")!)];

    [Fact]
    public void Render_NeverTouchesTheTracker()
    {
        Tracker.Records.Add(TestJobs.Make("run", JobPhase.Running));

        RenderPanel();

        Assert.Equal((0, 0), (Tracker.InitializeCalls, Tracker.ActiveSubscriptions));
    }

    [Fact]
    public void NoJobs_ShowsEmptyState()
    {
        var cut = RenderPanel();

        Assert.Contains("No jobs yet.", cut.Find("[data-part=jobs-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Jobs_NewestFirst()
    {
        Tracker.Records.AddRange([TestJobs.Make("c", JobPhase.Queued, 3), TestJobs.Make("b", JobPhase.Succeeded, 2), TestJobs.Make("a", JobPhase.Failed, 1)]);

        var cut = RenderPanel();

        Assert.Equal(["c", "b", "a"], CardIds(cut));
    }

    [Fact]
    public void BrokenCard_ShowsANoteInItsPlaceAndTheOthersRender()
    {
        // A record the store did not catch: without inputs the card's render throws.
        Tracker.Records.AddRange([
            TestJobs.Make("c", JobPhase.Succeeded, 3),
            TestJobs.Make("b", JobPhase.Failed, 2) with { Inputs = null! },
            TestJobs.Make("a", JobPhase.Failed, 1)]);

        var cut = RenderPanel();

        Assert.Equal(["c", "a"], CardIds(cut));
        var broken = cut.Find("[data-part=card-error]");
        Assert.Equal("b", broken.GetAttribute("data-job"));
        Assert.Contains("This job could not be shown.", broken.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ThousandRecords_VirtualisedListRenders()
    {
        for (var i = 999; i >= 0; i--) Tracker.Records.Add(TestJobs.Make("j" + i, i % 3 == 0 ? JobPhase.Succeeded : JobPhase.Failed, i));

        var cut = RenderPanel();

        Assert.Contains("(1000)", cut.Find(".panel-heading").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.FindComponent<Microsoft.AspNetCore.Components.Web.Virtualization.Virtualize<JobRecord>>());
        Assert.Equal("j999", CardIds(cut)[0]);
    }

    [Theory]
    [InlineData(JobFilter.Active, "run,queue")]
    [InlineData(JobFilter.Done, "done")]
    [InlineData(JobFilter.Failed, "fail,notsent")]
    [InlineData(JobFilter.Attention, "late,lost")]
    [InlineData(JobFilter.All, "run,queue,done,fail,notsent,late,lost")]
    public void Filter_ByPhase_ShowsOnlyMatchingJobs(JobFilter filter, string expected)
    {
        Tracker.Records.AddRange([
            TestJobs.Make("run", JobPhase.Running, 7), TestJobs.Make("queue", JobPhase.Queued, 6), TestJobs.Make("done", JobPhase.Succeeded, 5),
            TestJobs.Make("fail", JobPhase.Failed, 4), TestJobs.Make("notsent", JobPhase.SubmitFailed, 3),
            TestJobs.Make("late", JobPhase.TimedOut, 2), TestJobs.Make("lost", JobPhase.Lost, 1)]);
        var cut = RenderPanel();

        cut.Find($"[data-filter={filter}]").Click();

        Assert.Equal(expected.Split(','), CardIds(cut));
        Assert.Equal("true", cut.Find($"[data-filter={filter}]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Filter_NothingMatches_SaysSo()
    {
        Tracker.Records.Add(TestJobs.Make("done", JobPhase.Succeeded));
        var cut = RenderPanel();

        cut.Find("[data-filter=Failed]").Click();

        Assert.Contains("No jobs match this filter.", cut.Find("[data-part=jobs-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NewRecords_PassedIn_AppearAtOnce()
    {
        var cut = RenderPanel();

        cut.Render(p => p.Add(c => c.Jobs, [TestJobs.Make("new", JobPhase.Submitting)]));

        Assert.Equal(["new"], CardIds(cut));
    }

    [Fact]
    public void TrackById_Empty_RefusedWithMessage()
    {
        var cut = RenderPanel();

        cut.Find("form.track-row").Submit();

        Assert.Contains("Enter a job ID.", cut.Find(".track-row").TextContent, StringComparison.Ordinal);
        Assert.Empty(_raised);
    }

    [Fact]
    public void TrackById_JobId_RaisedTrimmed()
    {
        var cut = RenderPanel();
        cut.Find("input[data-field=track-job-id]").Input("  0b6f5a52-1d7e-4f0c-8f3e-5c9a7d2e1b44 ");

        cut.Find("form.track-row").Submit();

        Assert.Equal([("track", "0b6f5a52-1d7e-4f0c-8f3e-5c9a7d2e1b44")], _raised);
    }

    [Fact]
    public void TrackById_OwnerRefuses_ShowsTheReasonAtTheFieldAndKeepsTheId()
    {
        var cut = RenderPanel();
        cut.Find("input[data-field=track-job-id]").Input("abc");
        cut.Find("form.track-row").Submit();

        cut.Render(p => p.Add(c => c.TrackProblem, "This job is already in the list."));

        Assert.Contains("This job is already in the list.", cut.Find(".track-row").TextContent, StringComparison.Ordinal);
        Assert.Equal("abc", cut.Find("input[data-field=track-job-id]").GetAttribute("value"));
    }

    [Fact]
    public void TrackById_OwnerDone_FieldEmptied()
    {
        var cut = RenderPanel();
        cut.Find("input[data-field=track-job-id]").Input("abc");
        cut.Find("form.track-row").Submit();

        cut.Render(p => p.Add(c => c.Tracking, false));

        Assert.True(string.IsNullOrEmpty(cut.Find("input[data-field=track-job-id]").GetAttribute("value")));
    }

    [Fact]
    public void TrackById_InFlight_FieldAndButtonDisabled()
    {
        var cut = RenderPanel(p => p.Add(c => c.Tracking, true));

        Assert.True(cut.Find("input[data-field=track-job-id]").HasAttribute("disabled"));
        Assert.True(cut.Find("button[data-action=track]").HasAttribute("disabled"));
    }

    [Fact]
    public void Eta_ThreeEarlierFinishedJobsWithSameParams_ShowsTimeLeft()
    {
        Tracker.Records.AddRange([
            TestJobs.RunningSince("run", 10, Clock.GetUtcNow().AddSeconds(-30)),
            TestJobs.Finished("a", 3, TimeSpan.FromSeconds(80)),
            TestJobs.Finished("b", 2, TimeSpan.FromSeconds(100)),
            TestJobs.Finished("c", 1, TimeSpan.FromSeconds(120))]);

        var cut = RenderPanel();

        Assert.Equal("About 1 min 10 s left", cut.Find("[data-job=run] .eta").TextContent);
    }

    [Fact]
    public void Eta_TwoFinishedJobsOnly_NoEstimate()
    {
        Tracker.Records.AddRange([
            TestJobs.RunningSince("run", 10, Clock.GetUtcNow().AddSeconds(-30)),
            TestJobs.Finished("a", 3, TimeSpan.FromSeconds(80)),
            TestJobs.Finished("b", 2, TimeSpan.FromSeconds(100))]);

        var cut = RenderPanel();

        Assert.Empty(cut.FindAll("[data-job=run] .eta"));
    }

    [Fact]
    public void Eta_FinishedJobsWithOtherParams_DoNotCount()
    {
        Tracker.Records.AddRange([
            TestJobs.RunningSince("run", 10, Clock.GetUtcNow().AddSeconds(-30), steps: 2),
            TestJobs.Finished("a", 3, TimeSpan.FromSeconds(80)),
            TestJobs.Finished("b", 2, TimeSpan.FromSeconds(100)),
            TestJobs.Finished("c", 1, TimeSpan.FromSeconds(120), steps: 2, quantized: false)]);

        var cut = RenderPanel();

        Assert.Empty(cut.FindAll("[data-job=run] .eta"));
    }

    [Fact]
    public void Ticker_ActiveJob_ElapsedAdvancesEverySecond()
    {
        Tracker.Records.Add(TestJobs.Make("run", JobPhase.Running, 0));
        var cut = RenderPanel();
        Assert.Contains("5 min 00 s", cut.Find("[data-job=run] .elapsed").TextContent, StringComparison.Ordinal);

        Clock.Advance(TimeSpan.FromSeconds(3));

        cut.WaitForAssertion(() => Assert.Contains("5 min 03 s", cut.Find("[data-job=run] .elapsed").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Ticker_OnlyFinishedJobs_DoesNotRun()
    {
        Tracker.Records.Add(TestJobs.Make("done", JobPhase.Succeeded));

        var cut = RenderPanel();

        Assert.False(cut.Instance.IsTicking);
    }

    [Fact]
    public async Task Ticker_LastActiveJobFinishes_Stops()
    {
        var running = TestJobs.Make("run", JobPhase.Running);
        Tracker.Records.Add(running);
        var cut = RenderPanel();
        Assert.True(cut.Instance.IsTicking);

        cut.Render(p => p.Add(c => c.Jobs, [TestJobs.Make("run", JobPhase.Succeeded)]));

        Assert.False(cut.Instance.IsTicking);
    }

    [Fact]
    public async Task Dispose_Panel_StopsTheTicker()
    {
        Tracker.Records.Add(TestJobs.Make("run", JobPhase.Running));
        var panel = RenderPanel().Instance;
        Assert.True(panel.IsTicking);

        await DisposeComponentsAsync();

        Assert.False(panel.IsTicking);
    }

    [Theory]
    [InlineData(JobPhase.Failed, "retry")]
    [InlineData(JobPhase.Failed, "retry-new-seed")]
    [InlineData(JobPhase.Succeeded, "variants")]
    [InlineData(JobPhase.Succeeded, "download")]
    [InlineData(JobPhase.Succeeded, "remove")]
    [InlineData(JobPhase.Queued, "copy-id")]
    [InlineData(JobPhase.Lost, "keep-checking")]
    [InlineData(JobPhase.TimedOut, "keep-checking")]
    [InlineData(JobPhase.SubmitFailed, "submit-again")]
    public void CardAction_Clicked_RaisedWithTheRecordAndNothingElse(JobPhase phase, string action)
    {
        Tracker.Records.Add(TestJobs.Make("x", phase));
        var cut = RenderPanel();

        cut.Find($"[data-job=x] [data-action={action}]").Click();

        Assert.Equal([(action, "x")], _raised);
        Assert.Empty(Tracker.Retries);
        Assert.Empty(Tracker.Removed);
    }

    [Fact]
    public void SubmitAgain_MayHaveBeenSubmitted_CardSaysSo()
    {
        Tracker.Records.Add(TestJobs.Make("m", JobPhase.SubmitFailed) with
        {
            Error = new JobError { Message = "The backend did not answer in time.", MayHaveBeenSubmitted = true },
        });

        var cut = RenderPanel();

        Assert.Equal("May have been submitted", cut.Find("[data-job=m] .phase").TextContent.Trim());
        Assert.NotNull(cut.Find("[data-job=m] [data-part=maybe-submitted]"));
    }

    [Fact]
    public void CardClicked_SelectsIt()
    {
        Tracker.Records.Add(TestJobs.Make("q", JobPhase.Queued));
        var cut = RenderPanel();

        cut.Find("[data-job=q] button.card-main").Click();

        Assert.Equal("q", _selected);
    }
}
