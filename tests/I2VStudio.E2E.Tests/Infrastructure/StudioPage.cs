using System.Text.RegularExpressions;
using I2VStudio.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// The studio as a user sees it, through roles and labels (English UI). Only the status badges are found by their
/// <c>title</c>, and their state read from <c>data-state</c>, because a badge has no role of its own.
/// </summary>
public sealed partial class StudioPage(IPage page)
{
    /// <summary>
    /// Runs before the page's own scripts. It notes when the image intake has wired itself
    /// (<see cref="StudioInteractive"/>), which is the moment the circuit is interactive and a pick will be heard; and it
    /// records every value the status badges of job cards show, so a test can check the states a job went through
    /// even when they pass faster than an assertion looks.
    /// </summary>
    public const string InitScript = StudioInteractive.InitScript + """
        (() => {
          const seen = { celery: [], db: [] };
          window.__i2vBadgeHistory = seen;
          const record = () => {
            for (const kind of ['celery', 'db']) {
              const badge = document.querySelector(`article.job-card .badge[data-kind="${kind}"]`);
              const state = badge && badge.getAttribute('data-state');
              const list = seen[kind];
              if (state && list[list.length - 1] !== state) list.push(state);
            }
          };
          const start = () => new MutationObserver(record).observe(document.documentElement,
            { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
          if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
        })();
        """;

    public IPage Page { get; } = page;

    /// <summary>The image drop zone: a real button, whatever it currently says.</summary>
    public ILocator DropZone => Page.GetByRole(AriaRole.Button, new() { NameRegex = DropZoneName() });

    public ILocator Prompt => Page.GetByLabel("Prompt", new() { Exact = true });

    public ILocator Seed => Page.GetByLabel("Seed", new() { Exact = true });

    public ILocator Generate => Page.GetByRole(AriaRole.Button, new() { Name = "Generate video" });

    /// <summary>The input panel's image section (its heading is "Image").</summary>
    public ILocator ImageSection => Page.GetByRole(AriaRole.Region, new() { Name = "Image", Exact = true });

    public ILocator ImageProblem => ImageSection.GetByRole(AriaRole.Alert);

    public ILocator JobList => Page.GetByRole(AriaRole.List, new() { Name = "Job list" });

    /// <summary>The job cards: the list's items that hold an article (a card's own lists, e.g. 422 items, are not cards).</summary>
    public ILocator Cards => JobList.GetByRole(AriaRole.Listitem).Filter(new() { Has = Page.GetByRole(AriaRole.Article) });

    public ILocator Result => Page.GetByRole(AriaRole.Region, new() { Name = "Result" });

    public ILocator Video => Result.Locator("video");

    public ILocator TrackInput => Page.GetByLabel("Track a job by ID");

    /// <summary>The queue badge; its title is the full text, e.g. "Queue status: STARTED".</summary>
    public static ILocator CeleryBadge(ILocator scope) => scope.GetByTitle(CeleryBadgeTitle());

    /// <summary>The job record badge; its title is the full text, e.g. "Job record status: RUNNING (Generating)".</summary>
    public static ILocator DbBadge(ILocator scope) => scope.GetByTitle(DbBadgeTitle());

    public ILocator ResultButton(string name) => Result.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public static ILocator CardButton(ILocator card, string name) => card.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The backend's job id of the job the result panel shows (once its POST was answered).</summary>
    public async Task<string> SelectedJobIdAsync()
    {
        var id = Result.Locator("[data-part=job-id]");
        await Expect(id).ToHaveTextAsync(JobIdPattern());
        return (await id.InnerTextAsync()).Trim();
    }

    /// <summary>The job card whose text contains <paramref name="text"/> (e.g. its prompt's first line).</summary>
    public ILocator Card(string text) => Cards.Filter(new() { HasText = text });

    /// <summary>Opens the studio and waits until it is interactive (the image intake is wired).</summary>
    public async Task OpenAsync(string path = "tools/i2v")
    {
        await Page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitInteractiveAsync();
    }

    public Task WaitInteractiveAsync() => Page.WaitForFunctionAsync(StudioInteractive.ReadyFunction);

    /// <summary>Picks a file the way a user does: click the drop zone, answer the file chooser.</summary>
    public async Task PickFileAsync(string name, string mimeType, byte[] content)
    {
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => DropZone.ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = name, MimeType = mimeType, Buffer = content });
    }

    /// <summary>Picks a PNG and waits until the studio shows its name and pixel size.</summary>
    public async Task PickPngAsync(string name, byte[] png, int width, int height)
    {
        await PickFileAsync(name, "image/png", png);
        await Expect(ImageSection).ToContainTextAsync($"{width} × {height} px");
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = $"Preview of {name}" })).ToBeVisibleAsync();
    }

    public async Task FillPromptAsync(string prompt)
    {
        await Prompt.FillAsync(prompt);
        await Expect(Prompt).ToHaveValueAsync(prompt);
    }

    /// <summary>Presses Generate once it is enabled and returns the new job's card (the first, newest).</summary>
    public async Task<ILocator> GenerateAsync(int expectedCards = 1)
    {
        await Expect(Generate).ToBeEnabledAsync();
        await Generate.ClickAsync();
        await Expect(Cards).ToHaveCountAsync(expectedCards);
        return Cards.First;
    }

    /// <summary>Waits until <paramref name="card"/>'s queue badge says <paramref name="celery"/>.</summary>
    public static Task ExpectCeleryAsync(ILocator card, string celery, float? timeout = null) =>
        Expect(CeleryBadge(card)).ToHaveAttributeAsync("data-state", celery, new() { Timeout = timeout });

    /// <summary>Waits for the result's video to have a decoded frame and returns its facts.</summary>
    public async Task<VideoFacts> WaitForPlayableVideoAsync()
    {
        await Expect(Video).ToBeVisibleAsync();
        await Page.WaitForFunctionAsync("""
            () => { const v = document.querySelector('.result-panel video');
                    return !!v && v.readyState >= 2 && v.videoWidth > 0 && isFinite(v.duration) && v.duration > 0; }
            """, null, new() { Timeout = Timeouts.Action });
        var facts = await Page.EvaluateAsync<VideoFacts>("""
            () => { const v = document.querySelector('.result-panel video');
                    return { readyState: v.readyState, duration: v.duration, videoWidth: v.videoWidth, videoHeight: v.videoHeight, src: v.currentSrc }; }
            """);
        return facts;
    }

    /// <summary>The badge values the job cards showed so far (see <see cref="InitScript"/>).</summary>
    public Task<BadgeHistory> BadgeHistoryAsync() => Page.EvaluateAsync<BadgeHistory>("() => window.__i2vBadgeHistory");

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^Queue status: ")]
    private static partial Regex CeleryBadgeTitle();

    [GeneratedRegex("^Job record status: ")]
    private static partial Regex DbBadgeTitle();

    [GeneratedRegex("^(Drop an image here|Preview of )")]
    private static partial Regex DropZoneName();
}

/// <summary>What the page's video element reports (settable: Playwright fills it from JSON).</summary>
public sealed class VideoFacts
{
    public int ReadyState { get; set; }

    public double Duration { get; set; }

    public int VideoWidth { get; set; }

    public int VideoHeight { get; set; }

    public string Src { get; set; } = "";
}

/// <summary>The distinct consecutive states the first job card's badges showed.</summary>
public sealed class BadgeHistory
{
    public string[] Celery { get; set; } = [];

    public string[] Db { get; set; } = [];
}
