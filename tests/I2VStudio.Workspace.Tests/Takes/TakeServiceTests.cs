using I2VStudio.Testing;
using I2VStudio.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Takes;
using I2VStudio.Workspace.Tests.Support;
using TurboDiffusion.Client.Jobs;

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

    private async Task<Take> TakeAsync(Guid shotId, string phase = "Succeeded")
    {
        var take = new Take { ShotId = shotId, PromptSent = "x", Phase = phase, CreatedAt = workspace.Time.GetUtcNow().UtcDateTime };
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

    private WorkspaceOptions Options => workspace.Services.GetRequiredService<IOptions<WorkspaceOptions>>().Value;

    private InterceptedContexts Intercepted(BeforeFirstUpdate interceptor) => new(Options, interceptor);

    private TakeJobColumns RunnerColumns(IDbContextFactory<WorkspaceDbContext>? contexts = null) =>
        new(contexts ?? workspace.Services.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>());

    private async Task<Guid> VideoAsync()
    {
        byte[] mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0];
        return (await workspace.Assets.AddFileAsync(new MemoryStream(mp4), "take.mp4", Ct)).Asset.Id;
    }

    private async Task<Take> RowAsync(Guid takeId)
    {
        await using var db = workspace.OpenDb();
        return await db.Takes.AsNoTracking().SingleAsync(t => t.Id == takeId, Ct);
    }

    [Fact]
    public async Task Reject_RunnerWritesBetweenUserReadAndSave_RejectionAndRunnerColumnsKept()
    {
        var shot = await ShotAsync();
        var take = await TakeAsync(shot.Id, "Running");
        var video = await VideoAsync();
        var user = new BeforeFirstUpdate(async ct =>
        {
            await RunnerColumns().WriteJobAsync(take.Id, "job-1", JobPhase.Succeeded, null, ct);
            await RunnerColumns().WriteVideoAsync(take.Id, video, ct);
        });

        await new TakeService(Intercepted(user), workspace.Services.GetRequiredService<IOptions<WorkspaceOptions>>()).SetRejectedAsync(take.Id, true, Ct);

        var row = await RowAsync(take.Id);
        Assert.True(user.Fired);
        Assert.Equal((true, "job-1", "Succeeded", (Guid?)video), (row.Rejected, row.JobId, row.Phase, row.VideoAssetId));
    }

    [Fact]
    public async Task Choose_ShotEditedBetweenReadAndSave_AppliedNotAConflict()
    {
        var shot = await ShotAsync();
        var take = await TakeAsync(shot.Id);
        var user = new BeforeFirstUpdate(ct =>
            workspace.Takes.UpdateShotAsync(shot.Id, shot.Version, new ShotSettings("另一个标签页", "", null, null, null, null, null), ct));

        await new TakeService(Intercepted(user), workspace.Services.GetRequiredService<IOptions<WorkspaceOptions>>()).ChooseAsync(take.Id, Ct);

        var after = (await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot;
        Assert.True(user.Fired);
        Assert.Equal((take.Id, "另一个标签页"), (after.ChosenTakeId, after.Prompt));
    }

    [Fact]
    public async Task WriteJob_UserEditsShotAndTakeBetweenRunnerReadAndWrite_SucceededAndUserEditsKept()
    {
        var shot = await ShotAsync();
        var take = await TakeAsync(shot.Id, "Running");
        var runner = new BeforeFirstUpdate(async ct =>
        {
            await workspace.Takes.UpdateShotAsync(shot.Id, shot.Version, new ShotSettings("新提示", "笔记", 2, null, null, null, null), ct);
            await workspace.Takes.RateAsync(take.Id, 4, ct);
            await workspace.Takes.ChooseAsync(take.Id, ct);
        });

        var written = await RunnerColumns(Intercepted(runner)).WriteJobAsync(take.Id, "job-1", JobPhase.Succeeded, null, Ct);

        var row = await RowAsync(take.Id);
        var after = (await workspace.Takes.GetShotAsync(shot.Id, Ct)).Shot;
        Assert.True(runner.Fired);
        Assert.Equal((shot.Id, false), written);
        Assert.Equal(("job-1", "Succeeded", (int?)4), (row.JobId, row.Phase, row.Rating));
        Assert.Equal((take.Id, "新提示", (int?)2), (after.ChosenTakeId, after.Prompt, after.NumStepsOverride));
    }

    [Fact]
    public async Task WriteVideo_UserRejectsBetweenRunnerReadAndWrite_VideoAndRejectionKept()
    {
        var shot = await ShotAsync();
        var take = await TakeAsync(shot.Id, "Succeeded");
        var video = await VideoAsync();
        var runner = new BeforeFirstUpdate(ct => workspace.Takes.SetRejectedAsync(take.Id, true, ct));

        var shotId = await RunnerColumns(Intercepted(runner)).WriteVideoAsync(take.Id, video, Ct);

        var row = await RowAsync(take.Id);
        Assert.True(runner.Fired);
        Assert.Equal(shot.Id, shotId);
        Assert.Equal(((Guid?)video, true, "Succeeded"), (row.VideoAssetId, row.Rejected, row.Phase));
    }

    [Fact]
    public async Task WriteJob_TakeDeleted_Null()
    {
        var shot = await ShotAsync();

        Assert.Null(await RunnerColumns().WriteJobAsync(Guid.NewGuid(), "job-1", JobPhase.Running, null, Ct));
        Assert.Empty((await workspace.Takes.GetShotAsync(shot.Id, Ct)).Takes);
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
