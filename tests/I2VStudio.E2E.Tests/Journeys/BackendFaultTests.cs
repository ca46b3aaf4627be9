using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using TurboDiffusion.Emulator;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>
/// Journey 8: the backend misbehaves — broker down (500 JSON) and a proxy's 502 HTML page on the POST, a 422 naming
/// fields, 503 with Retry-After on status GETs. (The emulator stopped and restarted mid-job is in
/// <see cref="InterruptionTests"/>, which has slower jobs.)
/// </summary>
[Collection(SharedStudio.Name)]
public sealed class BackendFaultTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    private const string Prompt = "A paper boat on a puddle\nclose-up, shallow focus";

    [Fact]
    public async Task Post_BrokerDown_ReadableMessageInputsKeptAndSubmitAgainSucceeds()
    {
        Emulator.Faults.Update(f => f with { BrokerDown = true });
        await FillFormAsync();

        var card = await Ui.GenerateAsync();

        await Expect(card).ToContainTextAsync("Not submitted");
        var message = card.GetByRole(AriaRole.Alert);
        await Expect(message).ToContainTextAsync("Failed to submit Celery task");
        await ExpectInputsKeptAsync();
        await KeepScreenshotAsync("not-submitted");

        Emulator.Faults.Reset();
        await StudioPage.CardButton(card, "Submit again").ClickAsync();

        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        await Expect(Ui.Cards).ToHaveCountAsync(1);
        Assert.Equal(2, Emulator.Counters[EmulatorRoute.PostJob]);
    }

    [Fact]
    public async Task Post_ProxyAnswers502Html_MayHaveBeenSubmittedReadableMessageWithoutMarkupAndInputsKept()
    {
        Emulator.Faults.Update(f => f with { ProxyHtml502 = FaultTarget.Post });
        await FillFormAsync();

        var card = await Ui.GenerateAsync();

        // A proxy's 502 says nothing about whether the backend took the job: the card says so, not "Not submitted".
        await Expect(card).ToContainTextAsync("May have been submitted");
        var message = card.GetByRole(AriaRole.Alert);
        await Expect(message).ToContainTextAsync("502");
        await Expect(message).ToContainTextAsync("Bad Gateway");
        await Expect(message).Not.ToContainTextAsync("<");
        await Expect(StudioPage.CardButton(card, "Submit again")).ToBeVisibleAsync();
        await Expect(Ui.ResultButton("Submit again")).ToBeVisibleAsync();
        await ExpectInputsKeptAsync();

        // Submitting again asks first; cancelling posts nothing.
        await StudioPage.CardButton(card, "Submit again").ClickAsync();
        var confirm = Page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("may start a second GPU job");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirm).ToHaveCountAsync(0);
        Assert.Equal(1, Emulator.Counters[EmulatorRoute.PostJob]);
    }

    [Fact]
    public async Task Post_Rejected422_MessagesShownByTheFieldsTheyName()
    {
        // A proxy drops the multipart Content-Type: the emulator's FastAPI-style validation finds neither field.
        Emulator.Tap.MangleNextPosts(1);
        await FillFormAsync();

        var card = await Ui.GenerateAsync();

        await Expect(card).ToContainTextAsync("Not submitted");
        var problems = card.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Listitem);
        await Expect(problems).ToHaveCountAsync(2);
        // One short sentence above the list; the items are not repeated in it.
        await Expect(card.GetByRole(AriaRole.Alert)).ToContainTextAsync("The backend did not accept these values:");
        await Expect(card.GetByText("Field required")).ToHaveCountAsync(2);
        await Expect(problems.Filter(new() { HasText = "Prompt" })).ToContainTextAsync("Field required");
        await Expect(problems.Filter(new() { HasText = "Image" })).ToContainTextAsync("Field required");
        // And on the form, next to the fields themselves.
        await Expect(Ui.ImageSection.GetByText("Server: Field required")).ToHaveCountAsync(2);
        await Expect(Ui.Prompt).ToHaveAttributeAsync("aria-invalid", "true");
        await ExpectInputsKeptAsync();
        await KeepScreenshotAsync("rejected");

        await StudioPage.CardButton(card, "Submit again").ClickAsync();
        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
    }

    [Fact]
    public async Task StatusGets_503WithRetryAfter_ConnectionTroubleThenSuccessOnceItClears()
    {
        Emulator.Faults.Update(f => f with { GetError = new GetErrorFault { StatusCode = 503, RetryAfterSeconds = 1 } });
        await FillFormAsync();

        var card = await Ui.GenerateAsync();

        await Expect(card).ToContainTextAsync("Connection trouble, retrying");
        await Expect(Ui.Result).ToContainTextAsync("Connection trouble, retrying");
        await KeepScreenshotAsync("connection-trouble");
        var jobId = await Ui.SelectedJobIdAsync();
        Assert.Equal("SUCCESS", await Emulator.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(60), Ct));
        // Still in trouble while the GETs fail, even though the job is done on the backend.
        await Expect(card).ToContainTextAsync("Connection trouble, retrying");

        Emulator.Faults.Reset();

        await StudioPage.ExpectCeleryAsync(card, "SUCCESS");
        await Expect(card).Not.ToContainTextAsync("Connection trouble");
        await Ui.WaitForPlayableVideoAsync();
    }

    private async Task FillFormAsync()
    {
        await Ui.OpenAsync();
        await Ui.PickPngAsync("puddle.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync(Prompt);
        await Ui.Seed.FillAsync("1234");
    }

    private async Task ExpectInputsKeptAsync()
    {
        await Expect(Ui.Prompt).ToHaveValueAsync(Prompt);
        await Expect(Ui.Seed).ToHaveValueAsync("1234");
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "Preview of puddle.png" })).ToBeVisibleAsync();
        await Expect(Ui.Generate).ToBeEnabledAsync();
    }
}
