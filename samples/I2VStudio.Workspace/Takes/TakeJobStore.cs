using System.Text.Json;
using System.Text.Json.Serialization;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Takes;

/// <summary>
/// The host-side tracker's store: job records of takes in the workspace database, each followed by one host at a time.
/// A record carries the host that follows it (<see cref="TakeJobRecord.TrackedBy"/>) and a lease
/// (<see cref="TakeJobRecord.LeaseUntil"/>) that host renews every <see cref="WorkspaceOptions.TakeLeaseRenewal"/>.
/// Every host also looks, as often, for records whose lease ran out (their host died) and claims them with a
/// conditional update, so exactly one host wins each; the won records reach the tracker the way another browser
/// tab's do (<see cref="WatchExternalChanges"/>), and it polls them from then on. A host loads only the records it
/// follows, plus finished ones (shown, never polled).
/// </summary>
internal sealed partial class TakeJobStore(IDbContextFactory<WorkspaceDbContext> contexts, TimeProvider time, WorkspaceOptions options,
    ILogger? logger = null) : IJobStore
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private int _scans;
    private volatile bool _givenBack;

    internal static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>This host's name in <see cref="TakeJobRecord.TrackedBy"/>.</summary>
    public string HostId { get; } = options.HostId ?? throw new ArgumentException("The workspace options name no host.", nameof(options));

    /// <summary>Rounds of renewing and claiming done so far (tests wait on it).</summary>
    internal int Scans => Volatile.Read(ref _scans);

    /// <summary>The records this host follows and the finished ones; records another host follows, or that wait to be
    /// claimed, are left out (<see cref="ClaimAsync"/> first).</summary>
    public async Task<IReadOnlyList<JobRecord>> LoadAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.TakeJobs.AsNoTracking()
            .Where(j => j.TrackedBy == HostId || (j.TrackedBy != null && j.LeaseUntil == null))
            .Select(j => j.Json).ToListAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<JobRecord>(rows.Count);
        foreach (var json in rows)
        {
            if (Read(json) is { } record) records.Add(record);
        }
        return records;
    }

    /// <summary>The stored records of <paramref name="takeIds"/> that this host does not follow (another host does, or
    /// nobody has claimed them yet), as last written: to show, never to poll or write here.</summary>
    public async Task<IReadOnlyList<JobRecord>> LoadFollowedElsewhereAsync(IReadOnlyCollection<Guid> takeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(takeIds);
        if (takeIds.Count == 0) return [];
        var ids = takeIds.Select(id => (Guid?)id).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.TakeJobs.AsNoTracking()
            .Where(j => ids.Contains(j.TakeId) && (j.TrackedBy == null || j.TrackedBy != HostId))
            .Select(j => j.Json).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(Read).OfType<JobRecord>()];
    }

    /// <summary>Writes a record this host follows (a new one becomes its own, with a lease while it needs a tracker).
    /// A record another host has claimed meanwhile is left as that host writes it.</summary>
    public async Task SaveAsync(JobRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Params.ValueKind == JsonValueKind.Undefined) record = record with { Params = JsonNull };
        var json = JsonSerializer.Serialize(record, Options);
        var now = time.GetUtcNow().UtcDateTime;
        var lease = now + options.TakeLease;
        var need = NeedOf(record);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var written = await db.TakeJobs.Where(j => j.Id == record.Id && j.TrackedBy == HostId)
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(j => j.Json, json).SetProperty(j => j.UpdatedAt, now);
                // Active: keep the lease (a job revived after it stopped gets a new one); finished: no tracker needed.
                // Succeeded keeps its lease until its video is captured (ReleaseAsync).
                if (need == Need.Polling) s.SetProperty(j => j.LeaseUntil, j => j.LeaseUntil ?? lease);
                else if (need == Need.None) s.SetProperty(j => j.LeaseUntil, (DateTime?)null);
            }, cancellationToken).ConfigureAwait(false);
        if (written == 1) return;
        if (await db.TakeJobs.AnyAsync(j => j.Id == record.Id, cancellationToken).ConfigureAwait(false))
        {
            Log.NotOurs(_logger, record.Id, HostId);
            return;
        }
        db.TakeJobs.Add(new TakeJobRecord
        {
            Id = record.Id,
            TakeId = Guid.TryParse(record.Inputs.Context?.TakeId, out var take) ? take : null,
            Json = json,
            UpdatedAt = now,
            TrackedBy = HostId,
            LeaseUntil = need == Need.None ? null : lease,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.TakeJobs.Where(j => j.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renews this host's leases and claims records whose lease ran out every
    /// <see cref="WorkspaceOptions.TakeLeaseRenewal"/>, telling <paramref name="onChanged"/> the claimed ones (the tracker
    /// then re-reads and polls them). Dispose to stop.</summary>
    public IDisposable WatchExternalChanges(Func<IReadOnlyCollection<string>, Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var stop = new CancellationTokenSource();
        _ = WatchAsync(onChanged, stop.Token);
        return new Watch(stop);
    }

    private async Task WatchAsync(Func<IReadOnlyCollection<string>, Task> onChanged, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.TakeLeaseRenewal, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await ScanAsync(onChanged, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>One round: renew, then claim and hand over. A database fault is logged; the next round tries again.</summary>
    internal async Task ScanAsync(Func<IReadOnlyCollection<string>, Task> onChanged, CancellationToken cancellationToken)
    {
        try
        {
            if (_givenBack) return;
            await RenewAsync(cancellationToken).ConfigureAwait(false);
            var claimed = await ClaimAsync(cancellationToken).ConfigureAwait(false);
            if (claimed.Count > 0) await onChanged(claimed).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // a database hiccup must not end the watch; the lease outlives a missed renewal
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ScanFailed(_logger, e);
        }
        finally
        {
            Interlocked.Increment(ref _scans);
        }
    }

    /// <summary>Extends the lease of every record this host follows that still needs a tracker. A succeeded record whose
    /// take has its video (captured by a host that died before it let go, or taken over after the capture) lets go here.</summary>
    internal async Task<int> RenewAsync(CancellationToken cancellationToken)
    {
        var lease = time.GetUtcNow().UtcDateTime + options.TakeLease;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.TakeJobs.Where(j => j.TrackedBy == HostId && j.LeaseUntil != null && db.Takes.Any(t => t.Id == j.TakeId && t.VideoAssetId != null))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, (DateTime?)null), cancellationToken).ConfigureAwait(false);
        return await db.TakeJobs.Where(j => j.TrackedBy == HostId && j.LeaseUntil != null)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, lease), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records another host followed whose lease ran out, and records nobody followed yet (written before
    /// hosts took leases).</summary>
    internal async Task<IReadOnlyList<ClaimCandidate>> FindClaimableAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.TakeJobs.AsNoTracking()
            .Where(j => j.TrackedBy == null || (j.TrackedBy != HostId && j.LeaseUntil != null && j.LeaseUntil <= now))
            .OrderBy(j => j.UpdatedAt)
            .Select(j => new ClaimCandidate(j.Id, j.TrackedBy, j.Json))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the record this host's if it is still as <paramref name="candidate"/> found it: its host unchanged
    /// and, for a followed record, its lease still run out. Of hosts racing for one record exactly one wins.</summary>
    internal async Task<bool> TryClaimAsync(ClaimCandidate candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var now = time.GetUtcNow().UtcDateTime;
        // A record from before leases may be long finished: it gets a lease only when it needs a tracker.
        DateTime? lease = candidate.TrackedBy is not null || (Read(candidate.Json) is { } record && NeedOf(record) != Need.None)
            ? now + options.TakeLease
            : null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = candidate.TrackedBy is { } previous
            ? db.TakeJobs.Where(j => j.Id == candidate.Id && j.TrackedBy == previous && j.LeaseUntil != null && j.LeaseUntil <= now)
            : db.TakeJobs.Where(j => j.Id == candidate.Id && j.TrackedBy == null);
        var won = await rows.ExecuteUpdateAsync(s => s.SetProperty(j => j.TrackedBy, HostId).SetProperty(j => j.LeaseUntil, lease), cancellationToken)
            .ConfigureAwait(false) == 1;
        if (won && candidate.TrackedBy is not null) Log.TookOver(_logger, candidate.Id, candidate.TrackedBy, HostId);
        return won;
    }

    /// <summary>Claims what <see cref="FindClaimableAsync"/> finds; returns the record ids this host won.</summary>
    internal async Task<IReadOnlyList<string>> ClaimAsync(CancellationToken cancellationToken)
    {
        if (_givenBack) return [];
        var won = new List<string>();
        foreach (var candidate in await FindClaimableAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await TryClaimAsync(candidate, cancellationToken).ConfigureAwait(false)) won.Add(candidate.Id);
        }
        return won;
    }

    /// <summary>The record needs no tracker any more (its video is captured): its lease ends and nobody claims it.</summary>
    public async Task ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.TakeJobs.Where(j => j.Id == id && j.TrackedBy == HostId && j.LeaseUntil != null)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, (DateTime?)null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether this host follows the record (another host may have claimed it while this one could not renew).</summary>
    public async Task<bool> TracksAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.TakeJobs.AnyAsync(j => j.Id == id && j.TrackedBy == HostId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A host stopping on purpose: no more renewals or claims, and its leases end now, so the other hosts take
    /// its takes over at their next round instead of after the lease.</summary>
    public async Task GiveBackAsync(CancellationToken cancellationToken)
    {
        _givenBack = true;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.TakeJobs.Where(j => j.TrackedBy == HostId && j.LeaseUntil != null)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, now), cancellationToken).ConfigureAwait(false);
    }

    private enum Need
    {
        /// <summary>Finished: no tracker needed.</summary>
        None,

        /// <summary>Under way: polled.</summary>
        Polling,

        /// <summary>Succeeded: its video is to be captured.</summary>
        Capture,
    }

    private static Need NeedOf(JobRecord record) =>
        record.Removed ? Need.None
        : record.Status.Phase.IsActive() ? Need.Polling
        : record.Status.Phase == JobPhase.Succeeded ? Need.Capture
        : Need.None;

    private static JobRecord? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<JobRecord>(json, Options);
        }
        catch (JsonException)
        {
            // An unreadable record is skipped, never fatal (the take keeps its last known phase).
            return null;
        }
    }

    private sealed class Watch(CancellationTokenSource stop) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Took over job record {RecordId} from host {Previous} (its lease ran out); this host is {HostId}.")]
        public static partial void TookOver(ILogger logger, string recordId, string previous, string hostId);

        [LoggerMessage(Level = LogLevel.Information, Message = "Job record {RecordId} is followed by another host now; host {HostId} does not write it.")]
        public static partial void NotOurs(ILogger logger, string recordId, string hostId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing or claiming take leases failed; the next round tries again.")]
        public static partial void ScanFailed(ILogger logger, Exception exception);
    }
}

/// <summary>A record another host may claim, as it was found.</summary>
internal sealed record ClaimCandidate(string Id, string? TrackedBy, string Json);

/// <summary>The host-side tracker's image source: the input image is an asset (blob key = asset id).</summary>
internal sealed class AssetBlobStore(Assets.AssetStore assets) : IJobBlobStore
{
    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(key, out var id)) return null;
        var asset = await assets.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (asset is null || !File.Exists(assets.PathOf(asset))) return null;
        return new FileStream(assets.PathOf(asset), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
    }
}
