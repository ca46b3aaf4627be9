using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 12: the diagnostics page shows health, paths, the four model files and the backend URL.</summary>
[Collection(SharedStudio.Name)]
public sealed class DiagnosticsTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    [Fact]
    public async Task Diagnostics_AgainstEmulator_ShowsHealthPathsAndFourModelFiles()
    {
        await Page.GotoAsync("tools/i2v");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Diagnostics" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/diagnostics$"));
        await Expect(Page.GetByText("Backend diagnostics")).ToBeVisibleAsync();
        await Expect(Page.GetByText(Emulator.ApiBaseUri.ToString().TrimEnd('/'))).ToBeVisibleAsync();

        var health = Page.GetByTestId("diag-health");
        await Expect(health).ToContainTextAsync("GET /health");
        await Expect(health).ToContainTextAsync("ok");

        var paths = Page.GetByTestId("diag-paths");
        await Expect(paths).ToContainTextAsync("Models folder");
        await Expect(paths).ToContainTextAsync(Emulator.Current.DataDirectory);

        var files = Page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Filter(new() { HasNot = Page.GetByRole(AriaRole.Columnheader) });
        await Expect(files).ToHaveCountAsync(4);
        for (var i = 0; i < 4; i++)
        {
            await Expect(files.Nth(i).GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync("No");
            await Expect(files.Nth(i).GetByRole(AriaRole.Cell).Nth(3)).ToContainTextAsync("/");
        }

        await Expect(Page.GetByTestId("diag-models")).ToContainTextAsync("4 of 4 model files are missing.");
        await Expect(Page.GetByTestId("diag-engine")).ToBeVisibleAsync();
        await Expect(Page.GetByText(new System.Text.RegularExpressions.Regex(@"^Round trip: \d+ ms$"))).ToHaveCountAsync(4); // health, paths, models and the API version
        Assert.True(Emulator.Counters[TurboDiffusion.Emulator.EmulatorRoute.Health] >= 1);
        Assert.True(Emulator.Counters[TurboDiffusion.Emulator.EmulatorRoute.Paths] >= 1);
        Assert.True(Emulator.Counters[TurboDiffusion.Emulator.EmulatorRoute.Models] >= 1);
    }
}
