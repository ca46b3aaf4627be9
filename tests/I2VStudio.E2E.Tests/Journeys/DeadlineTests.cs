using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journeys 5 (deadline → Keep checking) and 6 (an id the backend never saw → Lost, polling stops).</summary>
public sealed class DeadlineTests(BrowserFixture browser, ShortDeadlineFixture studio)
    : StudioTest<ShortDeadlineFixture>(browser, studio), IClassFixture<ShortDeadlineFixture>
{
    [Fact]
    public async Task Deadline_JobOutlivesIt_MayStillBeRunningThenKeepCheckingFinishes()
    {
        Emulator.Render.Hold(); // the job outlives the 4 s deadline for sure
        await Ui.OpenAsync();
        await Ui.PickPngAsync("canyon.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("Light sweeping across a canyon");
        var card = await Ui.GenerateAsync();
        var jobId = await Ui.SelectedJobIdAsync();

        // The card says it in two words (the sentence is its tooltip); the result panel says it once, in full.
        await Expect(card).ToContainTextAsync("Timed out");
        await Expect(card.GetByTitle("Still waiting — may be running in the background")).ToBeVisibleAsync();
        await Expect(Ui.Result.GetByText("Still waiting — may be running in the background")).ToHaveCountAsync(1);
        await KeepScreenshotAsync("timed-out");

        // The job was still running (the deadline is the studio's, not the backend's); it finishes meanwhile.
        Emulator.Render.Release();
        Assert.Equal("SUCCESS", await Emulator.WaitForFinishAsync(jobId, Timeouts.JobSpan, Ct));
        await Ui.ResultButton("Keep checking").ClickAsync();

        await StudioPage.ExpectCeleryAsync(card, "SUCCESS");
        await Expect(card).ToContainTextAsync("Done");
        await Ui.WaitForPlayableVideoAsync();
    }

    [Fact]
    public async Task TrackById_IdTheBackendNeverSaw_LostAndPollingStops()
    {
        var unknownId = Guid.NewGuid().ToString();
        await Ui.OpenAsync();

        await Ui.TrackInput.FillAsync(unknownId);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Track", Exact = true }).ClickAsync();

        var card = Ui.Card(unknownId);
        await Expect(card).ToContainTextAsync("Unknown to the backend");
        await Expect(Ui.Result.GetByText("The backend does not know this job")).ToHaveCountAsync(1);
        var getsWhenLost = Emulator.Tap.GetsFor(unknownId);
        Assert.True(getsWhenLost > 0);
        await KeepScreenshotAsync("lost");

        // Let a real job run past its 4 s deadline meanwhile: many poll intervals pass, none for the lost id.
        Emulator.Render.Hold();
        await Ui.PickPngAsync("pier.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("Waves under the pier");
        await Ui.GenerateAsync(expectedCards: 2);
        await Expect(Ui.Card("Waves under the pier")).ToContainTextAsync("Timed out");
        Assert.Equal(getsWhenLost, Emulator.Tap.GetsFor(unknownId));
        await Expect(card).ToContainTextAsync("Unknown to the backend");

        // Remove (with confirmation) takes it off the list.
        await card.GetByTitle("Show this job").ClickAsync();
        await Ui.ResultButton("Remove").ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Remove this job from the list?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Expect(Ui.Cards).ToHaveCountAsync(1);
        await Expect(Ui.Card(unknownId)).ToHaveCountAsync(0);
    }
}
