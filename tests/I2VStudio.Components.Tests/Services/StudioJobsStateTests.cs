using Bunit;
using I2VStudio.Components.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components.Tests;

/// <summary>
/// The one owner of the studio's jobs: it talks to the tracker (a fake that records every call), keeps the selection,
/// and carries out what the panels raise. The dialogs (remove, submit again) need MudBlazor's provider, so these run
/// in the bUnit context; the state itself is a plain class.
/// </summary>
public sealed class StudioJobsStateTests : StudioTestContext
{
    private StudioJobsState CreateState() => new(Tracker, Services.GetRequiredService<StudioJobActions>());

    private static JobRequest RequestFor(string prompt) =>
        new("i2v", new JobInputs { Prompt = prompt, ImageBlobKey = "blob-cat" }, default);

    [Fact]
    public void Create_SubscribesOnceAndDisposeUnsubscribes()
    {
        var state = CreateState();
        Assert.Equal(1, Tracker.ActiveSubscriptions);

        state.Dispose();

        Assert.Equal(0, Tracker.ActiveSubscriptions);
    }

    [Fact]
    public async Task Initialize_CalledTwice_InitializesTheTrackerOnce()
    {
        using var state = CreateState();

        await state.InitializeAsync(Ct);
        await state.InitializeAsync(Ct);

        Assert.Equal(1, Tracker.InitializeCalls);
        Assert.True(state.IsInitialized);
    }

    [Fact]
    public async Task Initialize_StoredJobs_SelectsTheNewestAndMarksItSeen()
    {
        Tracker.Records.AddRange([TestJobs.Make("b", JobPhase.Succeeded, 2), TestJobs.Make("a", JobPhase.Failed, 1)]);
        using var state = CreateState();

        await state.InitializeAsync(Ct);

        Assert.Equal("b", state.SelectedId);
        Assert.Equal("b", state.Selected?.Id);
        Assert.Equal(["b"], Tracker.MarkedSeen);
    }

    [Fact]
    public async Task Select_ActiveJob_NotMarkedSeen()
    {
        Tracker.Records.Add(TestJobs.Make("r", JobPhase.Running));
        using var state = CreateState();

        await state.SelectAsync("r", Ct);

        Assert.Equal("r", state.SelectedId);
        Assert.Empty(Tracker.MarkedSeen);
    }

    [Fact]
    public async Task Submit_RecordSelectedTheMomentItAppearsBeforeThePostEnds()
    {
        Tracker.SubmitGate = new TaskCompletionSource();
        using var state = CreateState();

        var submit = state.SubmitAsync(RequestFor("a cat"), Ct);

        Assert.False(submit.IsCompleted);
        Assert.Equal("new-1", state.SelectedId);
        Tracker.SubmitGate.SetResult();
        Assert.Equal("new-1", (await submit).Id);
    }

    [Fact]
    public async Task TrackerAddsAnotherRecord_WhileSubmitting_SelectionStaysOnTheSubmission()
    {
        Tracker.SubmitGate = new TaskCompletionSource();
        using var state = CreateState();
        var submit = state.SubmitAsync(RequestFor("a cat"), Ct);

        await Tracker.AddAsync(TestJobs.Make("other-tab", JobPhase.Queued));

        Assert.Equal("new-1", state.SelectedId);
        Tracker.SubmitGate.SetResult();
        await submit;
    }

    [Fact]
    public async Task SelectedJobRemovedElsewhere_SelectionCleared()
    {
        Tracker.Records.Add(TestJobs.Make("b", JobPhase.Succeeded));
        using var state = CreateState();
        await state.SelectAsync("b", Ct);

        await Tracker.RemoveAsync("b", Ct);

        Assert.Null(state.SelectedId);
        Assert.Null(state.Selected);
    }

    [Fact]
    public async Task SelectedJobFinishes_MarkedSeen()
    {
        Tracker.Records.Add(TestJobs.Make("r", JobPhase.Running));
        using var state = CreateState();
        await state.SelectAsync("r", Ct);

        await Tracker.ChangeAsync(TestJobs.Make("r", JobPhase.Succeeded));

        Assert.Equal(["r"], Tracker.MarkedSeen);
    }

