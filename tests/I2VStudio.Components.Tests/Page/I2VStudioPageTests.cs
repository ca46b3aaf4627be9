using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Bunit;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Tests.Support;
using Microsoft.AspNetCore.Components.Web;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components.Tests.Page;

public class I2VStudioPageTests : StudioTestContext
{
    private static readonly PickedImage Cat = new("cat.png", "image/png", 123_456, 1280, 720, "blob-cat",
        "data:image/jpeg;base64,AAAA", "blob:http://localhost/cat");

    public I2VStudioPageTests()
    {
        var player = JSInterop.SetupModule(I2VStudio.Components.ResultPanel.ModulePath).SetupModule(i => i.Identifier == "attach");
        player.SetupVoid("swapSource", _ => true).SetVoidResult();
        player.SetupVoid("dispose").SetVoidResult();
    }

    private IRenderedComponent<I2VStudioPage> RenderPage() => Render<I2VStudioPage>();

    private static async Task PickAsync(IRenderedComponent<I2VStudioPage> cut, PickedImageResult result)
    {
        var input = cut.FindComponent<I2VStudio.Components.InputPanel>();
        await cut.InvokeAsync(() => input.Instance.OnImagePicked.InvokeAsync(result));
    }

    private static async Task FillValidFormAsync(IRenderedComponent<I2VStudioPage> cut, string prompt = "a cat walks\nslow dolly in")
    {
        await PickAsync(cut, new PickedImageResult(Cat, null));
        cut.Find("textarea").Input(prompt);
    }

    private static string Reason(IRenderedComponent<I2VStudioPage> cut) => cut.Find("[data-part=generate-reason]").TextContent;

    private static AngleSharp.Dom.IElement Generate(IRenderedComponent<I2VStudioPage> cut) => cut.Find("button[data-action=generate]");

    [Fact]
    public void Title_InEnglish()
    {
        var cut = RenderPage();

        Assert.Equal("I2V Studio", cut.Find("h1").TextContent);
    }

