extern alias host;

using System.Globalization;
using Bunit;
using host::I2VStudio.Host.Components.Workspace;
using I2VStudio.Host.Tests.Support;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Takes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Client;

namespace I2VStudio.Host.Tests.Workspace;

/// <summary>The shot editor against a backend that answers late, speaks Legacy, or whose LLM fails.</summary>
public sealed class ShotPageTests : WorkspacePageContext
{
    private IRenderedComponent<ShotPage> RenderShot(Guid projectId, Guid shotId) =>
        Render<ShotPage>(p => p.Add(c => c.ProjectId, projectId).Add(c => c.ShotId, shotId));

    private static void WaitForProfile(IRenderedComponent<ShotPage> cut, BackendProfile profile) =>
        cut.WaitForAssertion(() => Assert.Equal(profile.ToString(), cut.Find("[data-testid=shot-page]").GetAttribute("data-profile")));

    /// <summary>A shot whose project asks for prompt enhancement, on a VideoGen backend whose LLM answers 503; its editor
    /// open, Generate pressed.</summary>
    private async Task<(IRenderedComponent<ShotPage> Cut, Guid ShotId)> GenerateWithTheLlmDownAsync(string projectName)
    {
        var (projectId, shotId) = await ProjectWithOneShotAsync(projectName);
        await GiveSourceImageAsync(shotId);
        await StoreAsync<Project>(projectId, project => project.DefaultEnhancePrompt = true);
        Backend.LlmFails = true;
        Profiles.Answer(BackendProfile.VideoGen);
        var cut = RenderShot(projectId, shotId);
        WaitForProfile(cut, BackendProfile.VideoGen);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=enhance_prompt]")));

