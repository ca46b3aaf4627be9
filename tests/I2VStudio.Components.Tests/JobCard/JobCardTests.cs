using System.Text.RegularExpressions;
using Bunit;
using I2VStudio.Components.Tests.Support;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.JobCard;

public class JobCardTests : StudioTestContext
{
    private IRenderedComponent<I2VStudio.Components.JobCard> RenderCard(JobRecord record, Action<ComponentParameterCollectionBuilder<I2VStudio.Components.JobCard>>? more = null) =>
        Render<I2VStudio.Components.JobCard>(p =>
        {
            p.Add(c => c.Record, record);
            more?.Invoke(p);
        });

    private static string[] Actions(IRenderedComponent<I2VStudio.Components.JobCard> cut) =>
        [.. cut.FindAll("[data-action]").Select(e => e.GetAttribute("data-action")!)];

    [Theory]
    [InlineData(JobPhase.Submitting, "remove")]
    [InlineData(JobPhase.SubmitFailed, "submit-again,remove")]
    [InlineData(JobPhase.Queued, "copy-id,remove")]
    [InlineData(JobPhase.Running, "copy-id,remove")]
    [InlineData(JobPhase.Succeeded, "download,variants,retry-new-seed,copy-id,remove")]
    [InlineData(JobPhase.Failed, "retry,retry-new-seed,copy-id,remove")]
    [InlineData(JobPhase.TimedOut, "keep-checking,copy-id,remove")]
    [InlineData(JobPhase.Lost, "keep-checking,copy-id,remove")]
    public void Actions_ByPhase_OnlyThoseThePhaseAllows(JobPhase phase, string expected)
    {
        var cut = RenderCard(TestJobs.Make("j1", phase));

        Assert.Equal(expected.Split(','), Actions(cut));
    }

    [Fact]
    public void Actions_AdoptedSucceededJobWithoutImage_NoRetryOrVariants()
    {
        var adopted = TestJobs.Make("j1", JobPhase.Succeeded) with { Inputs = new JobInputs() };

        var cut = RenderCard(adopted);

        Assert.Equal(["download", "copy-id", "remove"], Actions(cut));
    }

    [Fact]
    public void Title_PromptWithSeveralLines_ShowsTheFirstLine()
    {
        var cut = RenderCard(TestJobs.Make("j1", JobPhase.Queued, prompt: "\n  first line  \nsecond line"));

        Assert.Equal("first line", cut.Find(".title").TextContent);
    }

    [Fact]
    public void Title_AdoptedJobWithoutPrompt_ShowsTheJobId()
    {
        var adopted = TestJobs.Make("j1", JobPhase.Queued) with { Inputs = new JobInputs(), JobId = "0b6f5a52-1d7e" };

        var cut = RenderCard(adopted);

        Assert.Equal("0b6f5a52-1d7e", cut.Find(".title").TextContent);
    }

    [Theory]
    [InlineData(JobPhase.Submitting, "Submitting")]
    [InlineData(JobPhase.SubmitFailed, "Not submitted")]
    [InlineData(JobPhase.Queued, "Queued")]
    [InlineData(JobPhase.Running, "Generating")]
    [InlineData(JobPhase.Succeeded, "Done")]
    [InlineData(JobPhase.Failed, "Failed")]
    [InlineData(JobPhase.TimedOut, "Timed out")]
    [InlineData(JobPhase.Lost, "Unknown to the backend")]
    public void Phase_InWords_InALiveRegion(JobPhase phase, string words)
    {
        var cut = RenderCard(TestJobs.Make("j1", phase));

        var element = cut.Find(".phase");
        Assert.Equal(words, element.TextContent);
        Assert.Equal("polite", element.GetAttribute("aria-live"));
    }

    private static JobRecord Rejected422() => TestJobs.Make("j1", JobPhase.SubmitFailed) with
    {
        Error = new JobError
        {
            Message = "The backend rejected the request: seed: Input should be a valid integer; prompt: Field required",
            Source = JobErrorSource.Submit,
            HttpStatus = 422,
            FieldProblems = TestJobs.Problems(("seed", "Input should be a valid integer"), ("prompt", "Field required")),
        },
    };

