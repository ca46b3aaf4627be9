using I2VStudio.Packaging.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.Packaging.Tests;

/// <summary>
/// <c>I2VStudio:RenderMode=Auto</c>: the first visit runs the studio on the server while the browser fetches the
/// WebAssembly runtime; the next visit runs it in the browser. A job completes in each, and both see the same jobs
/// (the browser's storage is the store in either mode).
/// </summary>
public sealed class AutoModeTests(BrowserFixture browser) : IAsyncLifetime
{
    private StudioHost _host = default!;

    public async ValueTask InitializeAsync() => _host = await StudioHost.StartAsync("Auto", Xunit.TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact(Timeout = 240_000)]
    public async Task Auto_FirstVisitOnServerNextInBrowser_JobsCompleteInBoth()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        await using var ui = await StudioUi.OpenContextAsync(browser.Browser, _host.BaseUri);
        var origin = _host.BaseUri.GetLeftPart(UriPartial.Authority);
        try
        {
            // First visit: a circuit, and the runtime downloading meanwhile.
            await ui.OpenAsync();
            Assert.Contains(ui.WebSockets, url => url.Contains("/_blazor", StringComparison.Ordinal));
            await ui.PickPngAsync("first.png", 320, 192);
            await ui.GenerateAsync("First visit, on the server");
            await ui.WaitForPlayableVideoAsync();
            Assert.DoesNotContain(ui.Requests, r => r.StartsWith($"POST {origin}/v1/", StringComparison.Ordinal));

            // Auto picks WebAssembly on the next visit only if the runtime *finished* loading on this one: blazor.web.js
            // writes "blazor-resource-hash:<main assembly>" to localStorage at that point and compares it next time.
            // Waiting for dotnet.native.wasm alone was not enough: on a loaded machine the assemblies were still coming.
            await ui.Page.WaitForFunctionAsync(
                "() => Object.keys(localStorage).some(k => k.startsWith('blazor-resource-hash:'))", null, new() { Timeout = 120_000 });

            // Next visit: in the browser, with the first visit's job still listed.
            await ui.OpenAsync();
            await Expect(ui.JobList.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "First visit, on the server" })).ToHaveCountAsync(1);
            await ui.PickPngAsync("second.png", 320, 192);
            await ui.GenerateAsync("Next visit, in the browser");
            await ui.WaitForPlayableVideoAsync();
            Assert.Contains($"POST {origin}/v1/videogen/wan22-i2v/jobs", ui.Requests);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            await ui.ScreenshotAsync(nameof(Auto_FirstVisitOnServerNextInBrowser_JobsCompleteInBoth));
            throw new InvalidOperationException($"{e.Message}\n--- requests ---\n{string.Join('\n', ui.Requests.TakeLast(40))}\n--- browser console ---\n{ui.ConsoleText}", e);
        }

        ct.ThrowIfCancellationRequested();
    }
}
