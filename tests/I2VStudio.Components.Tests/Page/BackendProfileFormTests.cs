using Bunit;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Tests.Support;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components.Tests.Page;

/// <summary>The form's inputs per backend: duration and prompt enhancement on VideoGen only, and the LLM's 503 at its switch.</summary>
public class BackendProfileFormTests : StudioTestContext
{
    private static readonly PickedImage Cat = new("cat.png", "image/png", 123_456, 1280, 720, "blob-cat",
        "data:image/jpeg;base64,AAAA", "blob:http://localhost/cat");

    private const string LlmDown = "LLM prompt enhancement unavailable: connection refused";

    public BackendProfileFormTests()
    {
        var player = JSInterop.SetupModule(I2VStudio.Components.ResultPanel.ModulePath).SetupModule(i => i.Identifier == "attach");
        player.SetupVoid("swapSource", _ => true).SetVoidResult();
        player.SetupVoid("dispose").SetVoidResult();
    }

    private void VideoGen(bool llm)
    {
        Profiles.Profile = BackendProfile.VideoGen;
        Api.Capabilities = () => new CapabilitiesResponse
        {
            Capabilities = new Dictionary<string, CapabilityStatus>
            {
                ["llm"] = new() { Provider = "openai", Status = llm ? "available" : "unavailable" },
                ["videogen"] = new() { Provider = "local", Status = "available" },
            },
        };
    }

    private static async Task FillAsync(IRenderedComponent<I2VStudioPage> cut)
    {
        var input = cut.FindComponent<I2VStudio.Components.InputPanel>();
        await cut.InvokeAsync(() => input.Instance.OnImagePicked.InvokeAsync(new PickedImageResult(Cat, null)));
        cut.Find("textarea").Input("a cat walks");
    }

