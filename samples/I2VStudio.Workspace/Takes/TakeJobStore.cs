using System.Text.Json;
using System.Text.Json.Serialization;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using Microsoft.EntityFrameworkCore;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Takes;

/// <summary>The host-side tracker's store: job records of takes in the workspace database.</summary>
internal sealed class TakeJobStore(IDbContextFactory<WorkspaceDbContext> contexts, TimeProvider time) : IJobStore
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    internal static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<IReadOnlyList<JobRecord>> LoadAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.TakeJobs.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<JobRecord>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                if (JsonSerializer.Deserialize<JobRecord>(row.Json, Options) is { } record) records.Add(record);
            }
            catch (JsonException)
            {
                // An unreadable record is skipped, never fatal (the take keeps its last known phase).
            }
        }
        return records;
    }

    public async Task SaveAsync(JobRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Params.ValueKind == JsonValueKind.Undefined) record = record with { Params = JsonNull };
        var json = JsonSerializer.Serialize(record, Options);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.TakeJobs.FirstOrDefaultAsync(j => j.Id == record.Id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new TakeJobRecord { Id = record.Id, TakeId = Guid.TryParse(record.Inputs.Context?.TakeId, out var take) ? take : null };
            db.TakeJobs.Add(row);
        }
        row.Json = json;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.TakeJobs.Where(j => j.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    // One host tracker writes these rows; there is no other writer to follow.
    public IDisposable WatchExternalChanges(Func<IReadOnlyCollection<string>, Task> onChanged) => NoWatch.Instance;

    private sealed class NoWatch : IDisposable
    {
        public static readonly NoWatch Instance = new();

        public void Dispose()
        {
        }
    }
}

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
