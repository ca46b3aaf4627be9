using I2VStudio.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 9: two tabs of one browser share the job list; neither erases the other's jobs.</summary>
[Collection(SharedStudio.Name)]
public sealed class TwoTabsTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    [Fact]
    public async Task TwoTabs_EachSubmitsAJob_BothTabsListBothJobs()
    {
        var tabA = Ui;
        var tabB = new StudioPage(await Context.NewPageAsync());
        await tabA.OpenAsync();
        await tabB.OpenAsync();

        await tabA.PickPngAsync("a.png", TestImages.Png(320, 240), 320, 240);
        await tabA.FillPromptAsync("Job from tab A");
        await tabA.GenerateAsync();
        await Expect(tabB.Card("Job from tab A")).ToBeVisibleAsync();

        await tabB.PickPngAsync("b.png", TestImages.Png(240, 320), 240, 320);
        await tabB.FillPromptAsync("Job from tab B");
        await tabB.GenerateAsync(expectedCards: 2);

        foreach (var tab in new[] { tabA, tabB })
        {
            await Expect(tab.Cards).ToHaveCountAsync(2);
            await StudioPage.ExpectCeleryAsync(tab.Card("Job from tab A"), "SUCCESS", timeout: Timeouts.Job);
            await StudioPage.ExpectCeleryAsync(tab.Card("Job from tab B"), "SUCCESS", timeout: Timeouts.Job);
        }

        // What each tab wrote survives both reloading.
        await tabA.ReloadAsync();
        await tabB.ReloadAsync();
        foreach (var tab in new[] { tabA, tabB })
        {
            await Expect(tab.Cards).ToHaveCountAsync(2);
            await Expect(tab.Card("Job from tab A")).ToContainTextAsync("Done");
            await Expect(tab.Card("Job from tab B")).ToContainTextAsync("Done");
        }
    }
}
