using System.Diagnostics;
using I2VStudio.Packaging.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.Packaging.Tests;

/// <summary>
/// An outside developer's first hour: a fresh Blazor Web App, the packages from a local folder feed, three lines of
/// setup, and the studio at <c>/tools/i2v</c> generating a video against the emulator in real Chromium.
/// </summary>
[Collection(PackedFeed.Name)]
public sealed class ConsumerAppTests(BrowserFixture browser, PackageFeed feed)
{
    [Fact(Timeout = 300_000)]
    public async Task ConsumerApp_PackagesFromLocalFeedAndThreeLines_StudioRendersAndCompletesJob()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var watch = Stopwatch.StartNew();
        await using var emulator = await TestEmulator.StartAsync(ct);
        await using var app = await ConsumerApp.CreateAndBuildAsync(Path.Combine(feed.WorkDirectory, "consumer"), feed, ct);
        var buildTime = watch.Elapsed;

        // The app really uses the packages from the feed, not the repository's projects.
        var assets = await File.ReadAllTextAsync(Path.Combine(app.Directory, "obj", "project.assets.json"), ct);
        Assert.Contains($"\"I2VStudio.Components/{feed.Version}\"", assets, StringComparison.Ordinal);
        Assert.Contains($"\"TurboDiffusion.Client/{feed.Version}\"", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\": \"project\"", assets, StringComparison.Ordinal);

        await app.StartAsync(emulator.ApiBaseUri, ct);
        await using var ui = await StudioUi.OpenContextAsync(browser.Browser, app.BaseUri!);
        try
        {
            await ui.OpenAsync();
            await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Generate video" })).ToBeVisibleAsync();
            // MudBlazor's stylesheet and script arrived although the app links neither (the package's JS initializer).
            Assert.True(await ui.Page.EvaluateAsync<bool>(
                "() => Array.from(document.styleSheets).some(s => (s.href || '').includes('_content/MudBlazor/MudBlazor.min.css'))"));
            Assert.True(await ui.Page.EvaluateAsync<bool>("() => typeof window.mudElementRef === 'object'"));

            await ui.PickPngAsync("harbour.png", 320, 192);
            await ui.GenerateAsync("A harbour at dawn, gulls circling");
            var src = await ui.WaitForPlayableVideoAsync();

            Assert.StartsWith(emulator.StorageBaseUri.GetLeftPart(UriPartial.Authority), src, StringComparison.Ordinal);
            Assert.Contains(ui.WebSockets, url => url.Contains("/_blazor", StringComparison.Ordinal)); // interactive Server
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            await ui.ScreenshotAsync(nameof(ConsumerApp_PackagesFromLocalFeedAndThreeLines_StudioRendersAndCompletesJob));
            throw new InvalidOperationException($"{e.Message}\n--- consumer app log ---\n{app.Log}\n--- browser console ---\n{ui.ConsoleText}", e);
        }

        Timings.Record("pack (both packages)", feed.PackTime);
        Timings.Record("consumer app: write, restore from the feed, build", buildTime);
        Timings.Record("consumer app: whole test including pack", feed.PackTime + watch.Elapsed);
    }
}
