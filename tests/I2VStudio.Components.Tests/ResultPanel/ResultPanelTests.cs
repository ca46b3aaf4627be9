using System.Text.RegularExpressions;
using Bunit;
using I2VStudio.Components.Tests.Support;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.ResultPanel;

public class ResultPanelTests : StudioTestContext
{
    private readonly BunitJSModuleInterop _module;
    private readonly BunitJSModuleInterop _player;

    public ResultPanelTests()
    {
        _module = JSInterop.SetupModule(I2VStudio.Components.ResultPanel.ModulePath);
        _player = _module.SetupModule(i => i.Identifier == "attach");
        _player.SetupVoid("swapSource", _ => true).SetVoidResult();
        _player.SetupVoid("dispose").SetVoidResult();
    }

    private IRenderedComponent<I2VStudio.Components.ResultPanel> RenderPanel(JobRecord? record,
        Action<ComponentParameterCollectionBuilder<I2VStudio.Components.ResultPanel>>? more = null) =>
        Render<I2VStudio.Components.ResultPanel>(p =>
        {
            // The owner's refresh (StudioJobsState.RefreshLinkAsync) is the tracker's; the fake records each call.
            p.Add(c => c.Record, record).Add(c => c.RefreshLink, (job, ct) => Tracker.RefreshOutputUrlAsync(job.Id, ct));
            more?.Invoke(p);
        });

    private static string[] Actions(IRenderedComponent<I2VStudio.Components.ResultPanel> cut) =>
        [.. cut.FindAll("[data-action]").Select(e => e.GetAttribute("data-action")!)];

    private static JobRecord FailedWith(string message) =>
        TestJobs.Make("j1", JobPhase.Failed) with { Error = new JobError { Message = message, Source = JobErrorSource.Job } };

    [Fact]
    public void NothingSelected_ShowsFriendlyEmptyState()
    {
        var cut = RenderPanel(null);

        Assert.Contains("Select a job to see its result here.", cut.Find("[data-part=result-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("video"));
    }

    [Fact]
    public void Succeeded_PlaysTheBackendsUrlWithControls()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded));

