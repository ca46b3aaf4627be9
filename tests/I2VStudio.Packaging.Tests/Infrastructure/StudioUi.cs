using I2VStudio.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>
/// The studio as a user sees it (English UI), through roles and labels, in a fresh browser context per test. It
/// records how the page talks to the network, so a test can tell where the studio runs: a SignalR circuit
/// (<c>_blazor</c> WebSocket) means the server; API calls from the page to its own origin mean the browser.
/// </summary>
public sealed class StudioUi : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _requests = [];
    private readonly List<string> _webSockets = [];
    private readonly List<string> _console = [];
    private readonly Lock _gate = new();

    private StudioUi(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Request += (_, request) => { lock (_gate) _requests.Add($"{request.Method} {request.Url}"); };
        page.WebSocket += (_, socket) => { lock (_gate) _webSockets.Add(socket.Url); };
        page.Console += (_, message) => { lock (_gate) _console.Add($"{message.Type}: {message.Text}"); };
        page.PageError += (_, error) => { lock (_gate) _console.Add("pageerror: " + error); };
    }

    public IPage Page { get; }

    /// <summary>"METHOD url" of every request the page made so far.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate) return [.. _requests];
        }
    }

    /// <summary>URLs of the WebSockets the page opened so far.</summary>
    public IReadOnlyList<string> WebSockets
    {
        get
        {
            lock (_gate) return [.. _webSockets];
        }
    }

    /// <summary>The page's console messages and uncaught errors so far.</summary>
    public string ConsoleText
    {
        get
        {
            lock (_gate) return string.Join('\n', _console);
        }
    }

    public ILocator Prompt => Page.GetByLabel("Prompt", new() { Exact = true });

    public ILocator Generate => Page.GetByRole(AriaRole.Button, new() { Name = "Generate video" });

    public ILocator FileInput => Page.Locator("input[type=file]");

    public ILocator Result => Page.GetByRole(AriaRole.Region, new() { Name = "Result" });

    public ILocator JobList => Page.GetByRole(AriaRole.List, new() { Name = "Job list" });

    public static async Task<StudioUi> OpenContextAsync(IBrowser browser, Uri baseUri, string locale = "en-US")
    {
        // The locale sets Accept-Language, from which the host picks the studio's language.
        var context = await browser.NewContextAsync(new() { BaseURL = baseUri.ToString(), AcceptDownloads = true, Locale = locale });
        context.SetDefaultTimeout(30_000);
        await context.AddInitScriptAsync(StudioInteractive.InitScript);
        var page = await context.NewPageAsync();
        return new StudioUi(context, page);
    }

    /// <summary>Opens the studio and waits until it is interactive.</summary>
    public async Task OpenAsync(string path = "tools/i2v")
    {
        await Page.GotoAsync(path);
        await Page.WaitForFunctionAsync(StudioInteractive.ReadyFunction, null, new() { Timeout = 60_000 });
    }

    /// <summary>Picks an image through the file input and waits until the studio shows its pixel size.</summary>
    public async Task PickPngAsync(string name, int width, int height)
    {
        await FileInput.SetInputFilesAsync(new FilePayload { Name = name, MimeType = "image/png", Buffer = Pngs.Gradient(width, height) });
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Image", Exact = true })).ToContainTextAsync($"{width} × {height} px");
    }

    /// <summary>Writes the prompt and presses Generate; returns the new job's card.</summary>
    public async Task<ILocator> GenerateAsync(string prompt)
    {
        await Prompt.FillAsync(prompt);
        await Expect(Generate).ToBeEnabledAsync();
        await Generate.ClickAsync();
        var card = JobList.GetByRole(AriaRole.Listitem).Filter(new() { HasText = prompt });
        await Expect(card).ToHaveCountAsync(1);
        return card;
    }

    /// <summary>Waits until the result's video has a decoded frame (readyState ≥ 2) and returns its source URL.</summary>
    public async Task<string> WaitForPlayableVideoAsync()
    {
        await Expect(Result.Locator("video")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Page.WaitForFunctionAsync("""
            () => { const v = document.querySelector('.result-panel video');
                    return !!v && v.readyState >= 2 && v.videoWidth > 0; }
            """, null, new() { Timeout = 60_000 });
        return await Page.EvaluateAsync<string>("() => document.querySelector('.result-panel video').currentSrc");
    }

    /// <summary>Keeps a full-page screenshot under test-artifacts/packaging/ (always; cheap, and shows what the user saw).</summary>
    public async Task ScreenshotAsync(string name)
    {
        try
        {
            await Page.ScreenshotAsync(new() { Path = Repository.ArtifactPath(name + ".png"), FullPage = true });
        }
        catch (PlaywrightException)
        {
            // A closed page has nothing to show.
        }
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
