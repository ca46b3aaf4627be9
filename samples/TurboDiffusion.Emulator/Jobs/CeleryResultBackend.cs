using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace TurboDiffusion.Emulator;

/// <summary>One task's entry in the result backend.</summary>
internal sealed record CeleryTaskMeta(string TaskId, string Status, string? ResultJson, string? Error, DateTimeOffset? DateDone);

/// <summary>
/// The Celery result backend (Redis in production), kept apart from the job table on purpose: the
/// two are written separately and can disagree, a job it never saw reads PENDING, and finished
/// results expire. Reads come from memory (status GETs must be fast); writes also go to the
/// <c>celery_taskmeta</c> table so results survive a restart, as Redis keeps them.
/// </summary>
internal sealed class CeleryResultBackend(
    SqliteDatabase database,
    FaultController faults,
    JobEventLog events,
    [FromKeyedServices(EmulatorServiceKeys.Clock)] TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CeleryTaskMeta> tasks = new(StringComparer.Ordinal);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT task_id, status, result, traceback, date_done FROM celery_taskmeta";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var meta = new CeleryTaskMeta(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : PythonSemantics.ParseIso(reader.GetString(4)));
            tasks[meta.TaskId] = meta;
        }
    }

    /// <summary>
    /// The task's entry, or null when Celery would answer PENDING: never seen, or a finished result
    /// older than the expiry (then it is deleted, as Redis drops the key). Lookup is by the exact id
    /// string, as Celery's is: another spelling of the same UUID is unknown here.
    /// </summary>
    public async Task<CeleryTaskMeta?> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        if (!tasks.TryGetValue(taskId, out var meta))
        {
            return null;
        }

        if (meta.DateDone is { } done && faults.ResultExpiry is { } expiry && time.GetUtcNow() >= done + expiry)
        {
            tasks.TryRemove(taskId, out _);
            await DeleteAsync(taskId, cancellationToken);
            return null;
        }

        return meta;
    }

    public IEnumerable<CeleryTaskMeta> InState(string status) => tasks.Values.Where(t => t.Status == status);

    public Task MarkStartedAsync(string taskId, CancellationToken cancellationToken) =>
        StoreAsync(new CeleryTaskMeta(taskId, CeleryState.Started, null, null, null), cancellationToken);

    public Task MarkSucceededAsync(string taskId, string resultJson, CancellationToken cancellationToken) =>
        StoreAsync(new CeleryTaskMeta(taskId, CeleryState.Success, resultJson, null, time.GetUtcNow()), cancellationToken);

    public Task MarkFailedAsync(string taskId, string error, CancellationToken cancellationToken) =>
        StoreAsync(new CeleryTaskMeta(taskId, CeleryState.Failure, null, error, time.GetUtcNow()), cancellationToken);

    private async Task StoreAsync(CeleryTaskMeta meta, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                INSERT INTO celery_taskmeta (task_id, status, result, traceback, date_done)
                VALUES ($id, $status, $result, $traceback, $date_done)
                ON CONFLICT (task_id) DO UPDATE SET
                    status = excluded.status, result = excluded.result, traceback = excluded.traceback, date_done = excluded.date_done
                """;
            command.Parameters.AddWithValue("$id", meta.TaskId);
            command.Parameters.AddWithValue("$status", meta.Status);
            command.Parameters.AddWithValue("$result", (object?)meta.ResultJson ?? DBNull.Value);
            command.Parameters.AddWithValue("$traceback", (object?)meta.Error ?? DBNull.Value);
            command.Parameters.AddWithValue("$date_done", meta.DateDone is { } done ? PythonSemantics.IsoFormat(done) : DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        tasks[meta.TaskId] = meta;
        events.Record(meta.TaskId, JobEventSource.Celery, meta.Status, time.GetUtcNow());
    }

    private async Task DeleteAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM celery_taskmeta WHERE task_id = $id";
        command.Parameters.AddWithValue("$id", taskId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
