using I2VStudio.E2E.Tests.Infrastructure;
using TurboDiffusion.Emulator;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>
/// Journeys 4 (reload mid-job) and 8 (the emulator stopped mid-job and restarted). The render gate holds the job in
/// RUNNING, so "mid-job" is a state the test holds rather than a race against the job's duration.
/// </summary>
[Collection(SharedStudio.Name)]
public sealed class InterruptionTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    [Fact]
    public async Task Reload_WhileJobRuns_JobStillListedAndFinishes()
    {
        Emulator.Render.Hold();
        await Ui.OpenAsync();
        await Ui.PickPngAsync("street.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("A rainy street at night");
        await Ui.GenerateAsync();
        var jobId = await Ui.SelectedJobIdAsync();
        await Emulator.WaitForStatusAsync(jobId, JobEventSource.Database, "RUNNING", Timeouts.JobSpan, Ct);

        await Ui.ReloadAsync();

        var card = Ui.Card("A rainy street at night");
        await Expect(Ui.Cards).ToHaveCountAsync(1);
        await StudioPage.ExpectCeleryAsync(card, "STARTED");
        await Expect(card).ToContainTextAsync("Generating");
        // The form is restored too: the prompt from localStorage, the image from IndexedDB.
        await Expect(Ui.Prompt).ToHaveValueAsync("A rainy street at night");
        await Expect(Ui.ImageSection).ToContainTextAsync("street.png");
        await Expect(Ui.ImageSection).ToContainTextAsync("320 × 240 px");
        await KeepScreenshotAsync("running-after-reload");

        Emulator.Render.Release();

        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        await Expect(card).ToContainTextAsync("Done");
        await Ui.WaitForPlayableVideoAsync();
        Assert.Equal(jobId, await Ui.SelectedJobIdAsync());
    }

    [Fact]
    public async Task EmulatorRestart_RunningAndQueuedJobs_RunningEndsWithReasonQueuedResumesNoRecordLost()
    {
        Emulator.Render.Hold();
        await Ui.OpenAsync();
        await Ui.PickPngAsync("mountain.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("First: clouds over the mountain");
        await Ui.GenerateAsync();
        var runningId = await Ui.SelectedJobIdAsync();
        await Emulator.WaitForStatusAsync(runningId, JobEventSource.Database, "RUNNING", Timeouts.JobSpan, Ct);

        // One worker: the second job waits in the queue behind the first.
        await Ui.FillPromptAsync("Second: snow falling on the mountain");
        await Ui.GenerateAsync(expectedCards: 2);
        await Expect(Ui.Result).ToContainTextAsync("Second: snow falling on the mountain");
        var queuedId = await Ui.SelectedJobIdAsync();
        await Emulator.WaitForStatusAsync(queuedId, JobEventSource.Database, "SUBMITTED", Timeouts.JobSpan, Ct);

        await Emulator.StopAsync();

        // The backend is gone: the cards say so and keep trying.
        await Expect(Ui.Card("First: clouds")).ToContainTextAsync("Connection trouble, retrying");
        await Expect(Ui.Card("Second: snow")).ToContainTextAsync("Connection trouble, retrying");
        await KeepScreenshotAsync("backend-down");

        Emulator.Render.Release();
        await Emulator.RestartAsync(Ct);

        // The interrupted job ends with the emulator's clear reason; the queued one resumes and finishes.
        var first = Ui.Card("First: clouds");
        await StudioPage.ExpectCeleryAsync(first, "FAILURE", timeout: Timeouts.Job);
        await Expect(first).ToContainTextAsync("Worker restarted while the job was running");
        await Expect(first).Not.ToContainTextAsync("Connection trouble");
        var second = Ui.Card("Second: snow");
        await StudioPage.ExpectCeleryAsync(second, "SUCCESS", timeout: Timeouts.Job);
        await Expect(second).Not.ToContainTextAsync("Connection trouble");
        await Expect(Ui.Cards).ToHaveCountAsync(2);

        await first.GetByTitle("Show this job").ClickAsync();
        await Expect(Ui.Result.Locator("[data-part=error-text]")).ToHaveTextAsync(
            "Worker restarted while the job was running (emulator restart); submit it again.");

        // Nothing lost after a reload either.
        await Ui.ReloadAsync();
        await Expect(Ui.Cards).ToHaveCountAsync(2);
    }
}
