using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace TurboDiffusion.Emulator;

/// <summary>
/// The job table, standing in for Postgres. Every call honours the DbDown fault by throwing
/// <see cref="DatabaseUnavailableException"/>, so callers handle an outage where the real code does.
/// </summary>
internal sealed class JobDatabase(
    SqliteDatabase database,
    FaultController faults,
    JobEventLog events,
    [FromKeyedServices(EmulatorServiceKeys.Clock)] TimeProvider time)
{
    private const string Columns =
        "id, status, prompt, seed, num_steps, quantized, duration_seconds, input_bucket, input_key, output_bucket, output_key, result, error, created_at, updated_at";

    public async Task InsertAsync(JobRow row, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO turbodiffusion_jobs ({Columns})
            VALUES ($id, $status, $prompt, $seed, $num_steps, $quantized, $duration, $input_bucket, $input_key, $output_bucket, $output_key, $result, $error, $created_at, $updated_at)
            """;
        command.Parameters.AddWithValue("$id", row.Id);
        command.Parameters.AddWithValue("$status", row.Status);
        command.Parameters.AddWithValue("$prompt", row.Prompt);
        command.Parameters.AddWithValue("$seed", row.Seed);
        command.Parameters.AddWithValue("$num_steps", row.NumSteps);
        command.Parameters.AddWithValue("$quantized", row.Quantized ? 1 : 0);
        command.Parameters.AddWithValue("$duration", (object?)row.DurationSeconds ?? DBNull.Value);
        command.Parameters.AddWithValue("$input_bucket", row.InputBucket);
        command.Parameters.AddWithValue("$input_key", row.InputKey);
        command.Parameters.AddWithValue("$output_bucket", row.OutputBucket);
        command.Parameters.AddWithValue("$output_key", row.OutputKey);
        command.Parameters.AddWithValue("$result", (object?)row.ResultJson ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)row.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$created_at", PythonSemantics.IsoFormat(row.CreatedAt));
        command.Parameters.AddWithValue("$updated_at", PythonSemantics.IsoFormat(row.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
        events.Record(row.Id, JobEventSource.Database, row.Status, row.UpdatedAt);
    }

    /// <summary>Writes a status (and the error or result that goes with it), stamping <c>updated_at</c>. A missing row is left missing.</summary>
    public async Task SetStatusAsync(
        string id,
        string status,
        CancellationToken cancellationToken,
        string? error = null,
        string? resultJson = null,
        bool ignoreFaults = false)
    {
        if (!ignoreFaults)
        {
            ThrowIfDown();
        }

        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE turbodiffusion_jobs
            SET status = $status, error = $error, result = COALESCE($result, result), updated_at = $updated_at
            WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$result", (object?)resultJson ?? DBNull.Value);
        command.Parameters.AddWithValue("$updated_at", PythonSemantics.IsoFormat(now));
        if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            events.Record(id, JobEventSource.Database, status, now);
        }
    }

    public async Task<JobRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM turbodiffusion_jobs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Rows in any of <paramref name="statuses"/>, oldest first; used by restart recovery, so faults do not apply.</summary>
    public async Task<IReadOnlyList<JobRow>> ListByStatusAsync(IReadOnlyCollection<string> statuses, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = new List<string>();
        foreach (var status in statuses)
        {
            var name = "$s" + names.Count.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, status);
            names.Add(name);
        }

        command.CommandText = $"SELECT {Columns} FROM turbodiffusion_jobs WHERE status IN ({string.Join(", ", names)}) ORDER BY created_at, id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<JobRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private void ThrowIfDown()
    {
        if (faults.Current.DbDown)
        {
            throw new DatabaseUnavailableException();
        }
    }

    private static JobRow Read(SqliteDataReader reader) => new(
        Id: reader.GetString(0),
        Status: reader.GetString(1),
        Prompt: reader.GetString(2),
        Seed: reader.GetInt64(3),
        NumSteps: reader.GetInt64(4),
        Quantized: reader.GetInt64(5) != 0,
        DurationSeconds: reader.IsDBNull(6) ? null : reader.GetDouble(6),
        InputBucket: reader.GetString(7),
        InputKey: reader.GetString(8),
        OutputBucket: reader.GetString(9),
        OutputKey: reader.GetString(10),
        ResultJson: reader.IsDBNull(11) ? null : reader.GetString(11),
        Error: reader.IsDBNull(12) ? null : reader.GetString(12),
        CreatedAt: PythonSemantics.ParseIso(reader.GetString(13)),
        UpdatedAt: PythonSemantics.ParseIso(reader.GetString(14)));
}
