using System.Data.Common;
using I2VStudio.Testing;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Tests.Takes;

public sealed class SqliteTakeRunnerTests() : TakeRunnerTests(TestProvider.Sqlite);

public sealed class PostgresTakeRunnerTests() : TakeRunnerTests(TestProvider.Postgres);

/// <summary>The runner's own bookkeeping: a take it stores is always handed to the tracker, and the take follows its
/// job's newest state.</summary>
public abstract class TakeRunnerTests(TestProvider provider) : IDisposable
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private readonly RecordingBackend backend = new();

    public void Dispose()
    {
        backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Generate_CancelledRightAfterTheTakeIsStored_TakeStillSentAndTracked()
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cancelOnInsert = new AfterTakeInsert(caller.Cancel);
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct, services =>
        {
            backend.Install(services, BackendProfile.VideoGen);
            services.AddSingleton<IDbContextFactory<WorkspaceDbContext>>(sp =>
                new InterceptedContexts(sp.GetRequiredService<IOptions<WorkspaceOptions>>().Value, cancelOnInsert));
        });
        var shot = await ShotWithImageAsync(workspace);

        // The page closed (or the host began stopping) just as the take was stored.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workspace.Runner.GenerateAsync(shot, 3, caller.Token));
        var post = await backend.NextPostAsync(Ct);

        var take = Assert.Single((await workspace.Takes.GetShotAsync(shot, Ct)).Takes);
        Assert.True(cancelOnInsert.Fired);
        Assert.Equal("/v1/videogen/wan22-i2v/jobs", post.Path);
        Assert.NotNull(workspace.Runner.RecordOf(take.Id));
        Assert.Single(backend.Posts);
    }

    [Fact]
    public async Task JobChange_OlderSnapshotToldLate_TakeKeepsTheNewestState()
    {
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct, services => backend.Install(services, BackendProfile.VideoGen));
        var shot = await ShotWithImageAsync(workspace);
        var take = (await workspace.Runner.GenerateAsync(shot, 1, Ct)).Single();
        await backend.NextPostAsync(Ct);
        var newest = workspace.Runner.RecordOf(take.Id)!;

        // The submission's first change (no job id yet), told after the POST's answer was written.
        await workspace.Runner.OnJobChangedAsync(new JobChange(JobChangeKind.Added, newest.Id, newest with { JobId = null, Status = JobStatus.Submitting }, null));

        var row = Assert.Single((await workspace.Takes.GetShotAsync(shot, Ct)).Takes);
        Assert.Equal(JobPhase.Queued, newest.Status.Phase);
        Assert.Equal((newest.JobId, "Queued"), (row.JobId, row.Phase));
    }

    private static async Task<Guid> ShotWithImageAsync(TestWorkspace workspace)
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章\n雨落下。", "序章", Ct);
        var shot = (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0].Shots[0];
        var image = (await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(8, 8)), "i.png", Ct)).Asset;
        await workspace.Takes.SetSourceImageAsync(shot.Id, image.Id, Ct);
        return shot.Id;
    }

    /// <summary>Calls <c>cancel</c> once a take's row is inserted.</summary>
    private sealed class AfterTakeInsert(Action cancel) : DbCommandInterceptor
    {
        private int fired;

        public bool Fired => Volatile.Read(ref fired) == 1;

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            After(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
            CancellationToken cancellationToken = default)
        {
            After(command);
            return ValueTask.FromResult(result);
        }

        private void After(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"Takes\"", StringComparison.Ordinal) && Interlocked.Exchange(ref fired, 1) == 0) cancel();
        }
    }
}
