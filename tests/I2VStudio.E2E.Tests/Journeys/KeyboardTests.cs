using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 10: the whole form by keyboard — Tab to the picker, Enter opens it, fill, Enter on Generate, Ctrl+Enter (and a repeated one while submitting).</summary>
[Collection(SharedStudio.Name)]
public sealed class KeyboardTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    private const int MaxTabs = 60;

    [Fact]
    public async Task KeyboardOnly_PickFillAndSubmit_EnterOnGenerateAndCtrlEnterEachMakeAJob()
    {
        await Ui.OpenAsync();

        await TabToAsync(Ui.DropZone);
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Page.Keyboard.PressAsync("Enter"));
        await chooser.SetFilesAsync(new FilePayload { Name = "keys.png", MimeType = "image/png", Buffer = TestImages.Png(320, 240) });
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "Preview of keys.png" })).ToBeVisibleAsync();

        await TabToAsync(Ui.Prompt);
        await Page.Keyboard.TypeAsync("Typed with the keyboard");
        await Page.Keyboard.PressAsync("Enter"); // a new line in the prompt, not a submit
        await Page.Keyboard.TypeAsync("second line");
        await Expect(Ui.Prompt).ToHaveValueAsync("Typed with the keyboard\nsecond line");
        await Expect(Ui.Cards).ToHaveCountAsync(0);

        await TabToAsync(Ui.Seed);
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.TypeAsync("11");
        await Expect(Ui.Seed).ToHaveValueAsync("11");

        await TabToAsync(Ui.Generate);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Ui.Cards).ToHaveCountAsync(1);
        await Expect(Ui.Result.Locator("[data-part=params]")).ToContainTextAsync("Seed: 11");

        // Once the first POST is answered (a submission in flight ignores the shortcut, against double submits),
        // back to the prompt (Shift+Tab) for the next variant: Ctrl+Enter submits from there.
        await Ui.SelectedJobIdAsync();
        await Expect(Ui.Generate).ToBeEnabledAsync();
        await TabToAsync(Ui.Prompt, backwards: true);
        // Its POST is held (a slow upload): a second Ctrl+Enter meanwhile makes no job, and says so.
        Emulator.Tap.HoldPosts();
        await Page.Keyboard.PressAsync("Control+Enter");
        await Expect(Ui.Cards).ToHaveCountAsync(2);
        await Page.Keyboard.PressAsync("Control+Enter");
        var busy = Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Already submitting — one moment." });
        await Expect(busy).ToBeVisibleAsync();
        await KeepScreenshotAsync("already-submitting");
        Emulator.Tap.ReleasePosts();
        await Expect(busy).ToHaveCountAsync(0);
        await Expect(Ui.Cards).ToHaveCountAsync(2);
        await StudioPage.ExpectCeleryAsync(Ui.Cards.Nth(0), "SUCCESS", timeout: Timeouts.Job);
        await StudioPage.ExpectCeleryAsync(Ui.Cards.Nth(1), "SUCCESS", timeout: Timeouts.Job);
    }

    /// <summary>Presses Tab (or Shift+Tab) until <paramref name="target"/> has the focus (fails after <see cref="MaxTabs"/> presses).</summary>
    private async Task TabToAsync(ILocator target, bool backwards = false)
    {
        for (var presses = 0; presses < MaxTabs; presses++)
        {
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement"))
            {
                return;
            }

            await Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        Assert.Fail($"{MaxTabs} Tab presses did not reach {target}.");
    }
}