    [Fact]
    public void EmptyForm_GenerateDisabledWithTheReasons()
    {
        var cut = RenderPage();

        Assert.True(Generate(cut).HasAttribute("disabled"));
        Assert.Contains("Choose an image.", Reason(cut), StringComparison.Ordinal);
        Assert.Contains("Enter a prompt.", Reason(cut), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageOnly_GenerateDisabledBecauseOfThePrompt()
    {
        var cut = RenderPage();

        await PickAsync(cut, new PickedImageResult(Cat, null));

        Assert.True(Generate(cut).HasAttribute("disabled"));
        Assert.DoesNotContain("Choose an image.", Reason(cut), StringComparison.Ordinal);
        Assert.Contains("Enter a prompt.", Reason(cut), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSeed_GenerateDisabledWithSeedReason()
    {
        var cut = RenderPage();
        await FillValidFormAsync(cut);

        cut.Find("input[data-field=seed]").Input("-3");

        Assert.True(Generate(cut).HasAttribute("disabled"));
        Assert.Contains("The seed must be a whole number from 0 to 2147483647.", Reason(cut), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidForm_GenerateEnabledWithShortcutHint()
    {
        var cut = RenderPage();

        await FillValidFormAsync(cut);

        Assert.False(Generate(cut).HasAttribute("disabled"));
        Assert.Contains("Ctrl+Enter", Reason(cut), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_Clicked_SubmitsI2VRequestWithInputsAndParams()
    {
        var cut = RenderPage();
        await FillValidFormAsync(cut);
        cut.Find("input[data-field=seed]").Input("42");

        Generate(cut).Click();

        var request = Assert.Single(Tracker.Submitted);
        Assert.Equal("i2v", request.JobType);
        Assert.Equal("a cat walks\nslow dolly in", request.Inputs.Prompt);
        Assert.Equal("blob-cat", request.Inputs.ImageBlobKey);
        Assert.Equal("cat.png", request.Inputs.ImageName);
        Assert.Equal(1280, request.Inputs.ImageWidth);
        Assert.Equal("data:image/jpeg;base64,AAAA", request.Inputs.ThumbnailDataUrl);
        Assert.Equal(new I2VParams { Seed = 42, NumSteps = 4, Quantized = true }, I2VParams.FromJson(request.Params));
    }

    [Fact]
    public async Task Generate_Clicked_FormKeptAndNewJobSelected()
    {
        var cut = RenderPage();
        await FillValidFormAsync(cut);

        Generate(cut).Click();

        Assert.Equal("a cat walks\nslow dolly in", cut.Find("textarea").TextContent);
        Assert.Equal("blob:http://localhost/cat", cut.Find("img.preview").GetAttribute("src"));
        Assert.Equal("new-1", cut.Find("article.job-card.selected").GetAttribute("data-job"));
        Assert.Contains("a cat walks", cut.Find(".result-title").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_OffersALinkToTheResultForNarrowScreens()
    {
        var cut = RenderPage();
        Assert.Empty(cut.FindAll("[data-part=jump-to-result]"));
        await FillValidFormAsync(cut);

        Generate(cut).Click();

        var href = cut.Find("[data-part=jump-to-result]").GetAttribute("href")!;
        Assert.StartsWith("http://localhost/#i2v-result-", href, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("#" + href.Split('#')[1]));
    }

    [Fact]
    public async Task CtrlEnter_ValidForm_Submits()
    {
        var cut = RenderPage();
        await FillValidFormAsync(cut);

        cut.Find(".i2v-studio").KeyDown(new KeyboardEventArgs { Key = "Enter", CtrlKey = true });

        Assert.Single(Tracker.Submitted);
    }

    [Fact]
    public async Task CtrlEnter_InvalidForm_ShowsValidationWithoutSubmitting()
    {
        var cut = RenderPage();
        await PickAsync(cut, new PickedImageResult(Cat, null));

        cut.Find(".i2v-studio").KeyDown(new KeyboardEventArgs { Key = "Enter", CtrlKey = true });

        Assert.Empty(Tracker.Submitted);
        Assert.Contains("Enter a prompt.", cut.Find("[data-param=prompt]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoubleClick_WhileSubmitting_MakesOneJobAndDisablesTheButton()
    {
        Tracker.SubmitGate = new TaskCompletionSource();
        var cut = RenderPage();
        await FillValidFormAsync(cut);

        Generate(cut).Click();
        cut.Find(".i2v-studio").KeyDown(new KeyboardEventArgs { Key = "Enter", CtrlKey = true });

        Assert.Single(Tracker.Submitted);
        Assert.True(Generate(cut).HasAttribute("disabled"));
        Assert.Contains("Submitting…", Generate(cut).TextContent, StringComparison.Ordinal);
        Assert.Equal("new-1", cut.Find("article.job-card.selected").GetAttribute("data-job"));
        await cut.InvokeAsync(() => Tracker.SubmitGate.SetResult());
        Assert.False(Generate(cut).HasAttribute("disabled"));
    }

    [Fact]
    public async Task FirstSubmit_AsksNotificationPermissionOnceOnly()
    {
        var cut = RenderPage();
        Assert.Empty(ActionsModule.Invocations["requestNotificationPermission"]);
        await FillValidFormAsync(cut);

        Generate(cut).Click();
        Generate(cut).Click();

        Assert.Equal(2, Tracker.Submitted.Count);
        Assert.Single(ActionsModule.Invocations["requestNotificationPermission"]);
    }

    [Fact]
    public async Task Submit_AddsThePromptToHistory()
    {
        var cut = RenderPage();
        await FillValidFormAsync(cut, "a dog runs");

        Generate(cut).Click();

        var written = StorageModule.Invocations["setItem"].Last(i => (string)i.Arguments[0]! == "i2v.prompts.v1");
        Assert.Equal(["a dog runs"], JsonSerializer.Deserialize<string[]>((string)written.Arguments[1]!)!);
    }

    [Fact]
    public async Task SubmitFailedWith422_ItemsPlacedOnTheFieldsTheyName()
    {
        Tracker.SubmitError = new JobError
        {
            Message = "The backend refused the request.",
            Source = JobErrorSource.Submit,
            HttpStatus = 422,
            FieldProblems = TestJobs.Problems(("seed", "Input should be a valid integer"), ("prompt", "String should have at most 8000 characters")),
        };
        var cut = RenderPage();
        await FillValidFormAsync(cut);

        Generate(cut).Click();

        Assert.Contains("Server: Input should be a valid integer", cut.Find("[data-param=seed]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Server: String should have at most 8000 characters", cut.Find("[data-param=prompt]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("article.job-card.selected li[data-field=seed]"));
        Assert.Equal("a cat walks\nslow dolly in", cut.Find("textarea").TextContent);
    }

    [Fact]
    public async Task RefusedImage_AfterAGoodOne_KeepsTheGoodOneAndShowsWhy()
    {
        var cut = RenderPage();
        await PickAsync(cut, new PickedImageResult(Cat, null));

        await PickAsync(cut, new PickedImageResult(null, new ImageProblem(ImageProblemKind.Empty, "zero.png", 0, null, null, new ImageLimits())));

        Assert.Equal("blob:http://localhost/cat", cut.Find("img.preview").GetAttribute("src"));
        Assert.Contains("zero.png: The file is empty.", cut.Find("[data-part=image-problem]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithStoredJobs_SelectsTheNewestAndMarksItSeen()
    {
        Tracker.Records.AddRange([TestJobs.Make("b", JobPhase.Succeeded, 2), TestJobs.Make("a", JobPhase.Failed, 1)]);

        var cut = RenderPage();

        Assert.Equal("b", cut.Find("article.job-card.selected").GetAttribute("data-job"));
        Assert.Equal(["b"], Tracker.MarkedSeen);
        Assert.NotNull(cut.Find("video"));
    }

    [Fact]
    public async Task SelectedJobRemovedElsewhere_ResultShowsEmptyState()
    {
        Tracker.Records.Add(TestJobs.Make("b", JobPhase.Succeeded));
        var cut = RenderPage();

        await cut.InvokeAsync(() => Tracker.RemoveAsync("b", Ct));

        Assert.NotNull(cut.Find("[data-part=result-empty]"));
    }

    [Fact]
    public void ResultPanelRetry_RetriesAndSelectsTheNewJob()
    {
        Tracker.Records.Add(TestJobs.Make("f", JobPhase.Failed));
        var cut = RenderPage();

        cut.Find(".result-panel [data-action=retry-new-seed]").Click();

        Assert.Equal([("f", (long?)1001)], Tracker.Retries);
        Assert.StartsWith("retry-", cut.Find("article.job-card.selected").GetAttribute("data-job"), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrackerInitializedOnceAndSubscribedOnceForTheJobs()
    {
        RenderPage();

        Assert.Equal(1, Tracker.InitializeCalls);
        // The jobs state (the page's panels' one source) and the notifications; the panels themselves none.
        Assert.Equal(2, Tracker.ActiveSubscriptions);
    }

    [Fact]
    public void TrackById_FromTheList_AdoptedSelectedAndTheFieldEmptied()
    {
        var cut = RenderPage();
        cut.Find("input[data-field=track-job-id]").Input(" abc ");

        cut.Find("form.track-row").Submit();

        Assert.Equal([("abc", "i2v")], Tracker.Adopted);
        Assert.StartsWith("adopted-", cut.Find("article.job-card.selected").GetAttribute("data-job"), StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(cut.Find("input[data-field=track-job-id]").GetAttribute("value")));
    }

    [Fact]
    public void TrackById_Refused_ReasonAtTheFieldAndTheIdKept()
    {
        Tracker.AdoptError = new InvalidOperationException("This job is already in the list.");
        var cut = RenderPage();
        cut.Find("input[data-field=track-job-id]").Input("abc");

        cut.Find("form.track-row").Submit();

        Assert.Contains("This job is already in the list.", cut.Find(".track-row").TextContent, StringComparison.Ordinal);
        Assert.Equal("abc", cut.Find("input[data-field=track-job-id]").GetAttribute("value"));
    }

    [Fact]
    public async Task TrackerChange_NewJobFromAnotherTab_ListedAtOnce()
    {
        var cut = RenderPage();

        await cut.InvokeAsync(() => Tracker.AddAsync(TestJobs.Make("elsewhere", JobPhase.Queued)));

        Assert.NotNull(cut.Find("article.job-card[data-job=elsewhere]"));
    }

    [Fact]
    public void ListCardRetry_RetriesAndSelectsTheNewJob()
    {
        Tracker.Records.Add(TestJobs.Make("f", JobPhase.Failed));
        var cut = RenderPage();

        cut.Find("article.job-card[data-job=f] [data-action=retry]").Click();

        Assert.Equal([("f", (long?)null)], Tracker.Retries);
        Assert.StartsWith("retry-", cut.Find("article.job-card.selected").GetAttribute("data-job"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_Page_EverySubscriptionReleased()
    {
        RenderPage();
        Assert.Equal(2, Tracker.ActiveSubscriptions);

        await DisposeComponentsAsync();

        Assert.Equal(0, Tracker.ActiveSubscriptions);
    }

    private const string BlobsModulePath = "./_content/I2VStudio.Components/js/blobs.js";

    private void StoreDraft(string json) =>
        StorageModule.Setup<Microsoft.JSInterop.IJSStreamReference>("getItemData", I2VStudio.Components.Storage.FormDraftStore.Key)
            .SetResult(FakeJSStream.Text(json));

    private const string CatDraft = """
        {"v":1,"prompt":"a cat walks\nslow dolly in","numSteps":2,"seed":"77","quantized":false,
         "image":{"fileName":"cat.png","contentType":"image/png","size":123456,"width":1280,"height":720,"blobKey":"blob-cat",
                  "thumbnailDataUrl":"data:image/jpeg;base64,AAAA"}}
        """;

    [Fact]
    public void Reload_StoredDraftWithImageStillInIndexedDb_PromptParamsAndImageRestored()
    {
        StoreDraft(CatDraft);
        JSInterop.SetupModule(BlobsModulePath).Setup<string?>("previewUrl", "blob-cat", 1280, 720).SetResult("blob:http://localhost/cat-again");

        var cut = RenderPage();

        var form = cut.FindComponent<I2VStudio.Components.ParamsPanel>().Instance;
        Assert.Equal("a cat walks\nslow dolly in", cut.Find("textarea").TextContent);
        Assert.Equal((2, "77", false), (form.NumSteps, form.SeedText, form.Quantized));
        Assert.Equal("blob:http://localhost/cat-again", cut.Find("img.preview").GetAttribute("src"));
        Assert.False(Generate(cut).HasAttribute("disabled"));
    }

    /// <summary>The server's arrangement: upload slots and a staging folder (the browser has neither).</summary>
    private void OnTheServer()
    {
        Services.AddSingleton<I2VStudio.Components.Browser.IUploadSlots>(
            new I2VStudio.Components.Browser.InMemoryUploadSlots(Clock, Microsoft.Extensions.Options.Options.Create(new ImageLimits())));
        var folder = Path.Combine(Path.GetTempPath(), "i2v-page-tests-" + Guid.NewGuid().ToString("N"));
        Services.AddSingleton(new I2VStudio.Components.Browser.StagedImageFolder(folder, Clock));
        _stagingFolders.Add(folder);
    }

    private readonly List<string> _stagingFolders = [];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) foreach (var folder in _stagingFolders) if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task PickImage_StartsItsCopyToTheHost()
    {
        OnTheServer();
        // The copy ahead of the submission (BrowserBlobStore.Stage): the browser is asked to upload the picked image now.
        var send = JSInterop.SetupModule(BlobsModulePath).Setup<int>("send", i => Equals(i.Arguments[0], "blob-cat"));
        var cut = RenderPage();

        await PickAsync(cut, new PickedImageResult(Cat, null));

        Assert.Single(send.Invocations);
    }

    [Fact]
    public void Reload_DraftImageStillStored_StartsItsCopyToTheHost()
    {
        OnTheServer();
        StoreDraft(CatDraft);
        var blobs = JSInterop.SetupModule(BlobsModulePath);
        blobs.Setup<string?>("previewUrl", "blob-cat", 1280, 720).SetResult("blob:http://localhost/cat-again");
        var send = blobs.Setup<int>("send", i => Equals(i.Arguments[0], "blob-cat"));

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Single(send.Invocations));
    }

    [Fact]
    public void Reload_DraftImageEvicted_PromptRestoredWithoutImageOrError()
    {
        StoreDraft(CatDraft);
        JSInterop.SetupModule(BlobsModulePath).Setup<string?>("previewUrl", "blob-cat", 1280, 720).SetResult(null);

        var cut = RenderPage();

        Assert.Equal("a cat walks\nslow dolly in", cut.Find("textarea").TextContent);
        Assert.Empty(cut.FindAll("img.preview"));
        Assert.Empty(cut.FindAll("[data-part=image-problem]"));
        Assert.Contains("Choose an image.", Reason(cut), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"v":99,"prompt":"from the future"}""")]
    [InlineData("""{"v":1,"prompt":"odd steps","numSteps":9}""")]
    public void Reload_CorruptOrOtherVersionDraft_FormUsableWithSafeValues(string json)
    {
        StoreDraft(json);

        var cut = RenderPage();

        Assert.Equal(4, cut.FindComponent<I2VStudio.Components.ParamsPanel>().Instance.NumSteps);
        Assert.DoesNotContain("from the future", cut.Find("textarea").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormChanged_DraftSavedUnderTheVersionedKeyWithTheImageKey()
    {
        var cut = RenderPage();

        await FillValidFormAsync(cut, "a dog runs");

        var written = StorageModule.Invocations["setItem"].Last(i => (string)i.Arguments[0]! == "i2v.draft.v1");
        using var draft = JsonDocument.Parse((string)written.Arguments[1]!);
        Assert.Equal(1, draft.RootElement.GetProperty("v").GetInt32());
        Assert.Equal("a dog runs", draft.RootElement.GetProperty("prompt").GetString());
        Assert.Equal("blob-cat", draft.RootElement.GetProperty("image").GetProperty("blobKey").GetString());
    }

    [Fact]
    public async Task CtrlEnter_WhileSubmitting_SaysAlreadySubmittingAndMakesNoSecondJob()
    {
        Tracker.SubmitGate = new TaskCompletionSource();
        var cut = RenderPage();
        await FillValidFormAsync(cut);
        Generate(cut).Click();
        Assert.Empty(cut.FindAll("[data-part=already-submitting]"));

        cut.Find(".i2v-studio").KeyDown(new KeyboardEventArgs { Key = "Enter", CtrlKey = true });

        Assert.Single(Tracker.Submitted);
        var notice = cut.Find("[data-part=already-submitting]");
        Assert.Equal("Already submitting — one moment.", notice.TextContent);
        Assert.Equal("status", notice.GetAttribute("role"));
        await cut.InvokeAsync(() => Tracker.SubmitGate.SetResult());
        Assert.Empty(cut.FindAll("[data-part=already-submitting]"));
    }
}
