using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// What a start finds left over from a stop, and what becomes of it. Queued jobs (SUBMITTED) are
/// re-queued: the real broker keeps its queue across a worker restart. Jobs a worker had started are
/// FAILED: a killed GPU worker does not resume a half-run job, and a clear failure beats a job shown
/// RUNNING forever (real Celery would leave it STARTED). A job whose result Celery already stored is
/// completed instead.
/// </summary>
internal sealed partial class RestartRecovery(
    JobDatabase database,
    CeleryResultBackend celery,
    JobQueue queue,
    IOptions<EmulatorOptions> options,
    [FromKeyedServices(EmulatorServiceKeys.Clock)] TimeProvider time,
    ILogger<RestartRecovery> logger)
{
    public const string InterruptedMessage = "Worker restarted while the job was running (emulator restart); submit it again.";
    public const string NeverSubmittedMessage = "The API restarted before the job reached the broker (emulator restart); submit it again.";

    private static readonly string[] InFlight = [DbStatus.Started, DbStatus.Downloaded, DbStatus.Running, DbStatus.Uploaded];

    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var row in await database.ListByStatusAsync(InFlight, cancellationToken))
        {
            var meta = await celery.GetAsync(row.Id, cancellationToken);
            if (meta?.Status == CeleryState.Success)
            {
                await database.SetStatusAsync(row.Id, DbStatus.Succeeded, cancellationToken, resultJson: meta.ResultJson, ignoreFaults: true);
                continue;
            }

            await database.SetStatusAsync(row.Id, DbStatus.Failed, cancellationToken, InterruptedMessage, ignoreFaults: true);
            await celery.MarkFailedAsync(row.Id, InterruptedMessage, cancellationToken);
            failed++;
        }

        // Jobs that ran while the DB was down have no row; their Celery state must not stay STARTED either.
        foreach (var orphan in celery.InState(CeleryState.Started).ToList())
        {
            await celery.MarkFailedAsync(orphan.TaskId, InterruptedMessage, cancellationToken);
            failed++;
        }

        foreach (var row in await database.ListByStatusAsync([DbStatus.Created], cancellationToken))
        {
            await database.SetStatusAsync(row.Id, DbStatus.SubmitFailed, cancellationToken, NeverSubmittedMessage, ignoreFaults: true);
        }

        var requeued = 0;
        foreach (var row in await database.ListByStatusAsync([DbStatus.Submitted], cancellationToken))
        {
            var frames = QueuedJob.FrameCountFor(row.DurationSeconds, options.Value);
            var job = new QueuedJob(row.Id, row.Prompt, row.Seed, row.NumSteps, row.Quantized, frames, row.InputKey, row.OutputKey, time.GetUtcNow())
            {
                DurationSeconds = row.DurationSeconds,
            };
            if (queue.TryEnqueue(job))
            {
                requeued++;
            }
            else
            {
                await database.SetStatusAsync(row.Id, DbStatus.Failed, cancellationToken, "The emulator's queue was full at restart; submit it again.", ignoreFaults: true);
                await celery.MarkFailedAsync(row.Id, "The emulator's queue was full at restart; submit it again.", cancellationToken);
            }
        }

        if (failed + requeued > 0)
        {
            LogRecovered(logger, failed, requeued);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restart recovery: {Failed} interrupted job(s) marked FAILED, {Requeued} queued job(s) re-queued")]
    private static partial void LogRecovered(ILogger logger, int failed, int requeued);
}
