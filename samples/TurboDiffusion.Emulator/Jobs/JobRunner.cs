using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>A failure the worker reports as the job's error.</summary>
internal sealed class JobFailedException : Exception
{
    public JobFailedException()
    {
    }

    public JobFailedException(string message)
        : base(message)
    {
    }

    public JobFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// One worker's handling of one job, in the real worker's order: Celery STARTED and DB STARTED,
/// fetch the input (DOWNLOADED), infer (RUNNING: the simulated steps, then the render), store the
/// video (UPLOADED), then Celery SUCCESS and DB SUCCEEDED. A failure writes DB FAILED, then Celery
/// FAILURE, both with the error. Cancellation (shutdown) abandons the job mid-way, as a killed worker
/// would; restart recovery deals with it.
/// </summary>
internal sealed partial class JobRunner(
    JobDatabase database,
    CeleryResultBackend celery,
    ObjectStore store,
    IVideoEngine engine,
    FaultController faults,
    EmulatorPaths paths,
    IOptions<EmulatorOptions> options,
    [FromKeyedServices(EmulatorServiceKeys.Clock)] TimeProvider time,
    ILogger<JobRunner> logger)
{
    private const string NoSuchKey = "An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist.";

    public async Task RunAsync(QueuedJob job, bool firstJobOfWorker, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var pickUpAt = job.EnqueuedAt + settings.QueueDelay;
        if (pickUpAt > time.GetUtcNow())
        {
            await Task.Delay(pickUpAt - time.GetUtcNow(), time, cancellationToken);
        }

        await celery.MarkStartedAsync(job.JobId, cancellationToken);
        await WriteStatusAsync(job.JobId, DbStatus.Started, cancellationToken);
        var workDirectory = Path.Combine(paths.WorkDirectory, job.JobId);
        try
        {
            if (firstJobOfWorker)
            {
                await PauseAsync(settings.WarmUpDelay, cancellationToken);
            }

            await PauseAsync(settings.StageDelay, cancellationToken);
            var imagePath = await DownloadAsync(job, workDirectory, cancellationToken);
            await WriteStatusAsync(job.JobId, DbStatus.Downloaded, cancellationToken);
            await PauseAsync(settings.StageDelay, cancellationToken);

            await WriteStatusAsync(job.JobId, DbStatus.Running, cancellationToken);
            await InferAsync(job, imagePath, workDirectory, cancellationToken);
            store.PutFile(ObjectStore.Bucket, job.OutputKey, Path.Combine(workDirectory, "output.mp4"));
            await WriteStatusAsync(job.JobId, DbStatus.Uploaded, cancellationToken);
            await PauseAsync(settings.StageDelay, cancellationToken);

            // Celery stores the return value before the DB says SUCCEEDED, so for a moment a poller can
            // see SUCCESS with db.status UPLOADED, as the contract warns.
            var result = JsonSerializer.Serialize(
                new JobResult(job.JobId, ObjectStore.Bucket, job.InputKey, ObjectStore.Bucket, job.OutputKey), ApiJson.Options);
            await celery.MarkSucceededAsync(job.JobId, result, cancellationToken);
            await WriteStatusAsync(job.JobId, DbStatus.Succeeded, cancellationToken, resultJson: result);
        }
        catch (Exception e) when (e is JobFailedException or VideoRenderException)
        {
            await FailAsync(job.JobId, e.Message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Anything else is the worker crashing on this job: Celery records str(exception).
            LogUnexpectedFailure(logger, e, job.JobId);
            await FailAsync(job.JobId, e.Message, cancellationToken);
        }
        finally
        {
            TryDelete(workDirectory);
        }
    }

    private async Task InferAsync(QueuedJob job, string imagePath, string workDirectory, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The VideoGen worker's own rule, decided here from the options rather than carried on the job, so a job re-queued
        // at a restart meets it too. The legacy API checks at the POST instead; with the Both profile the emulator runs the
        // VideoGen worker, which checks every job it takes.
        if (settings.ApiProfile != EmulatorApiProfile.Legacy && job.DurationSeconds is { } asked && asked > settings.MaxVideoSeconds)
        {
            // The VideoGen worker's words (apps/worker/capabilities/videogen.py), Python floats included.
            throw new JobFailedException($"duration_seconds too large (max={PythonSemantics.FloatRepr(settings.MaxVideoSeconds)}s), got {PythonSemantics.FloatRepr(asked)}");
        }

        if (job.NumSteps is < 1 or > 4)
        {
            throw new JobFailedException($"num_steps must be one of 1, 2, 3, 4 (got {job.NumSteps}); the distilled model samples in at most 4 steps.");
        }

        if (faults.TryTakeJobFailure(out var message))
        {
            // Out-of-memory strikes during sampling: spend one step first, so RUNNING is observable.
            await PauseAsync(settings.StepDuration, cancellationToken);
            throw new JobFailedException(message);
        }

        await PauseAsync(settings.StepDuration * job.NumSteps, cancellationToken);
        var request = new VideoRenderRequest(
            imagePath, Path.Combine(workDirectory, "output.mp4"), job.InputKey, job.Prompt, job.Seed, job.FrameCount, settings.Fps);
        await engine.RenderAsync(request, cancellationToken);
    }

    private async Task<string> DownloadAsync(QueuedJob job, string workDirectory, CancellationToken cancellationToken)
    {
        var source = store.Find(ObjectStore.Bucket, job.InputKey) ?? throw new JobFailedException(NoSuchKey);
        Directory.CreateDirectory(workDirectory);
        var local = Path.Combine(workDirectory, "input" + PythonSemantics.PathSuffix(job.InputKey));
        await using var from = source.OpenRead();
        await using var to = File.Create(local);
        await from.CopyToAsync(to, cancellationToken);
        return local;
    }

    private async Task FailAsync(string jobId, string error, CancellationToken cancellationToken)
    {
        await WriteStatusAsync(jobId, DbStatus.Failed, cancellationToken, error: error);
        await celery.MarkFailedAsync(jobId, error, cancellationToken);
    }

    /// <summary>Like the real worker, a DB outage costs the row its updates, not the job its run.</summary>
    private async Task WriteStatusAsync(string jobId, string status, CancellationToken cancellationToken, string? error = null, string? resultJson = null)
    {
        try
        {
            await database.SetStatusAsync(jobId, status, cancellationToken, error, resultJson);
        }
        catch (DatabaseUnavailableException)
        {
            LogStatusNotWritten(logger, jobId, status);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed unexpectedly")]
    private static partial void LogUnexpectedFailure(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: status {Status} not written, the database is down (fault)")]
    private static partial void LogStatusNotWritten(ILogger logger, string jobId, string status);

    private Task PauseAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, time, cancellationToken) : Task.CompletedTask;

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Scratch files only; the data directory's owner can clean them.
        }
    }
}
