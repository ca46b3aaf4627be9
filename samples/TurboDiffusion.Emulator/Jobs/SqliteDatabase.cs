using Microsoft.Data.Sqlite;

namespace TurboDiffusion.Emulator;

/// <summary>
/// The emulator's one SQLite file (WAL, so status GETs read while workers write). It holds the job
/// table and, separately, the Celery result table, as Postgres and Redis are separate in production.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly string connectionString;

    public SqliteDatabase(EmulatorPaths paths)
    {
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = paths.DatabaseFile,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS turbodiffusion_jobs (
                id               TEXT PRIMARY KEY,
                status           TEXT NOT NULL,
                prompt           TEXT NOT NULL,
                seed             INTEGER NOT NULL,
                num_steps        INTEGER NOT NULL,
                quantized        INTEGER NOT NULL,
                duration_seconds REAL NULL,
                input_bucket     TEXT NOT NULL,
                input_key        TEXT NOT NULL,
                output_bucket    TEXT NOT NULL,
                output_key       TEXT NOT NULL,
                result           TEXT NULL,
                error            TEXT NULL,
                created_at       TEXT NOT NULL,
                updated_at       TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_turbodiffusion_jobs_status ON turbodiffusion_jobs (status);
            CREATE TABLE IF NOT EXISTS celery_taskmeta (
                task_id   TEXT PRIMARY KEY,
                status    TEXT NOT NULL,
                result    TEXT NULL,
                traceback TEXT NULL,
                date_done TEXT NULL
            );
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; release this file's pool only (other emulators may share the process).
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
