using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// <see cref="EmulatorOptions.WorkerCount"/> workers taking jobs off the queue, one at a time each,
/// like Celery worker processes on one GPU. Stopping the host cancels them (and their ffmpeg).
/// </summary>
internal sealed partial class JobWorkerPool(JobQueue queue, JobRunner runner, IOptions<EmulatorOptions> options, ILogger<JobWorkerPool> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(1, options.Value.WorkerCount).Select(worker => WorkAsync(worker, stoppingToken)));

    private async Task WorkAsync(int worker, CancellationToken stoppingToken)
    {
        var first = true;
        try
        {
            await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await runner.RunAsync(job, first, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The runner reports job failures itself; this is the store failing under it. Keep serving the queue.
                    LogWorkerError(logger, e, worker, job.JobId);
                }

                first = false;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a job in flight stays as it was, for restart recovery to fail it.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Worker} could not finish job {JobId}")]
    private static partial void LogWorkerError(ILogger logger, Exception exception, int worker, string jobId);
}