    [Fact]
    public void SubmitFailed_With422Items_ListsEachNextToItsFieldName()
    {
        var cut = RenderCard(Rejected422());

        var seed = cut.Find("li[data-field=seed]");
        Assert.Equal("Seed", seed.QuerySelector(".field-name")!.TextContent);
        Assert.Equal("Input should be a valid integer", seed.QuerySelector(".field-message")!.TextContent);
        Assert.Equal("Prompt", cut.Find("li[data-field=prompt] .field-name").TextContent);
    }

    [Fact]
    public void SubmitFailed_With422Items_OneSummarySentenceAndEachItemOnce()
    {
        var cut = RenderCard(Rejected422());

        var error = cut.Find("[data-part=submit-error]");
        Assert.Equal("The backend did not accept these values:", cut.Find("[data-part=submit-error-summary]").TextContent);
        Assert.Single(Regex.Matches(error.TextContent, "Input should be a valid integer"));
        Assert.DoesNotContain("The backend rejected the request", error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SubmitFailed_422ItemWithoutField_NamedAsTheRequest()
    {
        var failed = TestJobs.Make("j1", JobPhase.SubmitFailed) with
        {
            Error = new JobError { Message = "x", HttpStatus = 422, FieldProblems = TestJobs.Problems(("", "Body is not valid")) },
        };

        var cut = RenderCard(failed);

        Assert.Equal("Request", cut.Find("li[data-field=''] .field-name").TextContent);
    }

    [Fact]
    public void SubmitFailed_WithoutItems_ShowsTheMessageAsSent()
    {
        var failed = TestJobs.Make("j1", JobPhase.SubmitFailed) with
        {
            Error = new JobError { Message = "Cannot reach the backend.", Source = JobErrorSource.Submit },
        };

        var cut = RenderCard(failed);

        Assert.Equal("Cannot reach the backend.", cut.Find(".card-error-message").TextContent);
    }

    [Theory]
    [InlineData(JobPhase.TimedOut, "Still waiting — may be running in the background")]
    [InlineData(JobPhase.Lost, "The backend does not know this job")]
    public void Phase_TimedOutOrLost_ShortWordsWithTheSentenceInTheTooltipOnly(JobPhase phase, string sentence)
    {
        var cut = RenderCard(TestJobs.Make("j1", phase));

        Assert.Equal(sentence, cut.Find(".phase").GetAttribute("title"));
        Assert.DoesNotContain(sentence, cut.Find("article").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_ErrorWithMarkup_ShownAsTextFirstLine()
    {
        var failed = TestJobs.Make("j1", JobPhase.Failed) with
        {
            Error = new JobError { Message = "<script>alert(1)</script> <b>bold</b>\nsecond line", Source = JobErrorSource.Job },
        };

        var cut = RenderCard(failed);

        Assert.Equal("<script>alert(1)</script> <b>bold</b>", cut.Find(".card-error-line").TextContent);
        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll(".card-error-line b"));
    }

    [Fact]
    public void Elapsed_RunningJob_MeasuredAgainstNow()
    {
        var job = TestJobs.Make("j1", JobPhase.Running);

        var cut = RenderCard(job, p => p.Add(c => c.Now, job.CreatedAt.AddSeconds(125)));

        Assert.Contains("2 min 05 s", cut.Find(".elapsed").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Elapsed_FinishedJob_StopsAtCompletion()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded);

        var cut = RenderCard(job, p => p.Add(c => c.Now, job.CreatedAt.AddHours(5)));

        Assert.Contains("3 min 00 s", cut.Find(".elapsed").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FinishedJobWhileTheListTicks_SkipsRendersThatShowNothingNew()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded);
        var cut = RenderCard(job, p => p.Add(c => c.Now, job.CreatedAt.AddHours(5)));

        cut.Render(p => p.Add(c => c.Record, job).Add(c => c.Now, job.CreatedAt.AddHours(5).AddSeconds(1)));
        cut.Render(p => p.Add(c => c.Record, job).Add(c => c.Now, job.CreatedAt.AddHours(5).AddSeconds(2)));

        Assert.Equal(1, cut.RenderCount);
    }

    [Fact]
    public void Render_RunningJobTicksOrRecordChanges_RendersAgain()
    {
        var job = TestJobs.Make("j1", JobPhase.Running);
        var cut = RenderCard(job, p => p.Add(c => c.Now, job.CreatedAt.AddSeconds(10)));

        cut.Render(p => p.Add(c => c.Record, job).Add(c => c.Now, job.CreatedAt.AddSeconds(11)));
        var selected = cut.RenderCount;
        cut.Render(p => p.Add(c => c.Record, job).Add(c => c.Now, job.CreatedAt.AddSeconds(11)).Add(c => c.Selected, true));
        var changed = job with { ConnectionTrouble = true };
        cut.Render(p => p.Add(c => c.Record, changed).Add(c => c.Now, job.CreatedAt.AddSeconds(11)).Add(c => c.Selected, true));

        Assert.Equal(2, selected);
        Assert.Equal(4, cut.RenderCount);
        Assert.Contains("11 s", cut.Find(".elapsed").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("article.selected"));
    }

    [Fact]
    public void Eta_RunningWithExpectedDuration_ShowsTimeLeft()
    {
        var job = TestJobs.RunningSince("j1", 0, TestJobs.Epoch.AddSeconds(30));

        var cut = RenderCard(job, p => p
            .Add(c => c.Now, TestJobs.Epoch.AddSeconds(90))
            .Add(c => c.ExpectedRunDuration, TimeSpan.FromSeconds(100)));

        Assert.Equal("About 40 s left", cut.Find(".eta").TextContent);
    }

    [Fact]
    public void Eta_RunLongerThanExpected_SaysAlmostDone()
    {
        var job = TestJobs.RunningSince("j1", 0, TestJobs.Epoch);

        var cut = RenderCard(job, p => p
            .Add(c => c.Now, TestJobs.Epoch.AddMinutes(10))
            .Add(c => c.ExpectedRunDuration, TimeSpan.FromSeconds(100)));

        Assert.Equal("Almost done", cut.Find(".eta").TextContent);
    }

    [Fact]
    public void Eta_WithoutEstimate_NotShown()
    {
        var cut = RenderCard(TestJobs.Make("j1", JobPhase.Running));

        Assert.Empty(cut.FindAll(".eta"));
    }

    [Fact]
    public void ConnectionTrouble_Set_ShowsIndicator()
    {
        var cut = RenderCard(TestJobs.Make("j1", JobPhase.Running) with { ConnectionTrouble = true });

        Assert.Contains("Connection trouble, retrying", cut.Find(".trouble").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Download_LinkGone_Disabled()
    {
        var cut = RenderCard(TestJobs.Make("j1", JobPhase.Succeeded) with { OutputUrl = null, OutputLinkGone = true });

        Assert.True(cut.Find("[data-action=download]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData(JobPhase.Failed, "retry")]
    [InlineData(JobPhase.Failed, "retry-new-seed")]
    [InlineData(JobPhase.Succeeded, "variants")]
    [InlineData(JobPhase.Succeeded, "download")]
    [InlineData(JobPhase.TimedOut, "keep-checking")]
    [InlineData(JobPhase.SubmitFailed, "submit-again")]
    [InlineData(JobPhase.Queued, "copy-id")]
    [InlineData(JobPhase.Lost, "remove")]
    public void Action_Clicked_RaisesItsEventWithTheRecord(JobPhase phase, string action)
    {
        var job = TestJobs.Make("j1", phase);
        var raised = new List<string>();
        var cut = RenderCard(job, p => p
            .Add(c => c.OnRetry, r => raised.Add("retry:" + r.Id))
            .Add(c => c.OnRetryWithNewSeed, r => raised.Add("retry-new-seed:" + r.Id))
            .Add(c => c.OnVariants, r => raised.Add("variants:" + r.Id))
            .Add(c => c.OnDownload, r => raised.Add("download:" + r.Id))
            .Add(c => c.OnKeepChecking, r => raised.Add("keep-checking:" + r.Id))
            .Add(c => c.OnSubmitAgain, r => raised.Add("submit-again:" + r.Id))
            .Add(c => c.OnCopyId, r => raised.Add("copy-id:" + r.Id))
            .Add(c => c.OnRemove, r => raised.Add("remove:" + r.Id)));

        cut.Find($"[data-action={action}]").Click();

        Assert.Equal([action + ":j1"], raised);
    }

    [Fact]
    public void SubmitFailed_LlmRefused_SubmitWithoutEnhancementIsTheMainActionAndNoSubmitAgain()
    {
        var cut = RenderCard(TestJobs.LlmRefused("j1"));

        Assert.Equal(["submit-without-enhancement", "remove"], Actions(cut));
        var offer = cut.Find("[data-action=submit-without-enhancement]");
        Assert.Equal("Submit without enhancement", offer.TextContent.Trim());
        Assert.Contains("mud-button-filled", offer.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void SubmitFailed_LlmRefused_OneShortLineNotTheBackendsText()
    {
        var cut = RenderCard(TestJobs.LlmRefused("j1"));

        Assert.Equal("AI prompt enhancement is unavailable right now.", cut.Find("[data-part=llm-refused]").TextContent.Trim());
        Assert.DoesNotContain("LLM prompt enhancement unavailable", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-part=submit-error]"));
    }

    [Fact]
    public void SubmitWithoutEnhancement_Clicked_RaisesItsEventWithTheRecord()
    {
        var raised = new List<string>();
        var cut = RenderCard(TestJobs.LlmRefused("j1"), p => p
            .Add(c => c.OnSubmitAgain, r => raised.Add("submit-again:" + r.Id))
            .Add(c => c.OnSubmitWithoutEnhancement, r => raised.Add("submit-without-enhancement:" + r.Id)));

        cut.Find("[data-action=submit-without-enhancement]").Click();

        Assert.Equal(["submit-without-enhancement:j1"], raised);
    }

    [Fact]
    public void SubmitFailed_503WithoutTheLlmField_StillOffersSubmitAgain()
    {
        var busy = TestJobs.Make("j1", JobPhase.SubmitFailed) with
        {
            Error = new JobError { Source = JobErrorSource.Submit, HttpStatus = 503, Message = "The backend is unavailable (HTTP 503): Service Unavailable" },
        };

        var cut = RenderCard(busy);

        Assert.Equal(["submit-again", "remove"], Actions(cut));
    }

    [Fact]
    public void CardMain_Clicked_RaisesSelect()
    {
        JobRecord? selected = null;
        var cut = RenderCard(TestJobs.Make("j1", JobPhase.Queued), p => p.Add(c => c.OnSelect, r => selected = r));

        cut.Find("button.card-main").Click();

        Assert.Equal("j1", selected?.Id);
    }

    [Fact]
    public void Selected_True_MarksTheCardCurrent()
    {
        var cut = RenderCard(TestJobs.Make("j1", JobPhase.Queued), p => p.Add(c => c.Selected, true));

        Assert.Equal("true", cut.Find("button.card-main").GetAttribute("aria-current"));
        Assert.Contains("selected", cut.Find("article").ClassList);
    }

    [Fact]
    public void IconButtons_HaveAccessibleNames()
    {
        var cut = RenderCard(TestJobs.Make("j1", JobPhase.Queued));

        Assert.Equal("Copy job ID", cut.Find("[data-action=copy-id]").GetAttribute("aria-label"));
        Assert.Equal("Remove", cut.Find("[data-action=remove]").GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData(JobPhase.Queued)]
    [InlineData(JobPhase.Running)]
    public void Render_ActiveCard_NestsNoComponentButItsBadges(JobPhase phase)
    {
        var cut = RenderCard(TestJobs.Make("j1", phase) with { ConnectionTrouble = true });

        // Every circuit keeps ~18 cards rendered: their icons and icon buttons are markup, not components (bench scenario 5).
        Assert.Equal(["JobStatusBadges"], cut.FindComponents<Microsoft.AspNetCore.Components.IComponent>().Select(c => c.Instance.GetType().Name));
    }

    [Fact]
    public void IconButtons_HaveTitles()
    {
        var cut = RenderCard(TestJobs.Make("j1", JobPhase.Succeeded));

        Assert.Equal("Copy job ID", cut.Find("[data-action=copy-id]").GetAttribute("title"));
        Assert.Equal("Remove", cut.Find("[data-action=remove]").GetAttribute("title"));
        Assert.Equal("Retry with a new seed", cut.Find("button[data-action=retry-new-seed]").GetAttribute("title"));
    }
}
