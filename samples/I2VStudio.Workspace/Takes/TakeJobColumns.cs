using I2VStudio.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Takes;

/// <summary>The runner's writes to a take: what its job did (job id, phase, error) and the captured video.</summary>
internal sealed class TakeJobColumns(IDbContextFactory<WorkspaceDbContext> contexts)
{
    /// <summary>Writes the job's id, phase and error on the take. Returns the take's shot and whether it already has
    /// its video; null when the take is gone.</summary>
    public async Task<(Guid ShotId, bool HasVideo)?> WriteJobAsync(Guid takeId, string? jobId, JobPhase phase, string? error,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var take = await db.Takes.FirstOrDefaultAsync(t => t.Id == takeId, cancellationToken).ConfigureAwait(false);
        if (take is null) return null;
        take.JobId = jobId;
        take.Phase = phase.ToString();
        take.Error = error;
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The user rated or rejected it at the same moment: the next change writes the phase again.
        }
        return (take.ShotId, take.VideoAssetId is not null);
    }

    /// <summary>Points the take at its captured video; returns the take's shot.</summary>
    public async Task<Guid> WriteVideoAsync(Guid takeId, Guid videoAssetId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var take = await db.Takes.FirstAsync(t => t.Id == takeId, cancellationToken).ConfigureAwait(false);
        take.VideoAssetId = videoAssetId;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return take.ShotId;
    }
}
