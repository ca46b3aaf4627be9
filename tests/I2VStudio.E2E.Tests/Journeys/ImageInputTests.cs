using I2VStudio.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 2: an image arrives by drag-and-drop and by paste, as well as by the picker.</summary>
[Collection(SharedStudio.Name)]
public sealed class ImageInputTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    [Fact]
    public async Task DropZone_FileDropped_ImageLoaded()
    {
        await Ui.OpenAsync();

        await FileEvents.DropAsync(Page, Ui.DropZone, "dropped.png", "image/png", TestImages.Png(320, 200));

        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Img, new() { Name = "Preview of dropped.png" })).ToBeVisibleAsync();
        await Expect(Ui.ImageSection).ToContainTextAsync("320 × 200 px");
    }

    [Fact]
    public async Task Page_FilePastedWhileTypingPrompt_ImageLoadedAndPromptUntouched()
    {
        await Ui.OpenAsync();
        await Ui.FillPromptAsync("Typed before the paste");
        await Ui.Prompt.FocusAsync();

        await FileEvents.PasteAsync(Page, "pasted.png", "image/png", TestImages.Png(256, 256));

        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Img, new() { Name = "Preview of pasted.png" })).ToBeVisibleAsync();
        await Expect(Ui.ImageSection).ToContainTextAsync("256 × 256 px");
        await Expect(Ui.Prompt).ToHaveValueAsync("Typed before the paste");
        await Expect(Ui.Generate).ToBeEnabledAsync();
    }
}