    [Fact]
    public async Task TrackerChange_RaisesChanged_AndNoneAfterDispose()
    {
        var state = CreateState();
        var raised = 0;
        state.Changed += (_, _) => raised++;

        await Tracker.AddAsync(TestJobs.Make("q", JobPhase.Queued));
        Assert.Equal(1, raised);
        state.Dispose();
        await Tracker.AddAsync(TestJobs.Make("p", JobPhase.Queued));

        Assert.Equal(1, raised);
    }

    [Fact]
    public async Task Retry_SameParameters_TrackerRetriesWithoutNewSeedAndSelectsIt()
    {
        Tracker.Records.Add(TestJobs.Make("f", JobPhase.Failed));
        using var state = CreateState();

        await state.RetryAsync(Tracker.Records[0], newSeed: false, Ct);

        Assert.Equal([("f", (long?)null)], Tracker.Retries);
        Assert.StartsWith("retry-", state.SelectedId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryWithNewSeed_UsesTheGeneratorsSeed()
    {
        Tracker.Records.Add(TestJobs.Make("f", JobPhase.Failed));
        using var state = CreateState();

        await state.RetryAsync(Tracker.Records[0], newSeed: true, Ct);

        Assert.Equal([("f", (long?)1001)], Tracker.Retries);
    }

    [Fact]
    public async Task RetryWithNewSeed_GeneratorRepeatsTheOriginalSeed_PicksAnother()
    {
        Tracker.Records.Add(TestJobs.Make("f", JobPhase.Failed, seed: 1001));
        using var state = CreateState();

        await state.RetryAsync(Tracker.Records[0], newSeed: true, Ct);

        Assert.Equal([("f", (long?)1002)], Tracker.Retries);
    }

    [Fact]
    public async Task Variants_Default_ThreeRetriesWithThreeNewSeedsAndTheFirstSelected()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        using var state = CreateState();

        await state.VariantsAsync(Tracker.Records[0], Ct);

        Assert.Equal([("s", (long?)1001), ("s", (long?)1002), ("s", (long?)1003)], Tracker.Retries);
        Assert.Equal("retry-1", state.SelectedId);
    }

    [Fact]
    public async Task Variants_ConfiguredCount_ThatManyJobs()
    {
        StudioOptions.VariantCount = 5;
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        using var state = CreateState();

        await state.VariantsAsync(Tracker.Records[0], Ct);

        Assert.Equal(5, Tracker.Retries.Count);
        Assert.Equal(5, Tracker.Retries.Select(r => r.Seed).Distinct().Count());
    }

    [Theory]
    [InlineData(JobPhase.Lost)]
    [InlineData(JobPhase.TimedOut)]
    public async Task KeepChecking_AsksTheTracker(JobPhase phase)
    {
        Tracker.Records.Add(TestJobs.Make("l", phase));
        using var state = CreateState();

        await state.KeepCheckingAsync(Tracker.Records[0], Ct);

        Assert.Equal(["l"], Tracker.KeptChecking);
    }

    [Fact]
    public async Task SubmitAgain_SubmitFailed_AsksTheTrackerForTheSameRecordAndSelectsIt()
    {
        Tracker.Records.Add(TestJobs.Make("x", JobPhase.SubmitFailed) with { Error = new JobError { Message = "Cannot reach the backend." } });
        using var state = CreateState();

        await state.SubmitAgainAsync(Tracker.Records[0], Ct);

        Assert.Equal(["x"], Tracker.SubmittedAgain);
        Assert.Equal("x", state.SelectedId);
    }

    [Theory]
    [InlineData(JobPhase.Failed, "retry-new-seed", 1)]
    [InlineData(JobPhase.Failed, "retry", 1)]
    [InlineData(JobPhase.Succeeded, "variants", 3)]
    [InlineData(JobPhase.Succeeded, "retry-new-seed", 1)]
    public async Task NewSubmission_SecondRequestWhileTheFirstPosts_OneSubmission(JobPhase phase, string action, int expected)
    {
        Tracker.Records.Add(TestJobs.Make("x", phase));
        Tracker.RetryGate = new TaskCompletionSource();
        using var state = CreateState();
        var job = Tracker.Records[0];
        Task Act() => action switch
        {
            "variants" => state.VariantsAsync(job, Ct),
            _ => state.RetryAsync(job, newSeed: action == "retry-new-seed", Ct),
        };

        var first = Act();
        var second = Act();
        Tracker.RetryGate.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(expected, Tracker.Retries.Count);
        Assert.All(Tracker.Retries, r => Assert.Equal("x", r.Id));
    }

    [Fact]
    public async Task SubmitWithoutEnhancement_LlmRefused_NewJobFromItsInputsWithEnhancementOffAndSelected()
    {
        var refused = TestJobs.LlmRefused("r");
        Tracker.Records.Add(refused);
        using var state = CreateState();

        await state.SubmitWithoutEnhancementAsync(refused, Ct);

        var sent = Assert.Single(Tracker.Submitted);
        Assert.Same(refused.Inputs, sent.Inputs);
        Assert.Equal(I2VParams.FromJson(refused.Params) with { EnhancePrompt = false }, I2VParams.FromJson(sent.Params));
        Assert.Empty(Tracker.SubmittedAgain);
        Assert.Equal("new-1", state.SelectedId);
        Assert.Same(refused, Tracker.Find("r")); // the refused record stays as it was
    }

    [Fact]
    public async Task SubmitWithoutEnhancement_SecondClickWhileTheFirstPosts_OneSubmission()
    {
        var refused = TestJobs.LlmRefused("r");
        Tracker.Records.Add(refused);
        Tracker.SubmitGate = new TaskCompletionSource();
        using var state = CreateState();

        var first = state.SubmitWithoutEnhancementAsync(refused, Ct);
        var second = state.SubmitWithoutEnhancementAsync(refused, Ct);
        Tracker.SubmitGate.SetResult();
        await Task.WhenAll(first, second);

        Assert.Single(Tracker.Submitted);
    }

    [Fact]
    public async Task SubmitWithoutEnhancement_MayHaveBeenSubmitted_AsksFirst()
    {
        var refused = TestJobs.LlmRefused("m") is var r ? r with { Error = r.Error! with { MayHaveBeenSubmitted = true } } : null!;
        Tracker.Records.Add(refused);
        var dialogs = Render<MudDialogProvider>();
        using var state = CreateState();

        var cancelled = dialogs.InvokeAsync(() => state.SubmitWithoutEnhancementAsync(refused, Ct));
        dialogs.WaitForAssertion(() => Assert.Contains("may start a second GPU job", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        await cancelled;

        Assert.Empty(Tracker.Submitted);
    }

    [Fact]
    public async Task SubmitAgain_MayHaveBeenSubmitted_AsksFirst()
    {
        Tracker.Records.Add(TestJobs.Make("m", JobPhase.SubmitFailed) with
        {
            Error = new JobError { Message = "The backend did not answer in time.", MayHaveBeenSubmitted = true },
        });
        var dialogs = Render<MudDialogProvider>();
        using var state = CreateState();

        var cancelled = dialogs.InvokeAsync(() => state.SubmitAgainAsync(Tracker.Records[0], Ct));
        dialogs.WaitForAssertion(() => Assert.Contains("may start a second GPU job", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        await cancelled;
        Assert.Empty(Tracker.SubmittedAgain);

        var confirmed = dialogs.InvokeAsync(() => state.SubmitAgainAsync(Tracker.Records[0], Ct));
        dialogs.WaitForAssertion(() => Assert.Contains("may start a second GPU job", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Submit again").Click();
        await confirmed;

        Assert.Equal(["m"], Tracker.SubmittedAgain);
    }

    [Fact]
    public async Task CopyId_CopiesTheBackendsJobId()
    {
        Tracker.Records.Add(TestJobs.Make("q", JobPhase.Queued));
        Render<MudSnackbarProvider>();
        using var state = CreateState();

        await state.CopyIdAsync(Tracker.Records[0], Ct);

        Assert.Equal("3f1c2a9e-q", ActionsModule.Invocations["copyText"].Single().Arguments[0]);
    }

    [Fact]
    public async Task Download_IssuesTicketWithMeaningfulNameAndDownloadsSameOrigin()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded, seed: 42, steps: 4));
        using var state = CreateState();

        await state.DownloadAsync(Tracker.Records[0], Ct);

        var ticket = Assert.Single(Tickets.Issued);
        Assert.Equal("3f1c2a9e-s", ticket.JobId);
        var expectedName = $"i2v_{TimeZoneInfo.ConvertTime(TestJobs.Epoch, Clock.LocalTimeZone):yyyy-MM-dd_HHmm}_seed42_4steps.mp4";
        Assert.Equal(expectedName, ticket.FileName);
        var download = ActionsModule.Invocations["download"].Single();
        Assert.Equal("http://localhost/_i2v/download/ticket-1", download.Arguments[0]);
        Assert.Equal(expectedName, download.Arguments[1]);
    }

    [Fact]
    public async Task Download_RestoredRecordWithForeignUrl_TicketNamesTheJobNeverTheUrl()
    {
        // localStorage is the user's to edit: a "finished" record pointing at cloud metadata, valid for years.
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded) with
        {
            OutputUrl = "http://169.254.169.254/latest/meta-data/",
            OutputUrlExpiresAt = Clock.GetUtcNow().AddYears(5),
        });
        using var state = CreateState();

        await state.DownloadAsync(Tracker.Records[0], Ct);

        var ticket = Assert.Single(Tickets.Issued);
        Assert.DoesNotContain("169.254", ticket.ToString(), StringComparison.Ordinal);
        Assert.Equal("3f1c2a9e-s", ticket.JobId);
    }

    [Fact]
    public async Task Download_LinkAboutToExpire_RefreshedFirst()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded) with { OutputUrlExpiresAt = Clock.GetUtcNow().AddSeconds(30) });
        using var state = CreateState();

