using Bunit;
using I2VStudio.Components.Tests.Support;
using MudBlazor;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.JobPanel;

public class JobPanelTests : StudioTestContext
{
    private string? _selected;

    private IRenderedComponent<I2VStudio.Components.JobPanel> RenderPanel() =>
        Render<I2VStudio.Components.JobPanel>(p => p
            .Add(c => c.SelectedId, _selected)
            .Add(c => c.SelectedIdChanged, id => _selected = id));

    private static string[] CardIds(IRenderedComponent<I2VStudio.Components.JobPanel> cut) =>
        [.. cut.FindAll("article.job-card").Select(a => a.GetAttribute("data-job")!)];

    [Fact]
    public void FirstRender_InitializesTheTracker()
    {
        RenderPanel();

        Assert.Equal(1, Tracker.InitializeCalls);
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
    public async Task TrackerChange_NewJob_AppearsAtOnce()
    {
        var cut = RenderPanel();

        await cut.InvokeAsync(() => Tracker.AddAsync(TestJobs.Make("new", JobPhase.Submitting)));

        Assert.Equal(["new"], CardIds(cut));
    }

    [Fact]
    public void TrackById_Empty_RefusedWithMessage()
    {
        var cut = RenderPanel();

        cut.Find("form.track-row").Submit();

        Assert.Contains("Enter a job ID.", cut.Find(".track-row").TextContent, StringComparison.Ordinal);
        Assert.Empty(Tracker.Adopted);
    }

    [Fact]
    public void TrackById_JobId_AdoptedAsI2VAndSelected()
    {
        var cut = RenderPanel();
        cut.Find("input[data-field=track-job-id]").Input("  0b6f5a52-1d7e-4f0c-8f3e-5c9a7d2e1b44 ");

        cut.Find("form.track-row").Submit();

        Assert.Equal([("0b6f5a52-1d7e-4f0c-8f3e-5c9a7d2e1b44", "i2v")], Tracker.Adopted);
        Assert.StartsWith("adopted-", _selected, StringComparison.Ordinal);
    }

    [Fact]
    public void TrackById_TrackerRefuses_ShowsTheReasonAtTheField()
    {
        Tracker.AdoptError = new InvalidOperationException("This job is already in the list.");
        var cut = RenderPanel();
        cut.Find("input[data-field=track-job-id]").Input("abc");

        cut.Find("form.track-row").Submit();

        Assert.Contains("This job is already in the list.", cut.Find(".track-row").TextContent, StringComparison.Ordinal);
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

        await cut.InvokeAsync(() => Tracker.ChangeAsync(TestJobs.Make("run", JobPhase.Succeeded)));

        Assert.False(cut.Instance.IsTicking);
    }

    [Fact]
    public async Task Dispose_Panel_UnsubscribesAndStopsTheTicker()
    {
        Tracker.Records.Add(TestJobs.Make("run", JobPhase.Running));
        var panel = RenderPanel().Instance;
        Assert.Equal(1, Tracker.ActiveSubscriptions);

        await DisposeComponentsAsync();

        Assert.Equal(0, Tracker.ActiveSubscriptions);
        Assert.False(panel.IsTicking);
    }

    [Fact]
    public void Retry_SameParameters_TrackerRetriesWithoutNewSeedAndSelectsIt()
    {
        Tracker.Records.Add(TestJobs.Make("f", JobPhase.Failed));
        var cut = RenderPanel();

        cut.Find("[data-job=f] [data-action=retry]").Click();

        Assert.Equal([("f", (long?)null)], Tracker.Retries);
        Assert.StartsWith("retry-", _selected, StringComparison.Ordinal);
    }

    [Fact]
    public void RetryWithNewSeed_UsesTheGeneratorsSeed()
    {
        Tracker.Records.Add(TestJobs.Make("f", JobPhase.Failed));
        var cut = RenderPanel();

        cut.Find("[data-job=f] [data-action=retry-new-seed]").Click();

        Assert.Equal([("f", (long?)1001)], Tracker.Retries);
    }

    [Fact]
    public void RetryWithNewSeed_GeneratorRepeatsTheOriginalSeed_PicksAnother()
    {
        Tracker.Records.Add(TestJobs.Make("f", JobPhase.Failed, seed: 1001));
        var cut = RenderPanel();

        cut.Find("[data-job=f] [data-action=retry-new-seed]").Click();

        Assert.Equal([("f", (long?)1002)], Tracker.Retries);
    }

    [Fact]
    public void Variants_Default_ThreeRetriesWithThreeNewSeeds()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        var cut = RenderPanel();

        cut.Find("[data-job=s] [data-action=variants]").Click();

        Assert.Equal([("s", (long?)1001), ("s", (long?)1002), ("s", (long?)1003)], Tracker.Retries);
    }

    [Fact]
    public void Variants_ConfiguredCount_ThatManyJobs()
    {
        StudioOptions.VariantCount = 5;
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        var cut = RenderPanel();

        cut.Find("[data-job=s] [data-action=variants]").Click();

        Assert.Equal(5, Tracker.Retries.Count);
        Assert.Equal(5, Tracker.Retries.Select(r => r.Seed).Distinct().Count());
    }

    [Fact]
    public void KeepChecking_Lost_OfferedAndAsksTheTracker()
    {
        Tracker.Records.Add(TestJobs.Make("l", JobPhase.Lost));
        var cut = RenderPanel();

        cut.Find("[data-job=l] [data-action=keep-checking]").Click();

        Assert.Equal(["l"], Tracker.KeptChecking);
    }

    [Fact]
    public void KeepChecking_TimedOut_AsksTheTracker()
    {
        Tracker.Records.Add(TestJobs.Make("t", JobPhase.TimedOut));
        var cut = RenderPanel();

        cut.Find("[data-job=t] [data-action=keep-checking]").Click();

        Assert.Equal(["t"], Tracker.KeptChecking);
    }

