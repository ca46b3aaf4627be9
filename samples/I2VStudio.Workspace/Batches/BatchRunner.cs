using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Batches;

/// <summary>Makes one take of a shot (the <see cref="Takes.TakeRunner"/> in the host; a fake in tests).</summary>
public interface ITakeSubmitter
{
    /// <summary>Makes one take of the shot and returns its id; refusals throw <see cref="WorkspaceException"/>.</summary>
    Task<Guid> SubmitTakeAsync(Guid shotId, CancellationToken cancellationToken);
}

/// <summary>Sends batch items, at most each batch's limit at once, from the database: it resumes after a restart, and
/// several hosts on one PostgreSQL share the work without sending an item twice (an item is taken by a conditional
/// update Queued → Claimed, in a transaction that also raises the batch's claim version).</summary>
public sealed partial class BatchRunner(
    IDbContextFactory<WorkspaceDbContext> contexts,
    ITakeSubmitter submitter,
    TimeProvider time,
    ILogger<BatchRunner> logger) : BackgroundService
{
    /// <summary>How often the runner looks for work.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>A claim without a take after this long is given back (its host died between claim and send).</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    private static readonly string[] FailedPhases =
        [nameof(JobPhase.Failed), nameof(JobPhase.SubmitFailed), nameof(JobPhase.TimedOut), nameof(JobPhase.Lost)];

    /// <summary>This host instance (claims carry it).</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a database hiccup must not end the runner; the next tick tries again
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.TickFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One round: settle finished items, skip shots that got a take meanwhile, give back stale claims, send what
    /// each batch has room for.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;

        // Settle: a submitted item follows its take.
        var succeeded = nameof(JobPhase.Succeeded);
        await db.BatchItems.Where(i => i.State == BatchItemState.Submitted && db.Takes.Any(t => t.Id == i.TakeId && t.Phase == succeeded))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, BatchItemState.Done), cancellationToken).ConfigureAwait(false);
        await db.BatchItems.Where(i => i.State == BatchItemState.Submitted && db.Takes.Any(t => t.Id == i.TakeId && FailedPhases.Contains(t.Phase)))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, BatchItemState.Failed), cancellationToken).ConfigureAwait(false);
        // Skip: a shot that got a take of its own since the batch started (made by hand, or by another batch), one that
        // was chosen, finished or is still under way, gets no second take from this batch.
        await db.BatchItems.Where(i => i.State == BatchItemState.Queued
                && (db.Shots.Any(s => s.Id == i.ShotId && s.ChosenTakeId != null)
                    || db.Takes.Any(t => t.ShotId == i.ShotId && BatchService.StandingPhases.Contains(t.Phase))))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, BatchItemState.Skipped), cancellationToken).ConfigureAwait(false);
        // Give back claims whose host died before sending.
        var stale = now - ClaimLease;
        await db.BatchItems.Where(i => i.State == BatchItemState.Claimed && i.TakeId == null && i.ClaimedAt < stale)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, BatchItemState.Queued).SetProperty(i => i.ClaimedBy, (string?)null), cancellationToken)
            .ConfigureAwait(false);

        var batches = await db.Batches.AsNoTracking()
            .Where(b => !b.Cancelled && b.Items.Any(i => i.State == BatchItemState.Queued))
            .Select(b => new { b.Id, b.MaxInFlight })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var batch in batches)
        {
            while (await TryClaimAsync(db, batch.Id, batch.MaxInFlight, cancellationToken).ConfigureAwait(false) is { } item)
            {
                await SendAsync(db, item).ConfigureAwait(false);
            }
        }
    }

    private async Task<BatchItem?> TryClaimAsync(WorkspaceDbContext db, Guid batchId, int maxInFlight, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var version = await db.Batches.Where(b => b.Id == batchId).Select(b => b.ClaimVersion).FirstAsync(cancellationToken).ConfigureAwait(false);
        var inFlight = await db.BatchItems.CountAsync(i => i.BatchId == batchId && (i.State == BatchItemState.Claimed || i.State == BatchItemState.Submitted), cancellationToken)
            .ConfigureAwait(false);
        if (inFlight >= maxInFlight) return null;
        var next = await db.BatchItems.AsNoTracking().Where(i => i.BatchId == batchId && i.State == BatchItemState.Queued)
            .OrderBy(i => i.Order).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (next is null) return null;

        // Another host that counted the same free slots raised the version first: this round claims nothing.
        var bumped = await db.Batches.Where(b => b.Id == batchId && b.ClaimVersion == version)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.ClaimVersion, version + 1), cancellationToken).ConfigureAwait(false);
        var claimedAt = time.GetUtcNow().UtcDateTime;
        var claimed = bumped == 1 && await db.BatchItems.Where(i => i.Id == next.Id && i.State == BatchItemState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, BatchItemState.Claimed).SetProperty(i => i.ClaimedBy, InstanceId).SetProperty(i => i.ClaimedAt, claimedAt),
                cancellationToken).ConfigureAwait(false) == 1;
        if (!claimed)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>Sends the item and records its take. Neither is cut short when the host stops: the take, once stored, is
    /// sent anyway, and an item that lost its take's id would be given back after the lease and its shot sent again.</summary>
    private async Task SendAsync(WorkspaceDbContext db, BatchItem item)
    {
        Guid? take = null;
        string? error = null;
        try
        {
            take = await submitter.SubmitTakeAsync(item.ShotId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WorkspaceException e)
        {
            error = e.Code.ToString();
        }
        await db.BatchItems.Where(i => i.Id == item.Id && i.ClaimedBy == InstanceId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.State, take is null ? BatchItemState.Failed : BatchItemState.Submitted)
                .SetProperty(i => i.TakeId, take)
                .SetProperty(i => i.Error, error), CancellationToken.None).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "A batch round failed; the next one tries again.")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
