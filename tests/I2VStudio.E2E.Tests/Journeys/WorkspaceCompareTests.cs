using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Workspace feature 3's comparison: captured takes played side by side, one play, seek and pause for all.
/// On the current API, so the clips can be 10 s long.</summary>
public sealed class WorkspaceCompareTests(BrowserFixture browser, WorkspaceOnVideoGenFixture studio)
    : StudioTest<WorkspaceOnVideoGenFixture>(browser, studio), IClassFixture<WorkspaceOnVideoGenFixture>
{
    private WorkspaceUi Ws => new(Page);

    private ILocator Takes => Page.GetByTestId("take-item");

    [Fact]
    public async Task TakeBoard_TwoTakesCompared_OnePlaySeekAndPauseDriveBothInSync()
    {
        await Studio.HostServices.GetRequiredService<I2VStudio.Workspace.Assets.AssetStore>()
            .AddFileAsync(new MemoryStream(TestImages.Png(208, 120)), "compare.png", Ct);
        // 10 s clips (the legacy API's are always 5 s): the one stretch that needs them still playing, Play all …
        // Pause all, takes 2–3 s, and more on a loaded machine.
        await Ws.OpenShotAsync(Studio.HostServices, "Compare journey", "两只纸船顺流而下。", seconds: 10);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Use compare.png" }).ClickAsync();
        await Page.GetByLabel("Variations").FillAsync("2");
        await Page.GetByTestId("generate-variations").ClickAsync();
        await Expect(Takes).ToHaveCountAsync(2);
        foreach (var i in new[] { 0, 1 })
            await Expect(Takes.Nth(i)).ToHaveAttributeAsync("data-captured", "true", new() { Timeout = Timeouts.Job });
        await Expect(Page.GetByTestId("compare-hint")).ToBeVisibleAsync();

        foreach (var i in new[] { 0, 1 })
            await Takes.Nth(i).GetByLabel("Compare").CheckAsync();
        var compare = Page.GetByTestId("take-compare");
        await Expect(compare.Locator("video")).ToHaveCountAsync(2);
        var play = compare.GetByRole(AriaRole.Button, new() { Name = "Play all" });
        await Expect(play).ToBeEnabledAsync();
        await play.ClickAsync();

        // Playing: both move, together.
        await Page.WaitForFunctionAsync($"() => [...document.querySelectorAll('{Compared}')].every(v => !v.paused && v.currentTime > 1)");
        Assert.InRange(await Page.EvaluateAsync<double>($"() => Math.min(...[...document.querySelectorAll('{Compared}')].map(v => v.duration))"), 9.5, 10.5);
        Assert.InRange(await TypicalSpreadAsync(), 0, MaxSpread);

        // One video knocked 1.5 s off (a stall, a stray seek) is pulled back to the leader.
        await Page.EvaluateAsync($"() => {{ const v = document.querySelectorAll('{Compared}')[1]; v.currentTime = Math.max(0, v.currentTime - 1.5); }}");
        await Page.WaitForFunctionAsync($"() => {{ const t = [...document.querySelectorAll('{Compared}')].map(v => v.currentTime); return Math.abs(t[0] - t[1]) < {MaxSpread}; }}");

        // One pause stops both, at one position.
        await compare.GetByRole(AriaRole.Button, new() { Name = "Pause all" }).ClickAsync();
        await Page.WaitForFunctionAsync($"() => [...document.querySelectorAll('{Compared}')].every(v => v.paused && !v.seeking)");
        Assert.InRange(await TypicalSpreadAsync(), 0, 0.05);

        // One seek moves both, paused, to a position seconds away from where they stopped …
        var stopped = await Page.EvaluateAsync<double[]>($"() => {{ const v = document.querySelector('{Compared}'); return [v.currentTime, v.duration]; }}");
        var (target, slider) = stopped[0] < stopped[1] / 2 ? ("0.7", "700") : ("0.2", "200");
        await compare.GetByLabel("Position of all videos").FillAsync(slider);
        await Page.WaitForFunctionAsync($"() => [...document.querySelectorAll('{Compared}')].every(v => v.paused && !v.seeking && Math.abs(v.currentTime - {target} * v.duration) < 0.1)");

        // … and they play on from there together, and stop together at the end of the clip.
        await play.ClickAsync();
        await Page.WaitForFunctionAsync($"() => [...document.querySelectorAll('{Compared}')].every(v => !v.paused && v.currentTime > {target} * v.duration + 0.2)");
        Assert.InRange(await TypicalSpreadAsync(), 0, MaxSpread);
        await Page.WaitForFunctionAsync($"() => [...document.querySelectorAll('{Compared}')].every(v => v.paused && !v.seeking && v.currentTime > v.duration - 0.2)");
        await Expect(play).ToBeVisibleAsync();
    }

    private const string Compared = "[data-testid=take-compare] video";

    private const double MaxSpread = 0.25;

    /// <summary>The gap between the compared videos' positions: the median of five samples, 100 ms apart. A single
    /// sample may catch one video mid-stall on a loaded machine (the compare pulls it back, as the knock above checks);
    /// together means most of the time.</summary>
    private async Task<double> TypicalSpreadAsync()
    {
        var spreads = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            spreads.Add(await Page.EvaluateAsync<double>($"() => {{ const t = [...document.querySelectorAll('{Compared}')].map(v => v.currentTime); return Math.max(...t) - Math.min(...t); }}"));
            await Task.Delay(100, Ct);
        }
        return spreads.Order().ElementAt(spreads.Count / 2);
    }
}
