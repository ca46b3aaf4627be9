using Microsoft.Playwright;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// Base of every journey: a fresh BrowserContext (its own localStorage and IndexedDB) per test, traced; after the
/// test a screenshot of every open page, the browser's console errors and warnings (when there were any), and the
/// trace when the test failed — all under <c>test-artifacts/e2e/</c>.
/// </summary>
public abstract class StudioTest<TFixture> : IAsyncLifetime
    where TFixture : StudioFixture
{
    private readonly BrowserFixture _browser;
    private readonly List<string> _browserLog = [];
    private IBrowserContext? _context;
    private IPage? _page;

    protected StudioTest(BrowserFixture browser, TFixture studio)
    {
        _browser = browser;
        Studio = studio;
    }

    protected TFixture Studio { get; }

    protected EmulatorHandle Emulator => Studio.Emulator;

    protected IBrowserContext Context => _context ?? throw new InvalidOperationException("No browser context yet.");

    protected IPage Page => _page ?? throw new InvalidOperationException("No page yet.");

    /// <summary>The studio page object on <see cref="Page"/>.</summary>
    protected StudioPage Ui => new(Page);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        await Studio.ResetAsync(Ct);
        _context = await _browser.Browser.NewContextAsync(ContextOptions());
        _context.SetDefaultTimeout(Timeouts.Action);
        await _context.AddInitScriptAsync(StudioPage.InitScript);
        await _context.Tracing.StartAsync(new() { Screenshots = true, Snapshots = true, Title = TestName });
        _context.Page += (_, page) => WatchPage(page);
        _page = await _context.NewPageAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_context is null)
        {
            return;
        }

        var failed = TestContext.Current.TestState?.Result is TestResult.Failed;
        var index = 0;
        foreach (var page in _context.Pages.ToList())
        {
            index++;
            if (page.IsClosed)
            {
                continue;
            }

            try
            {
                await ScreenshotWholePageAsync(page, Artifacts.PathFor(TestName, index == 1 ? ".png" : $".page{index}.png"));
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                // A screenshot is a by-product: it never fails a test (a failure already has its trace).
                lock (_browserLog)
                {
                    _browserLog.Add("screenshot failed: " + e.Message);
                }
            }
        }

        var tracePath = Artifacts.PathFor(TestName, ".trace.zip");
        if (failed)
        {
            await _context.Tracing.StopAsync(new() { Path = tracePath });
            TestContext.Current.TestOutputHelper?.WriteLine($"Trace: {tracePath} (open with `pwsh playwright.ps1 show-trace` or trace.playwright.dev)");
        }
        else
        {
            await _context.Tracing.StopAsync();
            File.Delete(tracePath); // a stale trace from an earlier failed run would mislead
        }

        var consolePath = Artifacts.PathFor(TestName, ".console.txt");
        File.Delete(consolePath);
        if (_browserLog.Count > 0)
        {
            string log;
            lock (_browserLog)
            {
                log = string.Join("\n", _browserLog);
            }

            TestContext.Current.TestOutputHelper?.WriteLine("Browser console:\n" + log);
            await File.WriteAllTextAsync(consolePath, log + "\n", CancellationToken.None);
        }

        await _context.CloseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Keeps a screenshot of the page as it is now, as <c>{test}.{label}.png</c>: a state worth looking at on the way
    /// (a failure, a running job) that the final screenshot does not show.
    /// </summary>
    protected async Task KeepScreenshotAsync(string label, IPage? page = null)
    {
        var target = page ?? Page;
        var viewport = target.ViewportSize;
        try
        {
            await ScreenshotWholePageAsync(target, Artifacts.PathFor(TestName, $".{label}.png"));
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            lock (_browserLog)
            {
                _browserLog.Add($"screenshot '{label}' failed: {e.Message}");
            }
        }

        if (viewport is not null)
        {
            await target.SetViewportSizeAsync(viewport.Width, viewport.Height);
        }
    }

    /// <summary>The browser's language (its <c>Accept-Language</c>, which the studio follows): English unless a journey says otherwise.</summary>
    protected virtual string Locale => "en-US";

    /// <summary>The context's settings: desktop 1280 × 900, <see cref="Locale"/>, downloads accepted.</summary>
    protected virtual BrowserNewContextOptions ContextOptions() => new()
    {
        BaseURL = Studio.BaseUri.ToString(),
        ViewportSize = new() { Width = 1280, Height = 900 },
        Locale = Locale,
        AcceptDownloads = true,
        TimezoneId = "UTC",
    };

    /// <summary>"Class.Method" of the running test.</summary>
    protected static string TestName
    {
        get
        {
            var method = TestContext.Current.TestMethod;
            if (method is null)
            {
                return "unknown";
            }

            // A theory's cases get their first argument in the name, so their artifacts do not overwrite each other.
            var first = (TestContext.Current.Test as Xunit.v3.IXunitTest)?.TestMethodArguments.FirstOrDefault();
            return $"{method.TestClass.TestClassSimpleName}.{method.MethodName}" + (first is null ? "" : $".{first}");
        }
    }

    /// <summary>
    /// The whole page as it renders: the viewport is grown to the content's height first, because a "full page"
    /// screenshot stitches fixed elements (the app bar, the drawer) into the middle of the picture.
    /// </summary>
    private static async Task ScreenshotWholePageAsync(IPage page, string path)
    {
        var viewport = page.ViewportSize;
        if (viewport is not null)
        {
            var height = await page.EvaluateAsync<int>("() => Math.ceil(document.documentElement.scrollHeight)");
            if (height > viewport.Height)
            {
                await page.SetViewportSizeAsync(viewport.Width, Math.Min(height, 6000));
            }
        }

        // Animations run: "disabled" freezes infinite ones at their first frame, which shows the video player's loading
        // spinner over a loaded video.
        await page.ScreenshotAsync(new() { Path = path, Timeout = Timeouts.Action });
    }

    private void WatchPage(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (_browserLog)
                {
                    _browserLog.Add($"[{message.Type}] {message.Text}");
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (_browserLog)
                {
                    _browserLog.Add($"[http {response.Status}] {response.Request.Method} {response.Url}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_browserLog)
            {
                _browserLog.Add("[pageerror] " + error);
            }
        };
    }
}
