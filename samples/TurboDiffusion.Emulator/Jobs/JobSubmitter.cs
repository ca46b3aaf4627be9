using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TurboDiffusion.Emulator;

/// <summary>A validated job submission.</summary>
internal sealed record JobRequest(
    string Prompt,
    Stream Image,
    string? FileName,
    long Seed,
    long NumSteps,
    bool Quantized,
    double? DurationSeconds,
    int FrameCount)
{
    /// <summary>VideoGen: the API asks its LLM to rewrite <see cref="Prompt"/> before queueing.</summary>
    public bool EnhancePrompt { get; init; }
}

/// <summary>What a submission came to: a 200 body, or the broker's refusal (a 500 detail).</summary>
internal sealed record SubmitResult(CreateJobResponse? Accepted, string? BrokerFailure);

/// <summary>
/// The API side of a POST, in the real order: store the input object, insert the row (CREATED), hand
/// the job to the broker, mark it SUBMITTED. A DB outage is reported, not fatal; a broker outage is.
/// </summary>
internal sealed partial class JobSubmitter(
    ObjectStore store,
    JobDatabase database,
    JobQueue queue,
    FaultController faults,
    [FromKeyedServices(EmulatorServiceKeys.Clock)] TimeProvider time,
    ILogger<JobSubmitter> logger)
{
    /// <summary>What redis-py says when nothing listens on the broker's port.</summary>
    public const string BrokerRefused = "Error 111 connecting to localhost:6379. Connection refused.";

    public async Task<SubmitResult> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("D");
        var suffix = PythonSemantics.PathSuffix(request.FileName) is { Length: > 0 } given ? given : ".jpg";
        var input = new ObjectRef(ObjectStore.Bucket, ObjectStore.InputPrefix + id + suffix);
        var output = new ObjectRef(ObjectStore.Bucket, ObjectStore.OutputPrefix + id + ".mp4");

        await store.PutAsync(input.Bucket, input.Key, request.Image, cancellationToken);

        var now = time.GetUtcNow();
        var row = new JobRow(
            id, DbStatus.Created, request.Prompt, request.Seed, request.NumSteps, request.Quantized, request.DurationSeconds,
            input.Bucket, input.Key, output.Bucket, output.Key, ResultJson: null, Error: null, now, now);
        string? dbError = null;
        try
        {
            await database.InsertAsync(row, cancellationToken);
        }
        catch (DatabaseUnavailableException e)
        {
            dbError = e.Message;
        }

        var persisted = dbError is null;
        var brokerFailure = faults.Current.BrokerDown ? BrokerRefused : null;
        if (brokerFailure is null)
        {
            // SUBMITTED goes in before a worker can see the job, so the row's status never goes backwards
            // (the real API writes it just after send_task and can, rarely, race its own worker).
            if (persisted)
            {
                await TrySetStatusAsync(id, DbStatus.Submitted, null, cancellationToken);
            }

            var job = new QueuedJob(id, request.Prompt, request.Seed, request.NumSteps, request.Quantized, request.FrameCount, input.Key, output.Key, now)
            {
                DurationSeconds = request.DurationSeconds,
            };
            if (!queue.TryEnqueue(job))
            {
                brokerFailure = "The emulator's queue is full (Emulator:QueueCapacity); try again later.";
            }
        }

        if (brokerFailure is not null)
        {
            if (persisted)
            {
                await TrySetStatusAsync(id, DbStatus.SubmitFailed, brokerFailure, cancellationToken);
            }

            return new SubmitResult(null, "Failed to submit Celery task: " + brokerFailure);
        }

        return new SubmitResult(new CreateJobResponse(id, "submitted", input, output, new DbPersistence(persisted, dbError)), null);
    }

    private async Task TrySetStatusAsync(string id, string status, string? error, CancellationToken cancellationToken)
    {
        try
        {
            await database.SetStatusAsync(id, status, cancellationToken, error);
        }
        catch (DatabaseUnavailableException)
        {
            LogStatusNotWritten(logger, id, status);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: status {Status} not written, the database is down (fault)")]
    private static partial void LogStatusNotWritten(ILogger logger, string jobId, string status);
}
