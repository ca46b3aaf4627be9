using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>
/// The first paint is the prerendered page with its inline sheets alone: MudBlazor's full sheet and the scripts are
/// fetched only after it, and the full sheet has applied before the studio is interactive and through navigation
/// (bench/README.md, first paint).
/// </summary>
[Collection(SharedStudio.Name)]
public sealed class FirstPaintTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    private const string FullSheet = "_content/MudBlazor/MudBlazor.min.css";

    /// <summary>When the first contentful paint happened and when each of the three late resources was requested.</summary>
    private const string TimingsFunction = """
        names => ({
          paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
          requested: names.map(name => performance.getEntriesByType('resource').find(e => e.name.endsWith('/' + name))?.startTime ?? null)
        })
        """;

    /// <summary>The full sheet's rules count, 0 while it has not applied.</summary>
    private const string FullSheetRulesFunction = "() => document.getElementById('mud-full-sheet')?.sheet?.cssRules.length ?? 0";

    [Fact]
    public async Task StudioPage_Load_FetchesFullSheetAndScriptsOnlyAfterFirstPaintAndAppliesTheSheetBeforeInteractive()
    {
        var errors = new List<string>();
        Page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        Page.PageError += (_, error) => errors.Add(error);

        await Page.GotoAsync("tools/i2v");
        await Ui.WaitInteractiveAsync();

        string[] late = [FullSheet, "_content/MudBlazor/MudBlazor.min.js", "_framework/blazor.web.js"];
        var timings = await Page.EvaluateAsync<PaintTimings>(TimingsFunction, late);
        Assert.NotNull(timings.Paint);
        for (var i = 0; i < late.Length; i++)
        {
            var requested = timings.Requested[i];
            Assert.True(requested is not null, $"{late[i]} was never requested");
            Assert.True(requested >= timings.Paint, $"{late[i]} requested at {requested:F0} ms, before the first paint at {timings.Paint:F0} ms");
        }

        // MudBlazor's full sheet (thousands of rules, not the cut's few hundred) applies to the interactive studio.
        Assert.True(await Page.EvaluateAsync<int>(FullSheetRulesFunction) > 2000);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task StudioPage_NavigateToProjectsAndBack_KeepsTheFullSheetApplied()
    {
        await Ui.OpenAsync();
        await Page.GetByTestId("nav-projects").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/projects$"));
        await Expect(Page.Locator("#mud-full-sheet")).ToHaveAttributeAsync("href", FullSheet);
        Assert.True(await Page.EvaluateAsync<int>(FullSheetRulesFunction) > 2000);

        await Page.GetByRole(AriaRole.Link, new() { Name = "Image to Video" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tools/i2v$"));
        await Ui.WaitInteractiveAsync();
        await Expect(Page.Locator("#mud-full-sheet")).ToHaveAttributeAsync("href", FullSheet);
        Assert.True(await Page.EvaluateAsync<int>(FullSheetRulesFunction) > 2000);
    }

    private sealed class PaintTimings
    {
        public double? Paint { get; set; }

        public double?[] Requested { get; set; } = [];
    }
}
