using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using Microsoft.EntityFrameworkCore;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Batches;

/// <summary>What a batch would do, shown before it starts.</summary>
/// <param name="Shots">Shots that would get a take (no chosen take, no finished take, none under way).</param>
/// <param name="SecondsPerTake">The expected run time of one take (the mean of finished takes, or a default).</param>
/// <param name="MaxInFlight">Takes at once.</param>
/// <param name="UnderWay">Shots left out because a take of theirs is still under way (being sent, queued, running or
/// awaiting capture, or queued by another batch), so the batch does not send them a second one.</param>
public sealed record BatchEstimate(int Shots, double SecondsPerTake, int MaxInFlight, int UnderWay)
{
    /// <summary>The expected time for all of them, at <see cref="MaxInFlight"/> at once.</summary>
    public TimeSpan Total => TimeSpan.FromSeconds(Math.Ceiling(Shots / (double)Math.Max(1, MaxInFlight)) * SecondsPerTake);
}

/// <summary>A batch's progress (k/N).</summary>
/// <param name="Id">The batch.</param>
/// <param name="Title">What it covers.</param>
/// <param name="Total">Items.</param>
/// <param name="Done">Items whose take succeeded.</param>
/// <param name="Failed">Items that failed.</param>
/// <param name="Running">Items claimed or submitted, not finished.</param>
/// <param name="Queued">Items not sent yet.</param>
/// <param name="Cancelled">Items cancelled before they were sent.</param>
/// <param name="Skipped">Items not sent because their shot got a take of its own meanwhile.</param>
public sealed record BatchProgress(Guid Id, string Title, int Total, int Done, int Failed, int Running, int Queued, int Cancelled, int Skipped)
{
    /// <summary>Whether nothing is left to send or to finish.</summary>
    public bool IsFinished => Running == 0 && Queued == 0;
}

/// <summary>Starts, shows and cancels batches; <see cref="BatchRunner"/> sends their items.</summary>
public sealed class BatchService(IDbContextFactory<WorkspaceDbContext> contexts, TimeProvider time)
{
    /// <summary>Expected run time of a take when none has finished yet.</summary>
    public static readonly TimeSpan DefaultTakeDuration = TimeSpan.FromSeconds(60);

    /// <summary>Most takes at once one batch may ask for.</summary>
    public const int MaxInFlightLimit = 8;