        var video = cut.Find("video");
        Assert.Equal(TestJobs.OutputUrl, video.GetAttribute("src"));
        Assert.True(video.HasAttribute("controls"));
        Assert.Equal("metadata", video.GetAttribute("preload"));
    }

    [Fact]
    public void Succeeded_ShowsPromptAsTextWithLineBreaksParamsAndInput()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded, seed: 7, steps: 2, quantized: false));

        Assert.Equal(TestJobs.Prompt, cut.Find("[data-part=prompt]").TextContent);
        var parameters = cut.Find("[data-part=params]").TextContent;
        Assert.Contains("Sampling steps: 2", parameters, StringComparison.Ordinal);
        Assert.Contains("Seed: 7", parameters, StringComparison.Ordinal);
        Assert.Contains("Quantized weights: No", parameters, StringComparison.Ordinal);
        Assert.Equal("cat.png", cut.Find("img.input-thumb").GetAttribute("alt"));
    }

    [Fact]
    public void Running_BackendSendsProgress_DeterminateBarInsteadOfTheSlidingOne()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Running) with { Progress = 0.4 });

        var bar = cut.Find("[data-part=progress]");
        Assert.Equal("progressbar", bar.GetAttribute("role"));
        Assert.Equal("40", bar.GetAttribute("aria-valuenow"));
        Assert.Contains("40%", cut.Find("[data-part=waiting]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_NoProgress_SlidingBarOnly()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Running));

        Assert.Single(cut.FindAll("[data-part=waiting] .wait-bar"));
        Assert.Empty(cut.FindAll("[data-part=progress]"));
    }

    [Fact]
    public void VideoGenJob_ParamsShowDurationAndEnhancement_ProviderInTheJobIdTooltip()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded) with
        {
            Params = System.Text.Json.JsonSerializer.SerializeToElement(new { seed = 1, num_steps = 4, quantized = true, duration_seconds = 7.5, enhance_prompt = true }),
            ProviderType = "local",
        };

        var cut = RenderPanel(job);

        Assert.Equal("Duration: 7.5 s", cut.Find("[data-part=params] [data-param=duration_seconds]").TextContent);
        Assert.Equal("Prompt enhanced: Yes", cut.Find("[data-part=params] [data-param=enhance_prompt]").TextContent);
        Assert.Equal("Provider: local", cut.Find("[data-part=job-id]").GetAttribute("title"));
    }

    [Fact]
    public void LegacyJob_ParamsWithoutDurationOrEnhancement_NoProviderTooltip()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded));

        Assert.Empty(cut.FindAll("[data-part=params] [data-param]"));
        Assert.False(cut.Find("[data-part=job-id]").HasAttribute("title"));
    }

    [Fact]
    public void Succeeded_TotalTimeAndTimePerStageFromTheTimeline()
    {
        var cut = RenderPanel(TestJobs.Finished("j1", 0, TimeSpan.FromSeconds(95)));

        Assert.Equal("1 min 45 s", cut.Find("[data-part=total-time]").TextContent);
        var stages = cut.FindAll("[data-part=stages] li");
        Assert.Equal(["phase.submitting", "SUBMITTED", "RUNNING"], stages.Select(s => s.GetAttribute("data-stage")));
        Assert.Contains("Generating", stages[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("1 min 35 s", stages[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("9 s", stages[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Succeeded_Download_RaisesEvent()
    {
        JobRecord? downloaded = null;
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded), p => p.Add(c => c.OnDownload, r => downloaded = r));

        cut.Find("[data-action=download]").Click();

        Assert.Equal("j1", downloaded?.Id);
    }

    [Fact]
    public void Succeeded_AttachesThePlayerModule()
    {
        RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded));

        Assert.Single(_module.Invocations, i => i.Identifier == "attach");
    }

    [Fact]
    public async Task VideoError_RefreshesTheLinkOnceAndReturnsIt()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded));
        Tracker.Records.Add(TestJobs.Make("j1", JobPhase.Succeeded));

        var url = await cut.InvokeAsync(() => cut.Instance.OnVideoErrorAsync());

        Assert.Equal("https://storage.example/out.mp4?sig=fresh", url);
        Assert.Equal(["j1"], Tracker.Refreshed);
    }

    [Fact]
    public async Task VideoError_NoRefreshLinkGiven_NothingFetched()
    {
        var cut = Render<I2VStudio.Components.ResultPanel>(p => p.Add(c => c.Record, TestJobs.Make("j1", JobPhase.Succeeded)));
        Tracker.Records.Add(TestJobs.Make("j1", JobPhase.Succeeded));

        var url = await cut.InvokeAsync(() => cut.Instance.OnVideoErrorAsync());

        Assert.Null(url);
        Assert.Empty(Tracker.Refreshed);
    }

    [Fact]
    public void NewLink_ForTheShownJob_SwappedIntoThePlayerWithoutNewElement()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded);
        var cut = RenderPanel(job);

        cut.Render(p => p.Add(c => c.Record, job with { OutputUrl = "https://storage.example/out.mp4?sig=2" }));

        var swap = Assert.Single(_player.Invocations, i => i.Identifier == "swapSource");
        Assert.Equal("https://storage.example/out.mp4?sig=2", swap.Arguments[0]);
        Assert.Equal(TestJobs.OutputUrl, cut.Find("video").GetAttribute("src"));
    }

    [Fact]
    public void LinkNearExpiry_RefreshedTwoMinutesBefore()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded) with { OutputUrlExpiresAt = Clock.GetUtcNow().AddMinutes(10) };
        Tracker.Records.Add(job);
        RenderPanel(job);

        Clock.Advance(TimeSpan.FromMinutes(7));
        Assert.Empty(Tracker.Refreshed);
        Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["j1"], Tracker.Refreshed);
    }

    [Fact]
    public void ShortLivedLink_RefreshedAtHalfItsLife()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded) with { OutputUrlExpiresAt = Clock.GetUtcNow().AddSeconds(60) };
        Tracker.Records.Add(job);
        RenderPanel(job);

        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(Tracker.Refreshed);
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["j1"], Tracker.Refreshed);
    }

    [Fact]
    public void ExpiredLink_RefreshedAfterTheMinimumDelayNotInALoop()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded) with { OutputUrlExpiresAt = Clock.GetUtcNow().AddSeconds(-10) };
        Tracker.Records.Add(job);
        var cut = RenderPanel(job);

        Clock.Advance(TimeSpan.FromSeconds(5));
        cut.Render(p => p.Add(c => c.Record, job));
        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["j1"], Tracker.Refreshed);
    }

    [Fact]
    public void LinkGone_SaysSoWithoutPlayer()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded) with
        {
            Status = new JobStatus(CeleryStates.Pending, DbStates.Succeeded, JobPhase.Succeeded),
            OutputUrl = null,
            OutputLinkGone = true,
        });

        Assert.Equal("The backend can no longer create a link to this video.", cut.Find("[data-part=link-gone]").TextContent.Trim());
        Assert.Empty(cut.FindAll("video"));
        Assert.True(cut.Find("[data-action=download]").HasAttribute("disabled"));
    }

    [Fact]
    public void SucceededWithoutUrl_ShowsTheRawResultAsText()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded) with { OutputUrl = null, RawResult = "{\"output_key\":\"<b>x</b>\"}" });

        Assert.Equal("{\"output_key\":\"<b>x</b>\"}", cut.Find("[data-part=raw-result]").TextContent);
    }

    [Fact]
    public void Failed_ErrorWithMarkup_ShownExactlyAsText()
    {
        const string error = "Traceback:\n  <script>alert('x')</script>\n  <b>not bold</b> & more";

        var cut = RenderPanel(FailedWith(error));

        var block = cut.Find("pre[data-part=error-text]");
        Assert.Equal(error, block.TextContent);
        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(block.QuerySelectorAll("b"));
    }

    [Fact]
    public void Failed_CudaOutOfMemoryExample_ShowsTheHint()
    {
        var example = TestJobs.Example("job-failure");

        var cut = RenderPanel(FailedWith(example.Error!));

        Assert.Equal(example.Error, cut.Find("[data-part=error-text]").TextContent);
        Assert.Contains("Try fewer steps or quantized weights.", cut.Find("[data-part=hint-oom]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_OtherError_NoHint()
    {
        var cut = RenderPanel(FailedWith("ValueError: bad image"));

        Assert.Empty(cut.FindAll("[data-part=hint-oom]"));
    }

    [Fact]
    public void Failed_RetryActions_RaiseTheirEvents()
    {
        var raised = new List<string>();
        var cut = RenderPanel(FailedWith("boom"), p => p
            .Add(c => c.OnRetry, r => raised.Add("retry"))
            .Add(c => c.OnRetryWithNewSeed, r => raised.Add("new-seed")));

        cut.Find("[data-action=retry]").Click();
        cut.Find("[data-action=retry-new-seed]").Click();

        Assert.Equal(["retry", "new-seed"], raised);
    }

    [Fact]
    public void TimedOut_SaysItMayStillRunAndOffersKeepChecking()
    {
        JobRecord? kept = null;
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.TimedOut), p => p.Add(c => c.OnKeepChecking, r => kept = r));

        Assert.Contains("may be running in the background", cut.Find("[data-part=timed-out]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-action=keep-checking]").Click();
        Assert.Equal("j1", kept?.Id);
        Assert.Equal(["keep-checking"], Actions(cut));
    }

    [Fact]
    public void Lost_SaysTheBackendDoesNotKnowItAndOffersKeepCheckingAndRemove()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Lost));

        Assert.Equal("The backend does not know this job", cut.Find("[data-part=lost]").TextContent.Trim());
        Assert.Equal(["keep-checking", "remove"], Actions(cut));
    }

    [Fact]
    public void Params_Chinese_LabelsWithFullWidthColons()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");

        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded, seed: 42, steps: 4));

        Assert.Contains("采样步数：4", cut.Find("[data-part=params]").TextContent, StringComparison.Ordinal);
        Assert.Contains("随机种子：42", cut.Find("[data-part=params]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JobPhase.TimedOut, "Still waiting — may be running in the background", "Timed out")]
    [InlineData(JobPhase.Lost, "The backend does not know this job", "Unknown to the backend")]
    public void TimedOutOrLost_SentenceShownOnceAndShortWordsInTheHeader(JobPhase phase, string sentence, string words)
    {
        var cut = RenderPanel(TestJobs.Make("j1", phase));

        Assert.Single(Regex.Matches(cut.Find("section").TextContent, Regex.Escape(sentence)));
        Assert.Equal(words, cut.Find("[data-part=phase] .phase-text").TextContent);
    }

    [Fact]
    public void SubmitFailed_422Items_OneSummarySentenceAndEachItemOnce()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.SubmitFailed) with
        {
            Error = new JobError
            {
                Message = "The backend rejected the request: image: Field required", HttpStatus = 422,
                FieldProblems = TestJobs.Problems(("image", "Field required")),
            },
        });

        Assert.Equal("The backend did not accept these values:", cut.Find("[data-part=submit-error-summary]").TextContent);
        Assert.Empty(cut.FindAll("[data-part=error-text]"));
        Assert.Single(Regex.Matches(cut.Find("section").TextContent, "Field required"));
        Assert.Equal("Image", cut.Find("li[data-field=image] .field-name").TextContent);
    }

    [Fact]
    public void SubmitFailed_422Items_ListedByFieldWithSubmitAgain()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.SubmitFailed) with
        {
            Error = new JobError { Message = "Validation failed", HttpStatus = 422, FieldProblems = TestJobs.Problems(("image", "Field required")) },
        });

        Assert.Contains("Image", cut.Find("li[data-field=image]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Field required", cut.Find("li[data-field=image]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["submit-again"], Actions(cut));
    }

    [Fact]
    public void SubmitFailed_LlmRefused_SubmitWithoutEnhancementIsTheOnlyActionAndTheBackendsTextIsNotRepeated()
    {
        var cut = RenderPanel(TestJobs.LlmRefused("j1"));

        Assert.Equal(["submit-without-enhancement"], Actions(cut));
        var offer = cut.Find("[data-action=submit-without-enhancement]");
        Assert.Equal("Submit without enhancement", offer.TextContent.Trim());
        Assert.Contains("mud-button-filled", offer.ClassName, StringComparison.Ordinal);
        // The backend's words are at the Enhance prompt switch, which the page shows beside this panel.
        Assert.DoesNotContain("LLM prompt enhancement unavailable", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("Not submitted", cut.Find("[data-part=phase] .phase-text").TextContent);
    }

    [Fact]
    public void SubmitFailed_LlmRefused_SubmitWithoutEnhancementRaisesItsEventWithTheRecord()
    {
        var raised = new List<string>();
        var cut = RenderPanel(TestJobs.LlmRefused("j1"), p => p
            .Add(c => c.OnSubmitAgain, r => raised.Add("submit-again:" + r.Id))
            .Add(c => c.OnSubmitWithoutEnhancement, r => raised.Add("submit-without-enhancement:" + r.Id)));

        cut.Find("[data-action=submit-without-enhancement]").Click();

        Assert.Equal(["submit-without-enhancement:j1"], raised);
    }

    [Theory]
    [InlineData(JobPhase.Submitting)]
    [InlineData(JobPhase.Queued)]
    [InlineData(JobPhase.Running)]
    public void Active_ShowsWaitingAndPhaseInALiveRegion(JobPhase phase)
    {
        var cut = RenderPanel(TestJobs.Make("j1", phase));

        Assert.NotNull(cut.Find("[data-part=waiting]"));
        Assert.Equal("polite", cut.Find("[data-part=phase]").GetAttribute("aria-live"));
    }

    [Fact]
    public void Running_ElapsedTicksEverySecond()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Running));
        Assert.Equal("5 min 00 s", cut.Find("[data-part=total-time]").TextContent);

        Clock.Advance(TimeSpan.FromSeconds(2));

        cut.WaitForAssertion(() => Assert.Equal("5 min 02 s", cut.Find("[data-part=total-time]").TextContent));
    }

    [Fact]
    public void Finished_NoTicker()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Failed));

        Assert.False(cut.Instance.IsTicking);
    }

    [Fact]
    public async Task Dispose_Running_StopsTheTicker()
    {
        var panel = RenderPanel(TestJobs.Make("j1", JobPhase.Running)).Instance;
        Assert.True(panel.IsTicking);

        await DisposeComponentsAsync();

        Assert.False(panel.IsTicking);
    }

    [Fact]
    public async Task Dispose_WithPlayer_DetachesAndCancelsRefresh()
    {
        var cut = RenderPanel(TestJobs.Make("j1", JobPhase.Succeeded));
        Assert.True(cut.Instance.RefreshScheduled);

        await DisposeComponentsAsync();

        Assert.Single(_player.Invocations, i => i.Identifier == "dispose");
        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Empty(Tracker.Refreshed);
    }
}