    [Fact]
    public void SubmitAgain_SubmitFailed_AsksTheTrackerForTheSameRecord()
    {
        Tracker.Records.Add(TestJobs.Make("x", JobPhase.SubmitFailed) with { Error = new JobError { Message = "Cannot reach the backend." } });
        var cut = RenderPanel();

        cut.Find("[data-job=x] [data-action=submit-again]").Click();

        Assert.Equal(["x"], Tracker.SubmittedAgain);
        Assert.Equal("x", _selected);
    }

    [Theory]
    [InlineData(JobPhase.Failed, "retry-new-seed", 1)]
    [InlineData(JobPhase.Failed, "retry", 1)]
    [InlineData(JobPhase.Succeeded, "variants", 3)]
    [InlineData(JobPhase.Succeeded, "retry-new-seed", 1)]
    public void NewSubmissionAction_DoubleClickWhileTheFirstPosts_OneSubmission(JobPhase phase, string action, int expected)
    {
        Tracker.Records.Add(TestJobs.Make("x", phase));
        Tracker.RetryGate = new TaskCompletionSource();
        var cut = RenderPanel();

        cut.Find($"[data-job=x] [data-action={action}]").Click();
        cut.Find($"[data-job=x] [data-action={action}]").Click();
        Tracker.RetryGate.SetResult();

        cut.WaitForAssertion(() => Assert.Equal(expected, Tracker.Retries.Count));
        Assert.All(Tracker.Retries, r => Assert.Equal("x", r.Id));
    }

    [Fact]
    public void SubmitAgain_MayHaveBeenSubmitted_SaysSoAndAsksFirst()
    {
        Tracker.Records.Add(TestJobs.Make("m", JobPhase.SubmitFailed) with
        {
            Error = new JobError { Message = "The backend did not answer in time.", MayHaveBeenSubmitted = true },
        });
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderPanel();
        Assert.Equal("May have been submitted", cut.Find("[data-job=m] .phase").TextContent.Trim());
        Assert.NotNull(cut.Find("[data-job=m] [data-part=maybe-submitted]"));

        cut.Find("[data-job=m] [data-action=submit-again]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("may start a second GPU job", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("may start a second GPU job", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Tracker.SubmittedAgain);

        cut.Find("[data-job=m] [data-action=submit-again]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("may start a second GPU job", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Submit again").Click();

        cut.WaitForAssertion(() => Assert.Equal(["m"], Tracker.SubmittedAgain));
    }

    [Fact]
    public void CopyId_CopiesTheBackendsJobId()
    {
        Tracker.Records.Add(TestJobs.Make("q", JobPhase.Queued));
        var cut = RenderPanel();

        cut.Find("[data-job=q] [data-action=copy-id]").Click();

        Assert.Equal("3f1c2a9e-q", ActionsModule.Invocations["copyText"].Single().Arguments[0]);
    }

    [Fact]
    public void Download_IssuesTicketWithMeaningfulNameAndDownloadsSameOrigin()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded, seed: 42, steps: 4));
        var cut = RenderPanel();

        cut.Find("[data-job=s] [data-action=download]").Click();

        var ticket = Assert.Single(Tickets.Issued);
        Assert.Equal("3f1c2a9e-s", ticket.JobId);
        var expectedName = $"i2v_{TimeZoneInfo.ConvertTime(TestJobs.Epoch, Clock.LocalTimeZone):yyyy-MM-dd_HHmm}_seed42_4steps.mp4";
        Assert.Equal(expectedName, ticket.FileName);
        var download = ActionsModule.Invocations["download"].Single();
        Assert.Equal("http://localhost/_i2v/download/ticket-1", download.Arguments[0]);
        Assert.Equal(expectedName, download.Arguments[1]);
    }

    [Fact]
    public void Download_RestoredRecordWithForeignUrl_TicketNamesTheJobNeverTheUrl()
    {
        // localStorage is the user's to edit: a "finished" record pointing at cloud metadata, valid for years.
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded) with
        {
            OutputUrl = "http://169.254.169.254/latest/meta-data/",
            OutputUrlExpiresAt = Clock.GetUtcNow().AddYears(5),
        });
        var cut = RenderPanel();

        cut.Find("[data-job=s] [data-action=download]").Click();

        var ticket = Assert.Single(Tickets.Issued);
        Assert.DoesNotContain("169.254", ticket.ToString(), StringComparison.Ordinal);
        Assert.Equal("3f1c2a9e-s", ticket.JobId);
    }

    [Fact]
    public void Download_LinkAboutToExpire_RefreshedFirst()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded) with { OutputUrlExpiresAt = Clock.GetUtcNow().AddSeconds(30) });
        var cut = RenderPanel();

        cut.Find("[data-job=s] [data-action=download]").Click();

        Assert.Equal(["s"], Tracker.Refreshed);
        Assert.Equal("3f1c2a9e-s", Tickets.Issued.Single().JobId);
    }

    [Fact]
    public void Remove_Confirmed_TrackerRemovesAndSelectionCleared()
    {
        _selected = "s";
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderPanel();

        cut.Find("[data-job=s] [data-action=remove]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("The video on the server is not deleted.", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove").Click();

        cut.WaitForAssertion(() => Assert.Equal(["s"], Tracker.Removed));
        Assert.Null(_selected);
    }

    [Fact]
    public void Remove_Cancelled_KeepsTheJob()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderPanel();

        cut.Find("[data-job=s] [data-action=remove]").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("button")));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        Assert.Empty(Tracker.Removed);
        Assert.Equal(["s"], CardIds(cut));
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
