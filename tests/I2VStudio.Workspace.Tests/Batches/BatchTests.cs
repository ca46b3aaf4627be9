using System.Collections.Concurrent;
using I2VStudio.Workspace.Batches;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace I2VStudio.Workspace.Tests.Batches;

public sealed class SqliteBatchTests() : BatchTests(TestProvider.Sqlite);

public sealed class PostgresBatchTests() : BatchTests(TestProvider.Postgres);

public abstract class BatchTests(TestProvider provider) : IAsyncLifetime
{
    private TestWorkspace workspace = default!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private BatchService Batches => workspace.Services.GetRequiredService<BatchService>();

    public async ValueTask InitializeAsync() => workspace = await TestWorkspace.StartAsync(provider, Ct);

    public async ValueTask DisposeAsync()
    {
        if (workspace is not null) await workspace.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A chapter of <paramref name="scenes"/> scenes, one shot each.</summary>
    private async Task<Chapter> ChapterAsync(int scenes)
    {
        var project = await workspace.Projects.CreateProjectAsync($"p-{Guid.NewGuid():N}", Ct);
        var text = "第一章\n" + string.Join("\n---\n", Enumerable.Range(1, scenes).Select(i => $"场景{i}。"));
        await workspace.Projects.ImportNovelAsync(project.Id, text, "序章", Ct);
        return (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[0];
    }

    private BatchRunner Runner(ITakeSubmitter submitter) =>
        new(workspace.Services.GetRequiredService<IDbContextFactory<I2VStudio.Workspace.Data.WorkspaceDbContext>>(), submitter, workspace.Time, NullLogger<BatchRunner>.Instance);

    private async Task FinishAllTakesAsync()
    {
        await using var db = workspace.OpenDb();
        await db.Takes.Where(t => t.Phase == "Queued").ExecuteUpdateAsync(s => s.SetProperty(t => t.Phase, "Succeeded"), Ct);
    }

    private async Task<List<BatchItem>> ItemsAsync()
    {
        await using var db = workspace.OpenDb();
        return await db.BatchItems.AsNoTracking().OrderBy(i => i.Order).ToListAsync(Ct);
    }

    [Fact]
    public async Task Start_ChapterWithChosenAndFinishedShots_QueuesOnlyTheRestAndEstimates()
    {
        var chapter = await ChapterAsync(4);
        var shots = chapter.Scenes.Select(s => s.Shots[0].Id).ToList();
        await using (var db = workspace.OpenDb())
        {
            db.Takes.Add(new Take { ShotId = shots[0], Phase = "Succeeded" });
            var chosen = new Take { ShotId = shots[1], Phase = "Failed" };
            db.Takes.Add(chosen);
            await db.SaveChangesAsync(Ct);
            await db.Shots.Where(s => s.Id == shots[1]).ExecuteUpdateAsync(s => s.SetProperty(x => x.ChosenTakeId, chosen.Id), Ct);
        }

        var estimate = await Batches.EstimateAsync(TreeNodeKind.Chapter, chapter.Id, 1, Ct);
        await Batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, 1, Ct);

        Assert.Equal((2, TimeSpan.FromSeconds(120)), (estimate.Shots, estimate.Total));
        Assert.Equal(shots[2..], (await ItemsAsync()).Select(i => i.ShotId));
    }

    [Fact]
    public async Task Start_ShotsWithTakesInFlight_NotQueuedAndCountedAsUnderWay()
    {
        var chapter = await ChapterAsync(6);
        var shots = chapter.Scenes.Select(s => s.Shots[0].Id).ToList();
        await using (var db = workspace.OpenDb())
        {
            // A manual take in each phase the host still moves on (awaiting capture: succeeded, no video yet)...
            db.Takes.Add(new Take { ShotId = shots[0], Phase = "Submitting" });
            db.Takes.Add(new Take { ShotId = shots[1], Phase = "Queued" });
            db.Takes.Add(new Take { ShotId = shots[2], Phase = "Running" });
            db.Takes.Add(new Take { ShotId = shots[3], Phase = "Succeeded" });
            // ...and one that failed, which does not stand in the way of a new take.
            db.Takes.Add(new Take { ShotId = shots[4], Phase = "Failed" });
            await db.SaveChangesAsync(Ct);
        }

        var estimate = await Batches.EstimateAsync(TreeNodeKind.Chapter, chapter.Id, 2, Ct);
        await Batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, 2, Ct);

        Assert.Equal((2, 4), (estimate.Shots, estimate.UnderWay));
        Assert.Equal(shots[4..], (await ItemsAsync()).Select(i => i.ShotId));
    }

    [Fact]
    public async Task Tick_ManualTakeStartedAfterTheBatch_ItemSkippedNotSentAgain()
    {
        var chapter = await ChapterAsync(2);
        var shots = chapter.Scenes.Select(s => s.Shots[0].Id).ToList();
        await Batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, 2, Ct);
        await using (var db = workspace.OpenDb())
        {
            db.Takes.Add(new Take { ShotId = shots[0], Phase = "Running" });
            await db.SaveChangesAsync(Ct);
        }
        var submitter = new RecordingSubmitter(workspace);

        await Runner(submitter).TickAsync(Ct);
        var progress = (await Batches.ListAsync(chapter.ProjectId, Ct)).Single();

