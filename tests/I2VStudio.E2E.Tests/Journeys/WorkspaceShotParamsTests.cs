using I2VStudio.E2E.Tests.Infrastructure;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>The shot editor's Duration and Enhance prompt: shown under /tools/i2v's conditions (VideoGen; the LLM
/// available), inheriting the project's default, checked with the I2V form's message, and sent with the take.</summary>
public sealed class WorkspaceShotParamsTests(BrowserFixture browser, VideoGenProfileFixture studio)
    : StudioTest<VideoGenProfileFixture>(browser, studio), IClassFixture<VideoGenProfileFixture>
{
    [Fact]
    public async Task ShotEditor_VideoGen_DurationInheritsRefusesOutOfRangeAndIsSentWithTheTake()
    {
        await Studio.HostServices.GetRequiredService<I2VStudio.Workspace.Assets.AssetStore>()
            .AddFileAsync(new MemoryStream(TestImages.Png(200, 120)), "duration.png", Ct);
        var shotId = await WorkspaceShotParams.OpenShotAsync(Studio, Page, Ui, "Duration journey", defaultSeconds: 6);
        await Expect(Page.Locator("[data-testid='shot-page'][data-profile='VideoGen']")).ToBeVisibleAsync();
        var duration = Page.Locator("[data-param='duration_seconds'] input");

        await Expect(duration).ToHaveValueAsync("6.0");
        await Expect(Page.GetByTestId("inherited-defaults")).ToContainTextAsync("Project default: 6 s");
        await Expect(Page.Locator("[data-param='enhance_prompt']")).ToBeVisibleAsync();

        await duration.FillAsync("7.3");
        await duration.BlurAsync();
        await Page.GetByTestId("save-shot").ClickAsync();
        await Expect(Page.GetByText("Duration must be from 0.5 to 10 seconds, in 0.5 s steps.").First).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Use duration.png" }).ClickAsync();
        await duration.FillAsync("7.5");
        await duration.BlurAsync();
        await Page.GetByTestId("generate-take").ClickAsync();
        await Expect(Page.GetByTestId("take-item")).ToHaveCountAsync(1);

        await using var db = await Studio.HostServices.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>().CreateDbContextAsync(Ct);
        // This shot's take: the class's other journeys make takes of the same text.
        var take = await db.Takes.AsNoTracking().SingleAsync(t => t.ShotId == shotId, Ct);
        Assert.Equal("雨夜很长。", take.PromptSent);
        Assert.Equal(7.5, take.DurationSeconds);
        Assert.Equal(7.5, (await db.Shots.AsNoTracking().SingleAsync(s => s.Id == take.ShotId, Ct)).DurationOverride);
    }

    [Fact]
    public async Task ShotEditor_LlmUnavailable_ErrorAtTheSwitchThenTheTakeCardSendsItWithoutEnhancement()
    {
        Emulator.Faults.Update(f => f with { LlmUnavailable = true });
        await Studio.HostServices.GetRequiredService<I2VStudio.Workspace.Assets.AssetStore>()
            .AddFileAsync(new MemoryStream(TestImages.Png(208, 120)), "llm.png", Ct); // its own bytes: the store keeps one copy per content
        await WorkspaceShotParams.OpenShotAsync(Studio, Page, Ui, "LLM journey", defaultSeconds: 2);
        await Expect(Page.Locator("[data-testid='shot-page'][data-profile='VideoGen']")).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Use llm.png" }).ClickAsync();
        await Page.GetByLabel("Enhance prompt with AI").CheckAsync();

        await Page.GetByTestId("generate-take").ClickAsync();

        var switchArea = Page.Locator("[data-param=enhance_prompt]");
        await Expect(switchArea.GetByRole(AriaRole.Alert)).ToContainTextAsync("LLM prompt enhancement unavailable");
        await KeepScreenshotAsync("llm-unavailable");
        // One way out on the page, the refused take's own: the switch says what the backend said and offers nothing.
        var offer = Page.GetByRole(AriaRole.Button, new() { Name = "Submit without enhancement" });
        await Expect(offer).ToHaveCountAsync(1);
        await Expect(switchArea.GetByRole(AriaRole.Button, new() { Name = "Submit without enhancement" })).ToHaveCountAsync(0);
        var takes = Page.GetByTestId("take-item");
        await takes.First.GetByRole(AriaRole.Button, new() { Name = "Submit without enhancement" }).ClickAsync();

        await Expect(takes).ToHaveCountAsync(2);
        await Expect(takes.First).ToHaveAttributeAsync("data-captured", "true", new() { Timeout = Timeouts.Job });
        await Expect(switchArea.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Expect(Page.GetByLabel("Enhance prompt with AI")).Not.ToBeCheckedAsync();
    }
}

/// <summary>The shot editor in Chinese after the LLM's 503: one message, and the refused take's way out is its main
/// action (no plain retry that the LLM would refuse again).</summary>
public sealed class WorkspaceShotLlmChineseTests(BrowserFixture browser, VideoGenProfileFixture studio)
    : StudioTest<VideoGenProfileFixture>(browser, studio), IClassFixture<VideoGenProfileFixture>
{
    protected override string Locale => "zh-CN";

    [Fact]
    public async Task ShotEditor_LlmUnavailableInChinese_TakeCardSaysItOnceAndSubmitsWithoutEnhancement()
    {
        Emulator.Faults.Update(f => f with { LlmUnavailable = true });
        var projects = Studio.HostServices.GetRequiredService<ProjectService>();
        var project = await projects.CreateProjectAsync("提示词优化不可用", Ct);
        await projects.UpdateProjectAsync(project.Id, project.Version, new ProjectSettings("提示词优化不可用", "", "", 4, null, true, 2, true), Ct);
        await projects.ImportNovelAsync(project.Id, "第一章 雨夜\n雨夜很长。", "序章", Ct);
        var shotId = (await projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0].Shots[0].Id;
        var image = await Studio.HostServices.GetRequiredService<I2VStudio.Workspace.Assets.AssetStore>()
            .AddFileAsync(new MemoryStream(TestImages.Png(216, 120)), "雨夜.png", Ct); // its own bytes: the store keeps one copy per content
        await Studio.HostServices.GetRequiredService<I2VStudio.Workspace.Takes.TakeService>().SetSourceImageAsync(shotId, image.Asset.Id, Ct);
        await new WorkspaceUi(Page).OpenAsync($"projects/{project.Id}/shots/{shotId}");
        await Expect(Page.Locator("[data-testid='shot-page'][data-profile='VideoGen']")).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("用 AI 优化提示词")).ToBeCheckedAsync();

        await Page.GetByTestId("generate-take").ClickAsync();

        var card = Page.GetByTestId("take-item");
        await Expect(card.GetByTestId("take-llm-refused")).ToHaveTextAsync("未发送：后端的 AI 提示词优化暂不可用，可不优化直接提交这一条。");
        // The backend's words once, at the switch they name; none of the card's actions repeats the refused request.
        await Expect(Page.GetByText("LLM prompt enhancement unavailable")).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-param=enhance_prompt]").GetByRole(AriaRole.Alert)).ToContainTextAsync("LLM prompt enhancement unavailable");
        await Expect(card.Locator("[data-action=submit-again]")).ToHaveCountAsync(0);
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "重试", Exact = true })).ToHaveCountAsync(0);
        var offer = card.GetByRole(AriaRole.Button, new() { Name = "不优化直接提交" });
        await Expect(offer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
        await KeepScreenshotAsync("llm-refused-zh");

        await offer.ClickAsync();

        await Expect(card).ToHaveCountAsync(2);
        await Expect(card.First).ToHaveAttributeAsync("data-captured", "true", new() { Timeout = Timeouts.Job });
        await Expect(Page.GetByText("LLM prompt enhancement unavailable")).ToHaveCountAsync(1); // the refused take, no longer the newest
        await Expect(Page.Locator("[data-param=enhance_prompt]").GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Expect(Page.GetByLabel("用 AI 优化提示词")).Not.ToBeCheckedAsync();
        // The board re-rendered by the host's take runner stays in the user's language.
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "生成结果" })).ToBeVisibleAsync();
        await Expect(card.Nth(1).GetByTestId("take-llm-refused")).ToHaveTextAsync("未发送：后端的 AI 提示词优化暂不可用，可不优化直接提交这一条。");
        await KeepScreenshotAsync("llm-refused-zh-after");
    }
}

