extern alias host;

using Bunit;
using host::I2VStudio.Host.Components.Workspace;
using I2VStudio.Host.Tests.Support;
using I2VStudio.Workspace.Model;
using Microsoft.EntityFrameworkCore;
using TurboDiffusion.Client;

namespace I2VStudio.Host.Tests.Workspace;

/// <summary>The project page's settings against a backend that answers late or speaks Legacy.</summary>
public sealed class ProjectPageTests : WorkspacePageContext
{
    private IRenderedComponent<ProjectPage> RenderProject(Guid projectId) => Render<ProjectPage>(p => p.Add(c => c.ProjectId, projectId));

    [Fact]
    public async Task Open_BackendNotAnsweringYet_InteractiveAndSavesAtOnceThenDurationAppearsWhenItAnswers()
    {
        var (projectId, _) = await ProjectWithOneShotAsync("Late backend");

        var cut = RenderProject(projectId);

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=project-page]").GetAttribute("data-interactive")));
        Assert.Empty(cut.FindAll("[data-testid=settings-duration]"));
        cut.Find("form.ws-form").Submit();
        cut.WaitForAssertion(() => Assert.Equal("Saved.", cut.Find("[data-testid=ws-info]").TextContent.Trim()));

        Profiles.Answer(BackendProfile.VideoGen);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=settings-duration]")));
    }

    [Fact]
    public async Task GenerateChapter_OnlyShotHasATakeRunning_SaysItIsUnderWayAndOffersNoStart()
    {
        var (projectId, shotId) = await ProjectWithOneShotAsync("Manual take running");
        await using (var db = OpenDb())
        {
            db.Takes.Add(new Take { ShotId = shotId, PromptSent = "雨夜很长。", Phase = "Running", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
        }
        var cut = RenderProject(projectId);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=project-page]").GetAttribute("data-interactive")));

        cut.Find("button[aria-label='Generate 第一章 雨夜']").Click();

        cut.WaitForAssertion(() => Assert.Equal("Shots already under way (not sent again): 1",
            cut.Find("[data-testid=batch-under-way]").TextContent.Trim()));
        Assert.DoesNotContain("Every shot here already has a chosen or finished take", cut.Find("[data-testid=batch-estimate]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=batch-start]"));
    }

    [Fact]
    public async Task SaveSettings_LegacyWithStoredDurationOutOfRange_SavedAndTheDurationKept()
    {
        var (projectId, _) = await ProjectWithOneShotAsync("Legacy, long clip stored");
        await StoreAsync<Project>(projectId, project => project.DefaultDurationSeconds = 12);
        Profiles.Answer(BackendProfile.Legacy);
        var cut = RenderProject(projectId);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=project-page]").GetAttribute("data-interactive")));

        cut.Find("[data-testid=settings-prefix]").Change("电影感，");
        cut.Find("form.ws-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("Saved.", cut.Find("[data-testid=ws-info]").TextContent.Trim()));
        await using var db = OpenDb();
        var saved = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, Ct);
        Assert.Equal(("电影感，", 12.0), (saved.StylePrefix, saved.DefaultDurationSeconds));
    }

    [Fact]
    public async Task SaveSettings_VideoGenWithStoredDurationOutOfRange_RefusedWithTheFormsMessage()
    {
        var (projectId, _) = await ProjectWithOneShotAsync("VideoGen, long clip stored");
        await StoreAsync<Project>(projectId, project => project.DefaultDurationSeconds = 12);
        Profiles.Answer(BackendProfile.VideoGen);
        var cut = RenderProject(projectId);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=settings-duration]")));

        cut.Find("form.ws-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("Duration must be from 0.5 to 10 seconds, in 0.5 s steps.",
            cut.Find("[data-testid=ws-error]").TextContent.Trim()));
    }
}