        cut.Find("[data-testid=generate-take]").Click();
        return (cut, shotId);
    }

    [Fact]
    public async Task Open_TakeNeverSent_SaysSoInTheUisWordsNotTheStoredPhaseName()
    {
        var (projectId, shotId) = await ProjectWithOneShotAsync("Never sent");
        await using (var db = OpenDb())
        {
            // What the take runner leaves of a take stored just before the host stopped (FailTakesNeverSentAsync).
            db.Takes.Add(new Take { ShotId = shotId, PromptSent = "p", Phase = "SubmitFailed", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
        }
        Profiles.Answer(BackendProfile.Legacy);

        var cut = RenderShot(projectId, shotId);

        cut.WaitForAssertion(() => Assert.Equal("Not submitted", cut.Find("[data-testid=take-phase]").TextContent.Trim()));
        Assert.Equal("Not sent: the studio stopped before this take reached the backend. Retry sends it.",
            cut.Find("[data-testid=take-not-sent]").TextContent.Trim());
    }

    [Fact]
    public async Task Open_BackendNotAnsweringYet_InteractiveAndSavesAtOnceThenDurationAppearsWhenItAnswers()
    {
        var (projectId, shotId) = await ProjectWithOneShotAsync("Late backend");

        var cut = RenderShot(projectId, shotId);

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=shot-page]").GetAttribute("data-interactive")));
        Assert.Empty(cut.FindAll("[data-param=duration_seconds]"));
        cut.Find("[data-testid=save-shot]").Click();
        cut.WaitForAssertion(() => Assert.Equal("Saved.", cut.Find("[data-testid=ws-info]").TextContent.Trim()));

        Profiles.Answer(BackendProfile.VideoGen);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-param=duration_seconds]")));
    }

    [Fact]
    public async Task Generate_LegacyWithStoredDurationOutOfRange_SavesAndSendsNoDuration()
    {
        var (projectId, shotId) = await ProjectWithOneShotAsync("Legacy, long clip stored");
        await GiveSourceImageAsync(shotId);
        await StoreAsync<Shot>(shotId, shot => shot.DurationOverride = 12);
        Profiles.Answer(BackendProfile.Legacy);
        var cut = RenderShot(projectId, shotId);
        WaitForProfile(cut, BackendProfile.Legacy);

        cut.Find("[data-testid=generate-take]").Click();

        cut.WaitForAssertion(() => Assert.Single(Backend.Posts));
        Assert.Empty(cut.FindAll("[data-testid=ws-error]"));
        Assert.False(Backend.Posts.Single().ContainsKey("duration_seconds"));
        Assert.Empty(cut.FindAll("[data-param=duration_seconds]"));
    }

    [Fact]
    public async Task Generate_LlmAnswers503_ErrorAtTheSwitchAndTheWayOutOnlyOnTheTakeCard()
    {
        var (cut, _) = await GenerateWithTheLlmDownAsync("LLM down");

        cut.WaitForAssertion(() => Assert.Contains("LLM prompt enhancement unavailable",
            cut.Find("[data-param=enhance_prompt] [data-part=enhance-error]").TextContent, StringComparison.Ordinal));
        // One button for one way out: the card's, which sends that take again (its seed kept) without enhancement.
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-action=submit-without-enhancement]")));
        Assert.Empty(cut.FindAll("[data-param=enhance_prompt] [data-action=submit-without-enhancement]"));
        Assert.Single(cut.FindAll("[data-testid=take-item] [data-action=submit-without-enhancement]"));
    }

    [Fact]
    public async Task TakeMadeElsewhere_ChangeArrivesFromAThreadInAnotherLanguage_PageStaysInItsOwn()
    {
        var (projectId, shotId) = await ProjectWithOneShotAsync("Language kept");
        await GiveSourceImageAsync(shotId);
        Profiles.Answer(BackendProfile.Legacy);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        var cut = RenderShot(projectId, shotId);
        cut.WaitForAssertion(() => Assert.Equal("生成结果", cut.Find("#ws-takes-heading").TextContent.Trim()));

        // A batch (a host-wide background service, in the process's language) makes a take of the shot meanwhile.
        await Task.Run(async () =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            await Services.GetRequiredService<TakeRunner>().GenerateAsync(shotId, 1, Ct);
        }, Ct);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=take-item]")));
        Assert.Equal("生成结果", cut.Find("#ws-takes-heading").TextContent.Trim());
        Assert.Equal("镜头编辑", cut.Find("#ws-shot-heading").TextContent.Trim());
    }

    [Fact]
    public async Task Generate_LlmAnswers503_TakeCardSaysItOnceWithSubmitWithoutEnhancementAsItsPrimaryAction()
    {
        var (cut, _) = await GenerateWithTheLlmDownAsync("LLM down, take card");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=take-item] [data-action=submit-without-enhancement]")));
        var card = cut.Find("[data-testid=take-item]");
        // The backend's words once on the page (at the switch they name); the card says what happened in the UI's words.
        var page = cut.Find("[data-testid=shot-page]").TextContent;
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "LLM prompt enhancement unavailable"));
        Assert.Equal("Not sent: the backend's AI prompt enhancement is unavailable. Send this take without it.",
            card.QuerySelector("[data-testid=take-llm-refused]")!.TextContent.Trim());
        // Its way out is the card's primary action; nothing on it repeats the request that cannot succeed.
        var offer = card.QuerySelector("[data-action=submit-without-enhancement]")!;
        Assert.Equal("Submit without enhancement", offer.TextContent.Trim());
        Assert.Contains("mud-button-filled", offer.ClassList);
        Assert.Empty(card.QuerySelectorAll("[data-action=submit-again]"));
        Assert.Empty(card.QuerySelectorAll("button[aria-label='Retry']"));

        // Found again inside the click: the board re-renders as the tracker reports.
        await cut.InvokeAsync(() => cut.Find("[data-testid=take-item] [data-action=submit-without-enhancement]").Click());

        cut.WaitForAssertion(() => Assert.Equal(2, Backend.Posts.Count));
        Assert.Equal(["true", "false"], Backend.Posts.Select(p => p.GetValueOrDefault("enhance_prompt", "false")));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=take-item]").Count));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-part=enhance-error]")));
    }

    [Fact]
    public async Task SubmitAgain_TakeWhosePostFailed_SendsItAgainAsANewTake()
    {
        var (projectId, shotId) = await ProjectWithOneShotAsync("Broker down");
        await GiveSourceImageAsync(shotId);
        Backend.PostsFail = true;
        Profiles.Answer(BackendProfile.VideoGen);
        var cut = RenderShot(projectId, shotId);
        WaitForProfile(cut, BackendProfile.VideoGen);
        cut.Find("[data-testid=generate-take]").Click();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=take-item] [data-action=submit-again]")));
        // The backend's words once: in the result panel, not again under it.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(cut.Find("[data-testid=take-item]").TextContent, "broker unreachable"));
        Backend.PostsFail = false;

        await cut.InvokeAsync(() => cut.Find("[data-testid=take-item] [data-action=submit-again]").Click());

        cut.WaitForAssertion(() => Assert.Equal(2, Backend.Posts.Count));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=take-item]").Count));
    }
}