    [Fact]
    public void Legacy_Form_HasNoDurationAndNoEnhancement()
    {
        var cut = Render<I2VStudioPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=quantized]")));
        Assert.Empty(cut.FindAll("[data-param=duration_seconds]"));
        Assert.Empty(cut.FindAll("[data-param=enhance_prompt]"));
    }

    [Fact]
    public async Task VideoGenWithLlm_Generate_SendsDurationAndEnhancement()
    {
        VideoGen(llm: true);
        var cut = Render<I2VStudioPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=enhance_prompt]")));
        await FillAsync(cut);

        cut.Find("input[data-field=enhance_prompt]").Change(true);
        cut.Find("button[data-action=generate]").Click();

        var parameters = I2VParams.FromJson(Assert.Single(Tracker.Submitted).Params);
        Assert.Equal(5.0, parameters.DurationSeconds);
        Assert.True(parameters.EnhancePrompt);
    }

    [Fact]
    public void Reload_DraftWithDurationAndEnhancement_BothRestored()
    {
        VideoGen(llm: true);
        StorageModule.Setup<Microsoft.JSInterop.IJSStreamReference>("getItemData", I2VStudio.Components.Storage.FormDraftStore.Key)
            .SetResult(FakeJSStream.Text("""{"v":1,"prompt":"a cat walks","durationSeconds":7.5,"enhancePrompt":true}"""));

        var cut = Render<I2VStudioPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=enhance_prompt]")));
        Assert.Equal("7.5", cut.Find("[data-param=duration_seconds] input").GetAttribute("value"));
        Assert.True(cut.Find("input[data-field=enhance_prompt]").HasAttribute("checked"));
    }

    [Fact]
    public void Reload_DraftDurationOffTheGrid_KeepsTheDefault()
    {
        VideoGen(llm: false);
        StorageModule.Setup<Microsoft.JSInterop.IJSStreamReference>("getItemData", I2VStudio.Components.Storage.FormDraftStore.Key)
            .SetResult(FakeJSStream.Text("""{"v":1,"prompt":"a cat walks","durationSeconds":99}"""));

        var cut = Render<I2VStudioPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=duration_seconds]")));
        Assert.Equal("5.0", cut.Find("[data-param=duration_seconds] input").GetAttribute("value"));
    }

    [Fact]
    public async Task DurationAndEnhancementChanged_SavedInTheDraft()
    {
        VideoGen(llm: true);
        var cut = Render<I2VStudioPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=enhance_prompt]")));
        await FillAsync(cut);

        cut.Find("[data-param=duration_seconds] input").Change("3.5");
        cut.Find("input[data-field=enhance_prompt]").Change(true);

        var written = StorageModule.Invocations["setItem"].Last(i => (string)i.Arguments[0]! == I2VStudio.Components.Storage.FormDraftStore.Key);
        using var draft = System.Text.Json.JsonDocument.Parse((string)written.Arguments[1]!);
        Assert.Equal(3.5, draft.RootElement.GetProperty("durationSeconds").GetDouble());
        Assert.True(draft.RootElement.GetProperty("enhancePrompt").GetBoolean());
    }

    [Fact]
    public void VideoGenWithoutLlm_Form_OffersDurationButNoEnhancement()
    {
        VideoGen(llm: false);

        var cut = Render<I2VStudioPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=duration_seconds]")));
        Assert.Empty(cut.FindAll("[data-param=enhance_prompt]"));
    }

    [Fact]
    public async Task VideoGen_DurationOffTheHalfSecondGrid_BlocksGenerateWithTheRule()
    {
        VideoGen(llm: false);
        var cut = Render<I2VStudioPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=duration_seconds]")));
        await FillAsync(cut);

        cut.Find("[data-param=duration_seconds] input").Change("5.2");

        Assert.True(cut.Find("button[data-action=generate]").HasAttribute("disabled"));
        Assert.Contains("Duration must be from 0.5 to 10 seconds, in 0.5 s steps.", cut.Find("[data-part=generate-reason]").TextContent, StringComparison.Ordinal);
    }

    /// <summary>The page on VideoGen with the LLM listed as available, the form filled with Enhance prompt on, and the
    /// tracker set to refuse the next submission as the backend's LLM does (503 at the enhance_prompt field).</summary>
    private async Task<IRenderedComponent<I2VStudioPage>> FilledWithTheLlmRefusingAsync()
    {
        VideoGen(llm: true);
        var cut = Render<I2VStudioPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=enhance_prompt]")));
        await FillAsync(cut);
        cut.Find("input[data-field=enhance_prompt]").Change(true);
        Tracker.SubmitError = new JobError
        {
            Source = JobErrorSource.Submit, HttpStatus = 503, Message = LlmDown, FieldProblems = TestJobs.Problems(("enhance_prompt", LlmDown)),
        };
        return cut;
    }

    [Fact]
    public async Task LlmUnavailable503_ShownAtTheSwitch_SubmitWithoutEnhancementSendsItOff()
    {
        var cut = await FilledWithTheLlmRefusingAsync();
        cut.Find("button[data-action=generate]").Click();
        cut.WaitForAssertion(() => Assert.Contains(LlmDown, cut.Find("[data-part=enhance-error]").TextContent, StringComparison.Ordinal));

        Tracker.SubmitError = null;
        cut.Find("button[data-action=submit-without-enhancement]").Click();

        Assert.Equal(2, Tracker.Submitted.Count);
        Assert.True(I2VParams.FromJson(Tracker.Submitted[0].Params).EnhancePrompt);
        Assert.False(I2VParams.FromJson(Tracker.Submitted[1].Params).EnhancePrompt);
    }

    [Theory]
    [InlineData(".job-card")]
    [InlineData(".result-panel")]
    public async Task LlmRefusedJob_ItsOwnOffer_SendsThatJobsInputsWithoutEnhancementAndTurnsTheSwitchOff(string where)
    {
        var cut = await FilledWithTheLlmRefusingAsync();
        cut.Find("button[data-action=generate]").Click();
        cut.WaitForAssertion(() => Assert.Contains(LlmDown, cut.Find("[data-part=enhance-error]").TextContent, StringComparison.Ordinal));
        cut.Find("textarea").Input("a dog runs"); // the form moves on; the refused job keeps its own inputs
        Tracker.SubmitError = null;

        cut.Find($"{where} [data-action=submit-without-enhancement]").Click();

        Assert.Equal(2, Tracker.Submitted.Count);
        Assert.Equal("a cat walks", Tracker.Submitted[1].Inputs.Prompt);
        Assert.Equal(I2VParams.FromJson(Tracker.Submitted[0].Params) with { EnhancePrompt = false }, I2VParams.FromJson(Tracker.Submitted[1].Params));
        cut.WaitForAssertion(() => Assert.False(cut.Find("input[data-field=enhance_prompt]").HasAttribute("checked")));
        Assert.Empty(cut.FindAll("[data-part=enhance-error]")); // the new job is selected
    }

    [Fact]
    public async Task LlmRefusedJob_Page_SaysItOnceAtTheSwitchAndOffersNoSubmitAgain()
    {
        var cut = await FilledWithTheLlmRefusingAsync();

        cut.Find("button[data-action=generate]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".job-card")));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(cut.Markup, "LLM prompt enhancement unavailable"));
        Assert.Contains(LlmDown, cut.Find("[data-param=enhance_prompt] [data-part=enhance-error]").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll(".job-card [data-part=llm-refused]"));
        Assert.Empty(cut.FindAll("[data-action=submit-again]"));
        Assert.Single(cut.FindAll(".job-card [data-action=submit-without-enhancement]"));
        Assert.Single(cut.FindAll(".result-panel [data-action=submit-without-enhancement]"));
    }

    [Fact]
    public async Task VideoGen_QueuedJob_SaysWhyItIsNeverCalledLost()
    {
        VideoGen(llm: false);
        var cut = Render<I2VStudioPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=duration_seconds]")));
        await FillAsync(cut);

        cut.Find("button[data-action=generate]").Click();

        cut.WaitForAssertion(() => Assert.Contains("cannot tell a lost job", cut.Find("[data-part=no-lost-detection]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Legacy_QueuedJob_HasNoSuchNote()
    {
        var cut = Render<I2VStudioPage>();
        await FillAsync(cut);

        cut.Find("button[data-action=generate]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-part=waiting]")));
        Assert.Empty(cut.FindAll("[data-part=no-lost-detection]"));
    }

    [Fact]
    public void BackendUnreachable_FormOffersWhatEveryBackendTakes()
    {
        Profiles.Failure = new TurboDiffusionApiException(ApiFailureKind.Network, "Cannot reach the backend");

        var cut = Render<I2VStudioPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=quantized]")));
        Assert.Empty(cut.FindAll("[data-param=duration_seconds]"));
    }
}
