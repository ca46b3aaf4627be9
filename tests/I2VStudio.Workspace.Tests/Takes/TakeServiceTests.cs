using I2VStudio.Testing;
using I2VStudio.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Takes;
using I2VStudio.Workspace.Tests.Support;

namespace I2VStudio.Workspace.Tests.Takes;

public sealed class SqliteTakeServiceTests() : TakeServiceTests(TestProvider.Sqlite);

public sealed class PostgresTakeServiceTests() : TakeServiceTests(TestProvider.Postgres);

public abstract class TakeServiceTests(TestProvider provider) : IAsyncLifetime
{
    private TestWorkspace workspace = default!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => workspace = await TestWorkspace.StartAsync(provider, Ct);

    public async ValueTask DisposeAsync()
    {
        if (workspace is not null) await workspace.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task<Shot> ShotAsync(string prompt = "雨落下。")
    {
        var project = await workspace.Projects.CreateProjectAsync($"p-{Guid.NewGuid():N}", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, $"第一章\n{prompt}", "序章", Ct);
        return (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0].Shots[0];
    }

    private async Task<Take> TakeAsync(Guid shotId)
    {
        var take = new Take { ShotId = shotId, PromptSent = "x", Phase = "Succeeded", CreatedAt = workspace.Time.GetUtcNow().UtcDateTime };
        await using var db = workspace.OpenDb();
        db.Takes.Add(take);
        await db.SaveChangesAsync(Ct);
        return take;
    }

    [Fact]
    public void FullPrompt_PrefixShotSuffix_JoinedAsTyped()
    {
        var project = new Project { StylePrefix = "水墨风格，", StyleSuffix = ", cinematic" };

        Assert.Equal("水墨风格，雨落下。, cinematic", TakeRunner.FullPrompt(project, new Shot { Prompt = " 雨落下。 " }));
    }

    [Fact]
    public async Task Generate_ShotWithoutSourceImage_RefusedAndNoTake()
    {
        var shot = await ShotAsync();

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Runner.GenerateAsync(shot.Id, 1, Ct));

        Assert.Equal(WorkspaceError.NoSourceImage, e.Code);
        Assert.Empty((await workspace.Takes.GetShotAsync(shot.Id, Ct)).Takes);
    }

    [Fact]
    public async Task Generate_TooManyVariations_Refused()
    {
        var shot = await ShotAsync();

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Runner.GenerateAsync(shot.Id, TakeRunner.MaxVariations + 1, Ct));

        Assert.Equal(WorkspaceError.OutOfRange, e.Code);
    }

    [Fact]
    public async Task Choose_ThenRejectSameTake_NoLongerChosen()
    {
        var shot = await ShotAsync();
        var take = await TakeAsync(shot.Id);

        await workspace.Takes.ChooseAsync(take.Id, Ct);
        var chosen = (await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot.ChosenTakeId;
        await workspace.Takes.SetRejectedAsync(take.Id, true, Ct);
        var after = await workspace.Takes.GetShotAsync(shot.Id, Ct);

        Assert.Equal(take.Id, chosen);
        Assert.Null(after.Shot.ChosenTakeId);
        Assert.True(after.Takes.Single().Rejected);
    }

    [Fact]
    public async Task Reject_RunnerSavesTheTakeInBetween_AppliedNotAConflict()
    {
        var shot = await ShotAsync();
        var take = await TakeAsync(shot.Id);
        var contexts = new RunnerWritesFirst(workspace.Services.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>(), take.Id);

        await new TakeService(contexts, workspace.Services.GetRequiredService<IOptions<WorkspaceOptions>>()).SetRejectedAsync(take.Id, true, Ct);

        await using var db = workspace.OpenDb();
        var row = await db.Takes.AsNoTracking().SingleAsync(t => t.Id == take.Id, Ct);
        Assert.Equal((1, true, "Captured"), (contexts.RunnerWrites, row.Rejected, row.Phase));
    }

    /// <summary>
    /// Hands out the workspace's contexts; the first save through them is preceded by the runner's own save of the take
    /// (a new phase, its version raised), the race a click on the take board meets while takes finish.
    /// </summary>
    private sealed class RunnerWritesFirst(IDbContextFactory<WorkspaceDbContext> inner, Guid takeId) : IDbContextFactory<WorkspaceDbContext>
    {
        public int RunnerWrites { get; private set; }

        public WorkspaceDbContext CreateDbContext()
        {
            var db = inner.CreateDbContext();
            db.SavingChanges += (_, _) =>
            {
                if (RunnerWrites > 0) return;
                RunnerWrites++;
                using var runner = inner.CreateDbContext();
                var row = runner.Takes.Single(t => t.Id == takeId);
                row.Phase = "Captured";
                runner.SaveChanges();
            };
            return db;
        }
    }

    [Fact]
    public async Task Rate_OutOfRange_RefusedAndInRangeKept()
    {
        var shot = await ShotAsync();
        var take = await TakeAsync(shot.Id);

        await workspace.Takes.RateAsync(take.Id, 4, Ct);
        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Takes.RateAsync(take.Id, 6, Ct));

        Assert.Equal(WorkspaceError.OutOfRange, e.Code);
        Assert.Equal(4, (await workspace.Takes.GetShotAsync(shot.Id, Ct)).Takes.Single().Rating);
    }

    [Fact]
    public async Task UpdateShot_StaleVersion_ConflictAndFirstPromptKept()
    {
        var shot = await ShotAsync();
        await workspace.Takes.UpdateShotAsync(shot.Id, shot.Version, new ShotSettings("第一稿", "", null, null, null, null, null), Ct);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() =>
            workspace.Takes.UpdateShotAsync(shot.Id, shot.Version, new ShotSettings("第二稿", "", 8, null, null, null, null), Ct));

        Assert.Equal(WorkspaceError.Conflict, e.Code);
        Assert.Equal(("第一稿", (int?)null), ((await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot.Prompt, (await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot.NumStepsOverride));
    }

    [Fact]
    public async Task SetSourceImage_VideoAsset_Refused()
    {
        var shot = await ShotAsync();
        byte[] mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', 0, 0, 0, 0];
        var video = (await workspace.Assets.AddFileAsync(new MemoryStream(mp4), "v.mp4", Ct)).Asset;
        var image = (await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(8, 8)), "i.png", Ct)).Asset;

        await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Takes.SetSourceImageAsync(shot.Id, video.Id, Ct));
        await workspace.Takes.SetSourceImageAsync(shot.Id, image.Id, Ct);

        Assert.Equal(image.Id, (await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot.SourceImageAssetId);
    }
}
