using System.Text.Json;

namespace TurboDiffusion.Emulator;

/// <summary>
/// Builds the status GET's answer as the real API does: Celery's state first (PENDING for anything
/// it does not hold), then the row (or the reason it could not be read), then the result, a freshly
/// presigned URL, or the error.
/// </summary>
internal sealed class JobStatusReader(CeleryResultBackend celery, JobDatabase database, UrlSigner signer)
{
    /// <summary>Python's ValueError text for <c>uuid.UUID("not-a-uuid")</c>.</summary>
    public const string BadUuid = "badly formed hexadecimal UUID string";

    public async Task<JobStatusResponse> ReadAsync(string jobId, CancellationToken cancellationToken)
    {
        var meta = await celery.GetAsync(jobId, cancellationToken);
        var response = new JobStatusResponse { JobId = jobId, Status = meta?.Status ?? CeleryState.Pending };

        if (!PythonSemantics.TryParseUuid(jobId, out var rowId))
        {
            response.DbError = BadUuid;
        }
        else
        {
            try
            {
                if (await database.FindAsync(rowId, cancellationToken) is { } row)
                {
                    response.Db = JobDbView.From(row);
                }
            }
            catch (DatabaseUnavailableException e)
            {
                // The real API reports only the first line of psycopg's message here (examples/job-db-down.json).
                response.DbError = e.Message.Split('\n')[0];
            }
        }

        if (meta?.Status == CeleryState.Success && meta.ResultJson is { } resultJson)
        {
            var result = JsonSerializer.Deserialize<JsonElement>(resultJson);
            response.Result = result;
            if (result.TryGetProperty("output_bucket", out var bucket) && result.TryGetProperty("output_key", out var key)
                && bucket.GetString() is { } bucketName && key.GetString() is { } keyName)
            {
                response.OutputUrl = await signer.PresignAsync(bucketName, keyName, cancellationToken);
            }
        }
        else if (meta?.Status == CeleryState.Failure)
        {
            response.Error = meta.Error ?? "";
        }

        return response;
    }

    /// <summary>
    /// The VideoGen answer: Celery's state; for PENDING (queued, unknown, or an expired result) nothing else, so those
    /// read alike; otherwise the row's requested duration and error (str(exception) on FAILURE without a row error) and,
    /// on SUCCESS, a fresh presigned <c>video_url</c>. A DB outage only costs the row's fields.
    /// </summary>
    public async Task<VideoGenJobStatus> ReadVideoGenAsync(string jobId, CancellationToken cancellationToken)
    {
        const string provider = "local";
        var meta = await celery.GetAsync(jobId, cancellationToken);
        var status = meta?.Status ?? CeleryState.Pending;
        if (meta is null || status == CeleryState.Pending)
        {
            return new VideoGenJobStatus(jobId, status, null, null, provider, null, null);
        }

        JobRow? row = null;
        if (PythonSemantics.TryParseUuid(jobId, out var rowId))
        {
            try
            {
                row = await database.FindAsync(rowId, cancellationToken);
            }
            catch (DatabaseUnavailableException)
            {
                // The real route swallows the lookup failure too; the answer keeps its seven keys.
            }
        }

        string? videoUrl = null;
        if (status == CeleryState.Success && meta.ResultJson is { } resultJson)
        {
            var result = JsonSerializer.Deserialize<JsonElement>(resultJson);
            if (result.TryGetProperty("output_bucket", out var bucket) && result.TryGetProperty("output_key", out var key)
                && bucket.GetString() is { } bucketName && key.GetString() is { } keyName)
            {
                videoUrl = await signer.PresignAsync(bucketName, keyName, cancellationToken);
            }
        }

        var error = row?.Error ?? (status == CeleryState.Failure ? meta.Error ?? "" : null);
        return new VideoGenJobStatus(jobId, status, null, error, provider, videoUrl, row?.DurationSeconds);
    }
}
