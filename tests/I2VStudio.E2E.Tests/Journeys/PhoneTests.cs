using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 13: on a 390 px phone the panels stack, nothing scrolls sideways, and every action is reachable.</summary>
[Collection(SharedStudio.Name)]
public sealed class PhoneTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    private const int Width = 390;

    protected override BrowserNewContextOptions ContextOptions()
    {
        var options = base.ContextOptions();
        options.ViewportSize = new() { Width = Width, Height = 844 };
        options.IsMobile = true;
        options.HasTouch = true;
        options.DeviceScaleFactor = 2;
        return options;
    }

    [Fact]
    public async Task PhoneWidth_WholeJourney_PanelsStackAndEveryActionReachable()
    {
        await Ui.OpenAsync();

        // Stacked: inputs, then parameters, then the result, then the job list — one column.
        var inputs = await BoxAsync(Ui.ImageSection);
        var parameters = await BoxAsync(Page.GetByRole(AriaRole.Region, new() { Name = "Parameters", Exact = true }));
        var result = await BoxAsync(Ui.Result);
        var jobs = await BoxAsync(Page.GetByRole(AriaRole.Region, new() { Name = "Jobs" }));
        Assert.True(parameters.Y >= inputs.Y + inputs.Height - 1, "Parameters should be below the inputs.");
        Assert.True(result.Y >= parameters.Y + parameters.Height - 1, "The result should be below the parameters.");
        Assert.True(jobs.Y >= result.Y + result.Height - 1, "The job list should be below the result.");
        await ExpectNoSidewaysOverflowAsync();

        // The app bar's actions and the navigation are on screen.
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Language", Exact = true })).ToBeInViewportAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Switch to the dark theme" })).ToBeInViewportAsync();
        var menu = Page.GetByRole(AriaRole.Button, new() { Name = "Open or close the navigation" });
        var menuBox = await BoxAsync(menu);
        await menu.TapAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Diagnostics" })).ToBeInViewportAsync();
        // The open drawer's scrim covers the page (the menu button too): a tap there closes it, as on any phone.
        await Page.Touchscreen.TapAsync(menuBox.X + (menuBox.Width / 2), menuBox.Y + (menuBox.Height / 2));
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Diagnostics" })).Not.ToBeInViewportAsync();

        // The whole journey with taps.
        await Ui.PickPngAsync("phone.png", TestImages.Png(240, 320), 240, 320);
        await Ui.Prompt.TapAsync();
        await Ui.FillPromptAsync("Taken on a phone");
        await Ui.Generate.TapAsync();
        await Expect(Ui.Cards).ToHaveCountAsync(1);
        var card = Ui.Cards.First;
        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        // The "video is ready" snackbar never covers the newest card's buttons.
        await Expect(Page.GetByText("Your video is ready")).ToBeVisibleAsync();
        await card.ScrollIntoViewIfNeededAsync();
        await ExpectSnackbarClearOfAsync(card.Locator(".actions"));
        await Ui.WaitForPlayableVideoAsync();
        await ExpectNoSidewaysOverflowAsync();
        await ExpectBadgesInsideTheirCardAsync(card);
        await ExpectOneLineAsync(card.Locator(".actions"));

        var download = await Page.RunAndWaitForDownloadAsync(() => StudioPage.CardButton(card, "Download").TapAsync());
        Assert.EndsWith(".mp4", download.SuggestedFilename, StringComparison.Ordinal);
        await Expect(StudioPage.CardButton(card, "Retry with a new seed")).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Remove" })).ToBeVisibleAsync();
        await Expect(Ui.TrackInput).ToBeVisibleAsync();
        await ExpectActionsWithinWidthAsync();
    }

    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator locator)
    {
        await Expect(locator).ToBeVisibleAsync();
        return await locator.BoundingBoxAsync() ?? throw new InvalidOperationException($"{locator} has no box.");
    }

    private async Task ExpectNoSidewaysOverflowAsync()
    {
        var scrollWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= Width, $"The page is {scrollWidth} px wide on a {Width} px screen: it scrolls sideways.");
    }

    private async Task ExpectSnackbarClearOfAsync(ILocator target)
    {
        var snackbar = await BoxAsync(Page.Locator(".mud-snackbar").First);
        var box = await BoxAsync(target);
        var overlaps = snackbar.X < box.X + box.Width && box.X < snackbar.X + snackbar.Width
            && snackbar.Y < box.Y + box.Height && box.Y < snackbar.Y + snackbar.Height;
        Assert.False(overlaps, $"The snackbar ({snackbar.Y:0}..{snackbar.Y + snackbar.Height:0}) covers {target} ({box.Y:0}..{box.Y + box.Height:0}).");
    }

    // A status badge ends inside its card (a long label ellipsizes rather than spilling out of its pill or the card).
    private static async Task ExpectBadgesInsideTheirCardAsync(ILocator card)
    {
        var spill = await card.EvaluateAsync<string[]>("""
            card => { const c = card.getBoundingClientRect();
                      return [...card.querySelectorAll('.badge')]
                        .filter(b => b.getBoundingClientRect().right > c.right - 1 || b.scrollWidth > b.clientWidth + 1 && !b.title)
                        .map(b => b.textContent.trim()); }
            """);
        Assert.Empty(spill);
    }

    // A finished card's actions (Download, Variants, Retry with a new seed, Copy, Remove) share one line: no pair of
    // icons left alone on a line of their own.
    private static async Task ExpectOneLineAsync(ILocator actions)
    {
        var tops = await actions.EvaluateAsync<int[]>("a => [...a.children].map(c => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2))");
        Assert.True(tops.Length >= 3, $"Expected the finished card's actions, found {tops.Length}.");
        Assert.True(tops.Max() - tops.Min() <= 4, $"The card's actions lie on more than one line (centres {string.Join(", ", tops)}).");
    }

    // Every visible control outside the (closed) drawer lies within the screen's width.
    private async Task ExpectActionsWithinWidthAsync()
    {
        var offenders = await Page.EvaluateAsync<string[]>($$"""
            () => [...document.querySelectorAll('button, a[href], input:not([type=file]), textarea, [role=button]')]
              .filter(el => !el.closest('.mud-drawer') && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
              .map(el => ({ el, r: el.getBoundingClientRect() }))
              .filter(({ r }) => r.width > 0 && (r.left < -1 || r.right > {{Width}} + 1))
              .map(({ el, r }) => `${el.tagName} "${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40)}" ${Math.round(r.left)}..${Math.round(r.right)}`)
            """);
        Assert.Empty(offenders);
    }
}
