using System.Globalization;
using I2VStudio.Testing;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using I2VStudio.Workspace.Takes;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Client;

namespace I2VStudio.Workspace.Tests.Takes;

public sealed class SqliteTakeDurationTests() : TakeDurationTests(TestProvider.Sqlite);

public sealed class PostgresTakeDurationTests() : TakeDurationTests(TestProvider.Postgres);

/// <summary>A take's clip length and prompt enhancement: the shot's override or the project's default, sent on VideoGen
/// only, kept by a retry, and refused (nothing sent) when out of the I2V form's range.</summary>
public abstract class TakeDurationTests(TestProvider provider) : IDisposable
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private readonly RecordingBackend backend = new();

    private Task<TestWorkspace> StartAsync(BackendProfile profile, Action<WorkspaceOptions>? options = null) =>
        TestWorkspace.StartAsync(provider, Ct, services =>
        {
            backend.Install(services, profile);
            if (options is not null) services.Configure(options);
        });

    /// <summary>A project whose shot has a source image; its defaults are <paramref name="defaultSeconds"/> and
    /// <paramref name="defaultEnhance"/>.</summary>
    private static async Task<(Project Project, Shot Shot)> ShotAsync(TestWorkspace workspace, double defaultSeconds = 5, bool defaultEnhance = false)
    {
        var created = await workspace.Projects.CreateProjectAsync($"p-{Guid.NewGuid():N}", Ct);
        var project = await workspace.Projects.UpdateProjectAsync(created.Id, created.Version,
            new ProjectSettings(created.Name, "", "", 4, 42, true, defaultSeconds, defaultEnhance), Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章\n雨落下。", "序章", Ct);
        var shot = (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0].Shots[0];
        var image = (await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(8, 8)), "i.png", Ct)).Asset;
        await workspace.Takes.SetSourceImageAsync(shot.Id, image.Id, Ct);
        return (project, (await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot);
    }

    private static Task<Shot> OverrideAsync(TestWorkspace workspace, Shot shot, double? seconds, bool? enhance) =>
        workspace.Takes.UpdateShotAsync(shot.Id, shot.Version, new ShotSettings(shot.Prompt, "", null, null, null, seconds, enhance), Ct);

    public void Dispose()
    {
        backend.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Seconds(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Generate_VideoGenShotOverride_SendsShotDurationAndEnhance()
    {
        await using var workspace = await StartAsync(BackendProfile.VideoGen);
        var (_, shot) = await ShotAsync(workspace, defaultSeconds: 5);
        await OverrideAsync(workspace, shot, 7.5, true);

        var take = (await workspace.Runner.GenerateAsync(shot.Id, 1, Ct)).Single();
        var post = await backend.NextPostAsync(Ct);

        Assert.Equal("/v1/videogen/wan22-i2v/jobs", post.Path);
        Assert.Equal(Seconds(7.5), post.Fields["duration_seconds"]);
        Assert.Equal("true", post.Fields["enhance_prompt"]);
        Assert.Equal((7.5, true), (take.DurationSeconds, take.EnhancePrompt));
    }

    [Fact]
    public async Task Generate_VideoGenLlmUnavailable_SentWithoutEnhanceAndTheShotKeepsItsChoice()
    {
        backend.LlmAvailable = false;
        await using var workspace = await StartAsync(BackendProfile.VideoGen);
        var (_, shot) = await ShotAsync(workspace, defaultSeconds: 5);
        await OverrideAsync(workspace, shot, null, true);

        var take = (await workspace.Runner.GenerateAsync(shot.Id, 1, Ct)).Single();
        var post = await backend.NextPostAsync(Ct);

        Assert.NotEqual("true", post.Fields.GetValueOrDefault("enhance_prompt"));
        Assert.Equal(Seconds(5), post.Fields["duration_seconds"]);
        Assert.False(take.EnhancePrompt);
        Assert.True((await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot.EnhancePromptOverride);
    }

    [Fact]
    public async Task Retry_EnhancedTakeWhileLlmUnavailable_SentWithoutEnhance()
    {
        await using var workspace = await StartAsync(BackendProfile.VideoGen);
        var (_, shot) = await ShotAsync(workspace, defaultEnhance: true);
        var first = (await workspace.Runner.GenerateAsync(shot.Id, 1, Ct)).Single();
        Assert.Equal("true", (await backend.NextPostAsync(Ct)).Fields["enhance_prompt"]);
        backend.LlmAvailable = false;

        var retried = await workspace.Runner.RetryAsync(first.Id, newSeed: false, Ct);
        var post = await backend.NextPostAsync(Ct);

        Assert.True(first.EnhancePrompt);
        Assert.NotEqual("true", post.Fields.GetValueOrDefault("enhance_prompt"));
        Assert.False(retried.EnhancePrompt);
    }

    [Fact]
    public async Task Generate_VideoGenNoOverride_SendsProjectDefaultToEveryVariation()
    {
        await using var workspace = await StartAsync(BackendProfile.VideoGen);
        var (_, shot) = await ShotAsync(workspace, defaultSeconds: 3.5);

        var takes = await workspace.Runner.GenerateAsync(shot.Id, 2, Ct);
        var posts = new[] { await backend.NextPostAsync(Ct), await backend.NextPostAsync(Ct) };

        Assert.All(posts, p => Assert.Equal(Seconds(3.5), p.Fields["duration_seconds"]));
        Assert.All(posts, p => Assert.False(p.Fields.ContainsKey("enhance_prompt")));
        Assert.All(takes, t => Assert.Equal(3.5, t.DurationSeconds));
        await using var db = workspace.OpenDb();
        Assert.All(await db.Takes.AsNoTracking().Where(t => t.ShotId == shot.Id).ToListAsync(Ct), t => Assert.Equal(3.5, t.DurationSeconds));
    }

    [Fact]
    public async Task Retry_ShotDurationChangedSince_KeepsTheTakesDuration()
    {
        await using var workspace = await StartAsync(BackendProfile.VideoGen);
        var (_, shot) = await ShotAsync(workspace);
        shot = await OverrideAsync(workspace, shot, 8, null);
        var first = (await workspace.Runner.GenerateAsync(shot.Id, 1, Ct)).Single();
        await backend.NextPostAsync(Ct);
        await OverrideAsync(workspace, shot, 2, null);

        var retried = await workspace.Runner.RetryAsync(first.Id, newSeed: true, Ct);
        var post = await backend.NextPostAsync(Ct);

        Assert.Equal(Seconds(8), post.Fields["duration_seconds"]);
        Assert.Equal(8, retried.DurationSeconds);
    }

    [Fact]
    public async Task Generate_VideoGenDurationOverMax_RefusedWithFormRuleAndNothingSent()
    {
        await using var workspace = await StartAsync(BackendProfile.VideoGen);
        var (_, shot) = await ShotAsync(workspace);
        await using (var db = workspace.OpenDb())
        {
            // Stored before the limit was lowered (UpdateShotAsync refuses it today).
            var row = await db.Shots.SingleAsync(s => s.Id == shot.Id, Ct);
            row.DurationOverride = 12.5;
            await db.SaveChangesAsync(Ct);
        }

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Runner.GenerateAsync(shot.Id, 3, Ct));

        Assert.Equal(WorkspaceError.DurationOutOfRange, e.Code);
        Assert.Equal(10d, e.Arguments.Single());
        Assert.Empty(backend.Posts);
        Assert.Empty((await workspace.Takes.GetShotAsync(shot.Id, Ct)).Takes);
    }

    [Theory]
    [InlineData(2.3)]
    [InlineData(10.5)]
    [InlineData(0)]
    public async Task UpdateShot_DurationNotHalfSecondStepUpToMax_RefusedAndOverrideKept(double seconds)
    {
        await using var workspace = await StartAsync(BackendProfile.VideoGen);
        var (_, shot) = await ShotAsync(workspace);
        shot = await OverrideAsync(workspace, shot, 6, null);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => OverrideAsync(workspace, shot, seconds, null));

        Assert.Equal(WorkspaceError.DurationOutOfRange, e.Code);
        Assert.Equal(6, (await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot.DurationOverride);
    }

    [Fact]
    public async Task UpdateProject_DefaultDurationOutOfRange_Refused()
    {
        await using var workspace = await StartAsync(BackendProfile.VideoGen);
        var created = await workspace.Projects.CreateProjectAsync("p", Ct);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Projects.UpdateProjectAsync(created.Id, created.Version,
            new ProjectSettings("p", "", "", 4, null, true, 11, false), Ct));

        Assert.Equal(WorkspaceError.DurationOutOfRange, e.Code);
        Assert.Equal(5, (await workspace.Projects.GetTreeAsync(created.Id, Ct)).DefaultDurationSeconds);
    }

    [Fact]
    public async Task CreateProject_ConfiguredDefaultDuration_NewProjectStartsWithIt()
    {
        await using var workspace = await StartAsync(BackendProfile.VideoGen, o => o.DefaultDurationSeconds = 3.5);

        var created = await workspace.Projects.CreateProjectAsync("p", Ct);

        Assert.Equal(3.5, created.DefaultDurationSeconds);
        Assert.Equal(3.5, (await workspace.Projects.GetTreeAsync(created.Id, Ct)).DefaultDurationSeconds);
    }

    [Fact]
    public async Task Generate_NewProjectUnderLowerMax_SendsTheMaxInsteadOfRefusing()
    {
        // The default (5 s) left as it is, the limit lowered below it.
        await using var workspace = await StartAsync(BackendProfile.VideoGen, o => o.MaxDurationSeconds = 4);
        var created = await workspace.Projects.CreateProjectAsync("p", Ct);
        await workspace.Projects.ImportNovelAsync(created.Id, "第一章\n雨落下。", "序章", Ct);
        var shot = (await workspace.Projects.GetTreeAsync(created.Id, Ct)).Chapters[0].Scenes[0].Shots[0];
        var image = (await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(8, 8)), "i.png", Ct)).Asset;
        await workspace.Takes.SetSourceImageAsync(shot.Id, image.Id, Ct);

        var take = (await workspace.Runner.GenerateAsync(shot.Id, 1, Ct)).Single();
        var post = await backend.NextPostAsync(Ct);

        Assert.Equal(Seconds(4), post.Fields["duration_seconds"]);
        Assert.Equal(4, take.DurationSeconds);
    }

    [Fact]
    public async Task Generate_Legacy_SendsNeitherDurationNorEnhance()
    {
        await using var workspace = await StartAsync(BackendProfile.Legacy);
        var (_, shot) = await ShotAsync(workspace, defaultSeconds: 7, defaultEnhance: true);

        var take = (await workspace.Runner.GenerateAsync(shot.Id, 1, Ct)).Single();
        var post = await backend.NextPostAsync(Ct);

        Assert.Equal("/v1/turbodiffusion/wan22-i2v/jobs", post.Path);
        Assert.False(post.Fields.ContainsKey("duration_seconds"));
        Assert.False(post.Fields.ContainsKey("enhance_prompt"));
        Assert.Equal(((double?)null, false), (take.DurationSeconds, take.EnhancePrompt));
    }
}