        Assert.Equal([shots[1]], submitter.Shots);
        Assert.Equal([BatchItemState.Skipped, BatchItemState.Submitted], (await ItemsAsync()).Select(i => i.State));
        Assert.Equal((2, 1, 1, 0), (progress.Total, progress.Skipped, progress.Running, progress.Queued));
    }

    [Fact]
    public async Task Tick_MaxTwoInFlight_SendsTwoThenMoreAsTakesFinish()
    {
        var chapter = await ChapterAsync(5);
        await Batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, 2, Ct);
        var submitter = new RecordingSubmitter(workspace);
        var runner = Runner(submitter);

        await runner.TickAsync(Ct);
        await runner.TickAsync(Ct);
        var afterTwoTicks = submitter.Shots.Count;
        await FinishAllTakesAsync();
        await runner.TickAsync(Ct);
        var progress = (await Batches.ListAsync(chapter.ProjectId, Ct)).Single();

        Assert.Equal(2, afterTwoTicks);
        Assert.Equal(4, submitter.Shots.Count);
        Assert.Equal((5, 2, 2, 1), (progress.Total, progress.Done, progress.Running, progress.Queued));
    }

    [Fact]
    public async Task Cancel_AfterFirstSend_QueuedCancelledAndSentKept()
    {
        var chapter = await ChapterAsync(3);
        var batch = await Batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, 1, Ct);
        var submitter = new RecordingSubmitter(workspace);
        await Runner(submitter).TickAsync(Ct);

        await Batches.CancelAsync(batch.Id, Ct);
        await FinishAllTakesAsync();
        await Runner(submitter).TickAsync(Ct);

        Assert.Equal([BatchItemState.Done, BatchItemState.Cancelled, BatchItemState.Cancelled], (await ItemsAsync()).Select(i => i.State));
        Assert.Single(submitter.Shots);
    }

    [Fact]
    public async Task Tick_ClaimOfDeadHostOlderThanLease_GivenBackAndSentOnce()
    {
        var chapter = await ChapterAsync(1);
        await Batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, 1, Ct);
        await using (var db = workspace.OpenDb())
        {
            await db.BatchItems.ExecuteUpdateAsync(s => s.SetProperty(i => i.State, BatchItemState.Claimed)
                .SetProperty(i => i.ClaimedBy, "dead-host").SetProperty(i => i.ClaimedAt, workspace.Time.GetUtcNow().UtcDateTime), Ct);
        }
        var submitter = new RecordingSubmitter(workspace);
        var restarted = Runner(submitter);

        await restarted.TickAsync(Ct);
        var beforeLease = submitter.Shots.Count;
        workspace.Time.Advance(BatchRunner.ClaimLease + TimeSpan.FromSeconds(1));
        await restarted.TickAsync(Ct);

        Assert.Equal((0, 1), (beforeLease, submitter.Shots.Count));
    }

    [Fact]
    public async Task TwoHosts_SameBatchAtOnce_EachShotSentExactlyOnce()
    {
        var chapter = await ChapterAsync(30);
        await Batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, 4, Ct);
        var submitter = new RecordingSubmitter(workspace);
        var first = Runner(submitter);
        var second = Runner(submitter);

        for (var round = 0; round < 20 && (await ItemsAsync()).Any(i => i.State != BatchItemState.Done); round++)
        {
            await Task.WhenAll(Task.Run(() => first.TickAsync(Ct), Ct), Task.Run(() => second.TickAsync(Ct), Ct));
            Assert.True(submitter.MaxRunning <= 4, $"{submitter.MaxRunning} takes ran at once; the batch allows 4.");
            await FinishAllTakesAsync();
        }

        Assert.All(await ItemsAsync(), i => Assert.Equal(BatchItemState.Done, i.State));
        Assert.Equal(30, submitter.Shots.Count);
        Assert.Equal(30, submitter.Shots.Distinct().Count());
    }

    [Fact]
    public async Task Tick_HostStopsWhileTheTakeIsSent_ItemKeepsItsTakeAndIsNotSentAgain()
    {
        var chapter = await ChapterAsync(1);
        await Batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, 1, Ct);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var submitter = new RecordingSubmitter(workspace, whileSending: stopping.Cancel);

        try
        {
            await Runner(submitter).TickAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // The host stopped: this round ends here.
        }
        workspace.Time.Advance(BatchRunner.ClaimLease + TimeSpan.FromSeconds(1));
        await Runner(submitter).TickAsync(Ct);

        var item = Assert.Single(await ItemsAsync());
        await using var db = workspace.OpenDb();
        var take = await db.Takes.AsNoTracking().SingleAsync(Ct);
        Assert.Single(submitter.Shots);
        Assert.Equal((BatchItemState.Submitted, (Guid?)take.Id), (item.State, item.TakeId));
    }

    /// <summary>Records every send and makes a queued take for it (as the host's take runner would: a take it stored
    /// is sent, a cancelled caller only stops waiting). <c>whileSending</c> runs once the take is stored.</summary>
    private sealed class RecordingSubmitter(TestWorkspace workspace, Action? whileSending = null) : ITakeSubmitter
    {
        private readonly ConcurrentQueue<Guid> _shots = new();

        public IReadOnlyList<Guid> Shots => [.. _shots];

        public int MaxRunning { get; private set; }

        public async Task<Guid> SubmitTakeAsync(Guid shotId, CancellationToken cancellationToken)
        {
            _shots.Enqueue(shotId);
            var take = new Take { ShotId = shotId, Phase = "Queued" };
            await using var db = workspace.OpenDb();
            db.Takes.Add(take);
            await db.SaveChangesAsync(cancellationToken);
            var running = await db.Takes.CountAsync(t => t.Phase == "Queued", cancellationToken);
            lock (_shots) MaxRunning = Math.Max(MaxRunning, running);
            whileSending?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            return take.Id;
        }
    }
}
