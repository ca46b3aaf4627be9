using I2VStudio.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 7: each bad file gets its own message, and nothing reaches the backend.</summary>
public sealed class BadFileTests(BrowserFixture browser, SmallImageCapFixture studio)
    : StudioTest<SmallImageCapFixture>(browser, studio), IClassFixture<SmallImageCapFixture>
{
    public static TheoryData<string, string, string, string> BadFiles => new()
    {
        { "gif", "anim.gif", "image/gif", "anim.gif: Only JPEG and PNG images are supported." },
        { "text", "notes.png", "image/png", "notes.png: Only JPEG and PNG images are supported." },
        { "empty", "empty.png", "image/png", "empty.png: The file is empty." },
        { "oversize", "huge.png", "image/png", "huge.png: The file is larger than 1 MB." },
        { "pixels", "giant.png", "image/png", "giant.png: The image is too large (50000 × 50000); the limit is 40 megapixels." },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Pick_BadFile_SpecificMessageAndNoRequestToBackend(string kind, string name, string mimeType, string message)
    {
        var content = kind switch
        {
            "gif" => TestImages.Gif(),
            "text" => TestImages.Text("This is a text file, not an image.\n"),
            "empty" => [],
            "oversize" => TestImages.NoisePng(700, 700), // ≈ 1.4 MB of incompressible pixels
            "pixels" => TestImages.PngHeaderOnly(50_000, 50_000),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        Assert.True(kind != "oversize" || content.Length > SmallImageCapFixture.MaxBytes);
        await Ui.OpenAsync();
        await Ui.FillPromptAsync("A prompt, so only the image blocks Generate");

        await Ui.PickFileAsync(name, mimeType, content);

        await Expect(Ui.ImageProblem).ToHaveTextAsync(message);
        await Expect(Ui.Generate).ToBeDisabledAsync();
        await Expect(Page.Locator(".generate")).ToContainTextAsync("Choose an image.");
        // Ctrl+Enter does not get around it either.
        await Ui.Prompt.PressAsync("Control+Enter");
        await Expect(Ui.Cards).ToHaveCountAsync(0);
        var counters = Emulator.Counters.Snapshot();
        Assert.Equal(0, counters.PostJob);
        Assert.Equal(0, counters.GetJob);
        Assert.Equal(0, counters.StorageGet);
    }
}