    /// <summary>What "Generate" over a chapter or a scene would send.</summary>
    public async Task<BatchEstimate> EstimateAsync(TreeNodeKind scope, Guid id, int maxInFlight, CancellationToken cancellationToken)
    {
        if (maxInFlight is < 1 or > MaxInFlightLimit) throw new WorkspaceException(WorkspaceError.OutOfRange, MaxInFlightLimit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (_, _, shots, underWay) = await ShotsToGenerateAsync(db, scope, id, cancellationToken).ConfigureAwait(false);
        var seconds = await MeanTakeSecondsAsync(db, cancellationToken).ConfigureAwait(false);
        return new BatchEstimate(shots.Count, seconds, maxInFlight, underWay);
    }

    /// <summary>Queues a take for every shot of the chapter or scene with no chosen take, no finished take and no take
    /// under way.</summary>
    public async Task<Batch> StartAsync(TreeNodeKind scope, Guid id, int maxInFlight, CancellationToken cancellationToken)
    {
        if (maxInFlight is < 1 or > MaxInFlightLimit) throw new WorkspaceException(WorkspaceError.OutOfRange, MaxInFlightLimit);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var (projectId, title, shots, _) = await ShotsToGenerateAsync(db, scope, id, cancellationToken).ConfigureAwait(false);
        var batch = new Batch { ProjectId = projectId, Title = title, MaxInFlight = maxInFlight, CreatedAt = time.GetUtcNow().UtcDateTime };
        var order = 0;
        foreach (var shot in shots) batch.Items.Add(new BatchItem { ShotId = shot, Order = order++, State = BatchItemState.Queued });
        db.Batches.Add(batch);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return batch;
    }

    /// <summary>Cancels what is not yet sent (sent takes run on).</summary>
    public async Task CancelAsync(Guid batchId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Batches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s.SetProperty(b => b.Cancelled, true), cancellationToken).ConfigureAwait(false);
        await db.BatchItems.Where(i => i.BatchId == batchId && i.State == BatchItemState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, BatchItemState.Cancelled), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The project's batches, newest first, with their counts.</summary>
    public async Task<IReadOnlyList<BatchProgress>> ListAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var batches = await db.Batches.AsNoTracking().Where(b => b.ProjectId == projectId).OrderByDescending(b => b.CreatedAt)
            .Select(b => new { b.Id, b.Title, States = b.Items.Select(i => i.State).ToList() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. batches.Select(b => new BatchProgress(b.Id, b.Title, b.States.Count,
            b.States.Count(s => s == BatchItemState.Done),
            b.States.Count(s => s == BatchItemState.Failed),
            b.States.Count(s => s is BatchItemState.Claimed or BatchItemState.Submitted),
            b.States.Count(s => s == BatchItemState.Queued),
            b.States.Count(s => s == BatchItemState.Cancelled),
            b.States.Count(s => s == BatchItemState.Skipped)))];
    }

    /// <summary>Phases of a take that stands for its shot: under way (being sent, queued, running) or succeeded (finished,
    /// or awaiting capture). A shot with such a take gets no take from a batch.</summary>
    internal static readonly string[] StandingPhases =
        [nameof(JobPhase.Submitting), nameof(JobPhase.Queued), nameof(JobPhase.Running), nameof(JobPhase.Succeeded)];

    /// <summary>Batch items that still stand for a take of their shot (to be sent, being sent, or sent and running).</summary>
    internal static readonly BatchItemState[] ActiveItemStates = [BatchItemState.Queued, BatchItemState.Claimed, BatchItemState.Submitted];

    /// <summary>The shots to send (in order) and how many were left out because a take of theirs is under way.</summary>
    private static async Task<(Guid ProjectId, string Title, List<Guid> Shots, int UnderWay)> ShotsToGenerateAsync(
        WorkspaceDbContext db, TreeNodeKind scope, Guid id, CancellationToken cancellationToken)
    {
        IQueryable<Scene> scenes;
        Guid projectId;
        string title;
        if (scope == TreeNodeKind.Chapter)
        {
            var chapter = await db.Chapters.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false)
                ?? throw new WorkspaceException(WorkspaceError.NotFound);
            (projectId, title) = (chapter.ProjectId, chapter.Title);
            scenes = db.Scenes.Where(s => s.ChapterId == id);
        }
        else if (scope == TreeNodeKind.Scene)
        {
            var scene = await db.Scenes.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)
                ?? throw new WorkspaceException(WorkspaceError.NotFound);
            projectId = await db.Chapters.Where(c => c.Id == scene.ChapterId).Select(c => c.ProjectId).FirstAsync(cancellationToken).ConfigureAwait(false);
            title = scene.Title;
            scenes = db.Scenes.Where(s => s.Id == id);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "A batch covers a chapter or a scene.");
        }

        // Finished: succeeded and captured. Under way: being sent, queued, running or awaiting capture (succeeded, no
        // video yet), or an item of another batch: such a shot gets no second take, and the estimate says how many.
        var succeeded = nameof(JobPhase.Succeeded);
        var candidates = await (
            from scene in scenes
            join shot in db.Shots on scene.Id equals shot.SceneId
            where shot.ChosenTakeId == null
                && !db.Takes.Any(t => t.ShotId == shot.Id && t.Phase == succeeded && t.VideoAssetId != null)
            orderby scene.Order, shot.Order
            select new
            {
                shot.Id,
                UnderWay = db.Takes.Any(t => t.ShotId == shot.Id && StandingPhases.Contains(t.Phase))
                    || db.BatchItems.Any(i => i.ShotId == shot.Id && ActiveItemStates.Contains(i.State)),
            }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return (projectId, title, [.. candidates.Where(c => !c.UnderWay).Select(c => c.Id)], candidates.Count(c => c.UnderWay));
    }

    private static async Task<double> MeanTakeSecondsAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        // The tracker's records know when each finished job was created and completed; the last 50 are enough.
        var records = await db.TakeJobs.AsNoTracking().OrderByDescending(j => j.UpdatedAt).Take(50).Select(j => j.Json)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var durations = records
            .Select(json => System.Text.Json.JsonSerializer.Deserialize<JobRecord>(json, Takes.TakeJobStore.Options))
            .Where(r => r is { Status.Phase: JobPhase.Succeeded, CompletedAt: not null })
            .Select(r => (r!.CompletedAt!.Value - r.CreatedAt).TotalSeconds)
            .Where(s => s > 0)
            .ToList();
        return durations.Count > 0 ? durations.Average() : DefaultTakeDuration.TotalSeconds;
    }
}
