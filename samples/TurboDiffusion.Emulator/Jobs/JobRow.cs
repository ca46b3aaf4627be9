namespace TurboDiffusion.Emulator;

/// <summary>One row of the job table, shaped like the real backend's.</summary>
internal sealed record JobRow(
    string Id,
    string Status,
    string Prompt,
    long Seed,
    long NumSteps,
    bool Quantized,
    double? DurationSeconds,
    string InputBucket,
    string InputKey,
    string OutputBucket,
    string OutputKey,
    string? ResultJson,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The simulated Postgres outage (the DbDown fault), with psycopg's words.</summary>
internal sealed class DatabaseUnavailableException : Exception
{
    public const string ConnectionRefused =
        "(psycopg.OperationalError) connection failed: connection to server at \"127.0.0.1\", port 5432 failed: Connection refused\n"
        + "\tIs the server running on that host and accepting TCP/IP connections?";

    public DatabaseUnavailableException()
        : base(ConnectionRefused)
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
