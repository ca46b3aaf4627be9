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

    [Fact]
    public async Task Preview_LargeImagePicked_ShowsACopyAtMost1024PxAlsoAfterReloadAndSendsTheOriginal()
    {
        var staging = new TaskCompletionSource<Microsoft.Playwright.IRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        Page.RequestFinished += (_, request) =>
        {
            if (request.Url.Contains("/_i2v/upload/", StringComparison.Ordinal)) staging.TrySetResult(request);
        };
        var png = TestImages.Png(3000, 1500);
        await Ui.OpenAsync();

        await Ui.PickPngAsync("wide.png", png, 3000, 1500);

        // 1024 px on the long side, the aspect ratio kept, and not the file itself.
        var shown = await PreviewAsync();
        Assert.Equal((1024, 512), (shown.Width, shown.Height));
        Assert.NotEqual(png.Length, shown.Bytes);
        await Expect(Ui.ImageSection).ToContainTextAsync("3000 × 1500 px");
        // The copy that goes to the host (and on to the backend) is the original, byte for byte in length.
        var copy = await staging.Task.WaitAsync(Timeouts.JobSpan, Ct);
        Assert.Equal(png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), await copy.HeaderValueAsync("content-length"));

        // The draft brings the image back after a reload, shown through a downscaled copy again.
        await Ui.ReloadAsync();
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Img, new() { Name = "Preview of wide.png" })).ToBeVisibleAsync();
        var restored = await PreviewAsync();
        Assert.Equal((1024, 512), (restored.Width, restored.Height));

        // Upright: 1024 px is the height.
        await Ui.PickPngAsync("tall.png", TestImages.Png(1200, 2400), 1200, 2400);
        var tall = await PreviewAsync();
        Assert.Equal((512, 1024), (tall.Width, tall.Height));
    }

    [Fact]
    public async Task Preview_SmallImagePicked_ShowsTheFileItself()
    {
        var png = TestImages.Png(640, 360);
        await Ui.OpenAsync();

        await Ui.PickPngAsync("small.png", png, 640, 360);

        var shown = await PreviewAsync();
        Assert.Equal((640, 360, png.Length), (shown.Width, shown.Height, shown.Bytes));
    }

    /// <summary>The input panel's preview as the browser has it: its pixel size and the bytes behind its blob: URL.</summary>
    private async Task<(int Width, int Height, long Bytes)> PreviewAsync()
    {
        var facts = await Page.EvaluateAsync<long[]>("""
            async () => { const img = document.querySelector('.input-panel img.preview'); await img.decode();
                          const blob = await (await fetch(img.src)).blob();
                          return [img.naturalWidth, img.naturalHeight, blob.size]; }
            """);
        return ((int)facts[0], (int)facts[1], facts[2]);
    }
}
