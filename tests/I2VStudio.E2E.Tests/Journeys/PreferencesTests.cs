using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 11: the language switch (zh-CN ⇄ en) and the dark theme change the page and survive a reload.</summary>
[Collection(SharedStudio.Name)]
public sealed class PreferencesTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    [Fact]
    public async Task LanguageSwitch_ToChineseAndBack_TextChangesAndSurvivesReload()
    {
        await Ui.OpenAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Generate video" })).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Language", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "简体中文" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "生成视频" })).ToBeVisibleAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "结果" })).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("提示词", new() { Exact = true })).ToBeVisibleAsync();

        await Ui.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "生成视频" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Generate video" })).ToHaveCountAsync(0);
        await KeepScreenshotAsync("zh-CN");

        await Page.GetByRole(AriaRole.Button, new() { Name = "语言", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Menuitem, new() { Name = "English" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Generate video" })).ToBeVisibleAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Ui.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Generate video" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ThemeToggle_ToDark_PageDarkAndSurvivesReload()
    {
        await Ui.OpenAsync();
        Assert.True(await BackgroundLuminanceAsync() > 0.7);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Switch to the dark theme" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Switch to the light theme" })).ToBeVisibleAsync();
        await Page.WaitForFunctionAsync(LuminanceScript + " < 0.2");

        await Ui.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Switch to the light theme" })).ToBeVisibleAsync();
        Assert.True(await BackgroundLuminanceAsync() < 0.2);
        // The prerendered page is already dark (no white flash): the cookie is read on the server.
        var html = await (await Page.APIRequest.GetAsync("tools/i2v")).TextAsync();
        Assert.Contains("i2v-dark", html, StringComparison.Ordinal);
    }

    // The relative luminance (0 black … 1 white) of what the page shows behind its content.
    private const string LuminanceScript = """
        (() => {
          const el = document.querySelector('.mud-main-content') || document.body;
          let color = getComputedStyle(el).backgroundColor;
          if (color === 'rgba(0, 0, 0, 0)') color = getComputedStyle(document.body).backgroundColor;
          const [r, g, b] = color.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map(c => {
            c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        })()
        """;

    private Task<double> BackgroundLuminanceAsync() => Page.EvaluateAsync<double>("() => " + LuminanceScript);
}