        await state.DownloadAsync(Tracker.Records[0], Ct);

        Assert.Equal(["s"], Tracker.Refreshed);
        Assert.Equal("3f1c2a9e-s", Tickets.Issued.Single().JobId);
    }

    [Fact]
    public async Task RefreshLink_AsksTheTrackerAndReturnsTheNewUrl()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        using var state = CreateState();

        var url = await state.RefreshLinkAsync(Tracker.Records[0], Ct);

        Assert.Equal("https://storage.example/out.mp4?sig=fresh", url);
        Assert.Equal(["s"], Tracker.Refreshed);
    }

    [Fact]
    public async Task Remove_Confirmed_TrackerRemovesAndSelectionCleared()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        var dialogs = Render<MudDialogProvider>();
        using var state = CreateState();
        await state.SelectAsync("s", Ct);

        var remove = dialogs.InvokeAsync(() => state.RemoveAsync(Tracker.Records[0], Ct));
        dialogs.WaitForAssertion(() => Assert.Contains("The video on the server is not deleted.", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove").Click();
        await remove;

        Assert.Equal(["s"], Tracker.Removed);
        Assert.Null(state.SelectedId);
    }

    [Fact]
    public async Task Remove_Cancelled_KeepsTheJobAndTheSelection()
    {
        Tracker.Records.Add(TestJobs.Make("s", JobPhase.Succeeded));
        var dialogs = Render<MudDialogProvider>();
        using var state = CreateState();
        await state.SelectAsync("s", Ct);

        var remove = dialogs.InvokeAsync(() => state.RemoveAsync(Tracker.Records[0], Ct));
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("button")));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        await remove;

        Assert.Empty(Tracker.Removed);
        Assert.Equal("s", state.SelectedId);
    }

    [Fact]
    public async Task Track_JobId_AdoptedAsI2VAndSelected()
    {
        using var state = CreateState();

        await state.TrackAsync(" 0b6f5a52-1d7e-4f0c-8f3e-5c9a7d2e1b44 ", Ct);

        Assert.Equal([("0b6f5a52-1d7e-4f0c-8f3e-5c9a7d2e1b44", "i2v")], Tracker.Adopted);
        Assert.StartsWith("adopted-", state.SelectedId, StringComparison.Ordinal);
        Assert.Null(state.TrackProblem);
        Assert.False(state.Tracking);
    }

    [Fact]
    public async Task Track_TrackerRefuses_TheReasonKeptWordForWord()
    {
        Tracker.AdoptError = new InvalidOperationException("This job is already in the list.");
        using var state = CreateState();

        await state.TrackAsync("abc", Ct);

        Assert.Equal("This job is already in the list.", state.TrackProblem);
        Assert.False(state.Tracking);
        Assert.Null(state.SelectedId);
    }
}
