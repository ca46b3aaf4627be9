using I2VStudio.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Takes;

/// <summary>
/// The runner's writes to a take: what its job did (job id, phase, error) and the captured video. These columns are
/// the runner's own and the user's edits (rating, rejection, choice) never write them, so each write sets only its
/// columns, by the take's id, with no version check and no version raised: a user edit saved at the same moment
/// neither makes the runner's write fail (a take left "running", a video lost) nor is refused or overwritten by it.
/// </summary>
internal sealed class TakeJobColumns(IDbContextFactory<WorkspaceDbContext> contexts)
{
    /// <summary>Writes the job's id, phase and error on the take. Returns the take's shot and whether it already has
    /// its video; null when the take is gone.</summary>
    public async Task<(Guid ShotId, bool HasVideo)?> WriteJobAsync(Guid takeId, string? jobId, JobPhase phase, string? error,
        CancellationToken cancellationToken)
    {
        var phaseName = phase.ToString();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var written = await db.Takes.Where(t => t.Id == takeId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId).SetProperty(t => t.Phase, phaseName).SetProperty(t => t.Error, error),
                cancellationToken).ConfigureAwait(false);
        if (written == 0) return null;
        var take = await db.Takes.AsNoTracking().Where(t => t.Id == takeId).Select(t => new { t.ShotId, t.VideoAssetId })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return take is null ? null : (take.ShotId, take.VideoAssetId is not null);
    }

    /// <summary>The name its captured video gets in the asset library (<see cref="TakeVideoName"/>), from the take's
    /// shot and seed; null when the take is gone.</summary>
    public async Task<string?> VideoNameAsync(Guid takeId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var take = await (from t in db.Takes.AsNoTracking()
                          join s in db.Shots.AsNoTracking() on t.ShotId equals s.Id
                          where t.Id == takeId
                          select new { s.Prompt, t.Seed }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return take is null ? null : TakeVideoName.For(take.Prompt, take.Seed);
    }

    /// <summary>Points the take at its captured video; returns the take's shot, or null when the take is gone.</summary>
    public async Task<Guid?> WriteVideoAsync(Guid takeId, Guid videoAssetId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var written = await db.Takes.Where(t => t.Id == takeId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.VideoAssetId, videoAssetId), cancellationToken).ConfigureAwait(false);
        if (written == 0) return null;
        return await db.Takes.AsNoTracking().Where(t => t.Id == takeId).Select(t => (Guid?)t.ShotId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }
}