/// <summary>The same editor on a Legacy backend: no Duration, no Enhance prompt (the legacy API has neither).</summary>
public sealed class WorkspaceShotParamsLegacyTests(BrowserFixture browser, LegacyProfileFixture studio)
    : StudioTest<LegacyProfileFixture>(browser, studio), IClassFixture<LegacyProfileFixture>
{
    [Fact]
    public async Task ShotEditor_Legacy_NoDurationNorEnhance()
    {
        await WorkspaceShotParams.OpenShotAsync(Studio, Page, Ui, "Legacy duration journey", defaultSeconds: 6);

        // Wait until the page knows the backend, so the absence below is a decision, not a page still loading.
        await Expect(Page.Locator("[data-testid='shot-page'][data-profile='Legacy']")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-param='num_steps']")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-param='duration_seconds']")).ToHaveCountAsync(0);
        await Expect(Page.Locator("[data-param='enhance_prompt']")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("inherited-defaults")).ToHaveCountAsync(0);
    }
}

internal static class WorkspaceShotParams
{
    /// <summary>A project (default clip length <paramref name="defaultSeconds"/>) with one shot; opens its editor and
    /// returns the shot's id.</summary>
    public static async Task<Guid> OpenShotAsync(StudioFixture studio, IPage page, StudioPage ui, string project, double defaultSeconds)
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var projects = studio.HostServices.GetRequiredService<ProjectService>();
        var created = await projects.CreateProjectAsync(project, ct);
        await projects.UpdateProjectAsync(created.Id, created.Version, new ProjectSettings(project, "", "", 4, null, true, defaultSeconds, false), ct);
        await projects.ImportNovelAsync(created.Id, "第一章 雨夜\n雨夜很长。", "序章", ct);
        var ws = new WorkspaceUi(page);
        await ws.OpenAsync($"projects/{created.Id}");
        await ws.Chapter("第一章 雨夜").GetByTestId("toggle-chapter").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the shot editor for Shot 1" }).ClickAsync();
        await Expect(page.Locator("[data-testid='shot-page'][data-interactive='true']")).ToBeVisibleAsync();
        await ui.WaitInteractiveAsync();
        return (await projects.GetTreeAsync(created.Id, ct)).Chapters[0].Scenes[0].Shots[0].Id;
    }
}
