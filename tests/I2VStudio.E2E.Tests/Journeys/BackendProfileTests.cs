using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>A job from Generate to a playing video on the legacy API, TurboDiffusion:Profile=Legacy.</summary>
public sealed class LegacyProfileTests(BrowserFixture browser, LegacyProfileFixture studio)
    : StudioTest<LegacyProfileFixture>(browser, studio), IClassFixture<LegacyProfileFixture>
{
    [Fact]
    public async Task Generate_LegacyProfile_CompletesWithTheDbBadgeAndNoNewInputs()
    {
        await Ui.OpenAsync();
        await Expect(Page.GetByTestId("backend-chip")).ToHaveAttributeAsync("data-profile", "Legacy");
        await Ui.PickPngAsync("harbour.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("Boats rocking in the harbour");

        var card = await Ui.GenerateAsync();

        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        await Expect(StudioPage.DbBadge(card)).ToHaveAttributeAsync("data-state", "SUCCEEDED");
        await Ui.WaitForPlayableVideoAsync();
        await Expect(Page.GetByLabel("Duration (seconds)")).ToHaveCountAsync(0);
        await Expect(Page.GetByLabel("Enhance prompt with AI")).ToHaveCountAsync(0);
    }
}

/// <summary>The current API (/v1/videogen), TurboDiffusion:Profile=VideoGen: duration, prompt enhancement and its 503.</summary>
public sealed class VideoGenProfileTests(BrowserFixture browser, VideoGenProfileFixture studio)
    : StudioTest<VideoGenProfileFixture>(browser, studio), IClassFixture<VideoGenProfileFixture>
{
    [Fact]
    public async Task Generate_VideoGenWithDurationAndEnhancement_CompletesWithOneStatusAndTheChosenLength()
    {
        await Ui.OpenAsync();
        await Expect(Page.GetByTestId("backend-chip")).ToHaveAttributeAsync("data-profile", "VideoGen");
        await Ui.PickPngAsync("meadow.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("Wind over a meadow");
        await Page.GetByLabel("Duration (seconds)").FillAsync("2");
        await Page.GetByLabel("Enhance prompt with AI").CheckAsync();

        var card = await Ui.GenerateAsync();

        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        await Expect(card).ToContainTextAsync("Done");
        await Expect(StudioPage.DbBadge(card)).ToHaveCountAsync(0);
        var video = await Ui.WaitForPlayableVideoAsync();
        Assert.InRange(video.Duration, 1.9, 2.2); // 32 frames at 16 fps
        Assert.StartsWith(Emulator.StorageBaseUri.GetLeftPart(UriPartial.Authority), video.Src, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_LlmUnavailable_ErrorAtTheSwitchThenSubmitWithoutEnhancementCompletes()
    {
        Emulator.Faults.Update(f => f with { LlmUnavailable = true });
        await Ui.OpenAsync();
        await Ui.PickPngAsync("forest.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("Fog drifting through a forest");
        await Page.GetByLabel("Enhance prompt with AI").CheckAsync();

        await Ui.GenerateAsync();

        var switchArea = Page.Locator("[data-param=enhance_prompt]");
        await Expect(switchArea.GetByRole(AriaRole.Alert)).ToContainTextAsync("LLM prompt enhancement unavailable");
        await KeepScreenshotAsync("llm-unavailable");
        await switchArea.GetByRole(AriaRole.Button, new() { Name = "Submit without enhancement" }).ClickAsync();

        await Expect(Ui.Cards).ToHaveCountAsync(2);
        await StudioPage.ExpectCeleryAsync(Ui.Cards.First, "SUCCESS", timeout: Timeouts.Job);
        await Expect(Page.GetByLabel("Enhance prompt with AI")).Not.ToBeCheckedAsync();
    }
}

/// <summary>The studio on its default, TurboDiffusion:Profile=Auto, against the current API: detected, then a job completes.</summary>
public sealed class AutoProfileTests(BrowserFixture browser, AutoOnVideoGenFixture studio)
    : StudioTest<AutoOnVideoGenFixture>(browser, studio), IClassFixture<AutoOnVideoGenFixture>
{
    [Fact]
    public async Task Generate_AutoAgainstVideoGen_DetectsItAndCompletes()
    {
        await Ui.OpenAsync();
        await Expect(Page.GetByTestId("backend-chip")).ToHaveAttributeAsync("data-profile", "VideoGen");
        await Ui.PickPngAsync("dunes.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("Sand blowing over dunes");

        var card = await Ui.GenerateAsync();

        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        await Expect(StudioPage.DbBadge(card)).ToHaveCountAsync(0);
        var video = await Ui.WaitForPlayableVideoAsync();
        Assert.InRange(video.Duration, 4.9, 5.2); // the default 5 s: 80 frames at 16 fps

        await Page.GetByRole(AriaRole.Link, new() { Name = "Diagnostics" }).ClickAsync();
        await Expect(Page.GetByTestId("diag-api-profile")).ToHaveAttributeAsync("data-profile", "VideoGen");
        await Expect(Page.GetByTestId("diag-lost-detection")).ToContainTextAsync("Lost detection is off");
        await Expect(Page.Locator("[data-capability=llm]")).ToHaveAttributeAsync("data-status", "available");
    }
}

/// <summary>/tools/i2v in Chinese after the LLM's 503: the backend's words once, at the switch; the refused job's card
/// and the result panel offer "Submit without enhancement" as their main action and no Submit again, which the LLM would
/// refuse the same way.</summary>
public sealed class VideoGenLlmChineseTests(BrowserFixture browser, VideoGenProfileFixture studio)
    : StudioTest<VideoGenProfileFixture>(browser, studio), IClassFixture<VideoGenProfileFixture>
{
    private const string LlmText = "LLM prompt enhancement unavailable";

    protected override string Locale => "zh-CN";

    [Fact]
    public async Task Generate_LlmUnavailableInChinese_CardAndResultOfferSubmitWithoutEnhancementOnce()
    {
        Emulator.Faults.Update(f => f with { LlmUnavailable = true });
        await Ui.OpenAsync();
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Page.Locator("button.drop-zone").ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "雾林.png", MimeType = "image/png", Buffer = TestImages.Png(320, 240) });
        await Expect(Page.Locator("[data-part=image-pixels]")).ToHaveTextAsync("320 × 240 px");
        await Page.Locator(".input-panel textarea").FillAsync("雾气在林间流动");
        var enhance = Page.GetByLabel("用 AI 优化提示词");
        await enhance.CheckAsync();

        await Page.Locator("button[data-action=generate]").ClickAsync();

        var cards = Page.Locator(".job-list article.job-card");
        var result = Page.Locator("section.result-panel");
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(cards.First).ToHaveAttributeAsync("data-phase", "SubmitFailed");
        // The backend's words once, at the switch they name; the card has one short line in the user's language.
        await Expect(Page.Locator("[data-param=enhance_prompt]").GetByRole(AriaRole.Alert)).ToContainTextAsync(LlmText);
        await Expect(Page.GetByText(LlmText)).ToHaveCountAsync(1);
        await Expect(cards.First.Locator("[data-part=llm-refused]")).ToHaveTextAsync("AI 提示词优化暂不可用。");
        // No Submit again anywhere; the card's and the result's main action is Submit without enhancement.
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "重新提交", Exact = true })).ToHaveCountAsync(0);
        var cardOffer = cards.First.GetByRole(AriaRole.Button, new() { Name = "不优化直接提交", Exact = true });
        var resultOffer = result.GetByRole(AriaRole.Button, new() { Name = "不优化直接提交", Exact = true });
        await Expect(cardOffer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
        await Expect(resultOffer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
        await KeepScreenshotAsync("llm-refused-zh");

        await cardOffer.ClickAsync();

        // One click, one job: that job again without enhancement, which the LLM fault does not touch, and it completes.
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(cards.First).ToHaveAttributeAsync("data-phase", "Succeeded", new() { Timeout = Timeouts.Job });
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(cards.Nth(1)).ToHaveAttributeAsync("data-phase", "SubmitFailed");
        await Expect(enhance).Not.ToBeCheckedAsync();
        await Expect(Page.GetByText(LlmText)).ToHaveCountAsync(0); // the refused job is no longer the selected one
        await Expect(result.Locator("video")).ToBeVisibleAsync();
        await KeepScreenshotAsync("llm-refused-zh-after");
    }
}
