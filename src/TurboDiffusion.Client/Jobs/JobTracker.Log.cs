using Microsoft.Extensions.Logging;

namespace TurboDiffusion.Client.Jobs;

public sealed partial class JobTracker
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Job {Id}: status GET of backend job {JobId} failed ({Reason}); connection trouble, next try in {WaitSeconds:0.#} s.")]
        public static partial void PollTrouble(ILogger logger, string id, string jobId, string reason, double waitSeconds, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "Job {Id}: status GET failed again ({Failures} in a row: {Reason}); next try in {WaitSeconds:0.#} s.")]
        public static partial void PollTroubleContinues(ILogger logger, string id, int failures, string reason, double waitSeconds);

        [LoggerMessage(3, LogLevel.Information, "Job {Id} (backend {JobId}): tracking ended in {Phase}.")]
        public static partial void TrackingEnded(ILogger logger, string id, string jobId, JobPhase phase);

        [LoggerMessage(4, LogLevel.Warning, "Job {Id}: submission failed: {Reason}")]
        public static partial void SubmitFailed(ILogger logger, string id, string reason, Exception exception);

        [LoggerMessage(5, LogLevel.Warning, "Job {Id}: the input image could not be read from the blob store.")]
        public static partial void BlobReadFailed(ILogger logger, string id, Exception exception);

        [LoggerMessage(6, LogLevel.Warning, "Job {Id} was removed while being submitted; backend job {JobId} runs untracked.")]
        public static partial void RemovedWhileSubmitting(ILogger logger, string id, string jobId);

        [LoggerMessage(7, LogLevel.Warning, "Job {Id} has job type '{JobType}', which is not registered; it is not polled.")]
        public static partial void UnknownJobType(ILogger logger, string id, string jobType);

        [LoggerMessage(8, LogLevel.Debug, "Job {Id}: link refresh read Celery {Celery} / DB {Db}; the record is kept as it is.")]
        public static partial void UnexpectedRefreshState(ILogger logger, string id, string? celery, string? db);

        [LoggerMessage(9, LogLevel.Error, "Job {Id}: unexpected failure in the tracker; the job stays scheduled.")]
        public static partial void UnexpectedWorkFailure(ILogger logger, string id, Exception exception);

        [LoggerMessage(10, LogLevel.Error, "A job change subscriber failed for job {Id}.")]
        public static partial void SubscriberFailed(ILogger logger, string id, Exception exception);

        [LoggerMessage(11, LogLevel.Warning, "The job store failed; the tracker keeps the record in memory.")]
        public static partial void StoreFailed(ILogger logger, Exception exception);

        [LoggerMessage(12, LogLevel.Error, "Stored jobs could not be loaded.")]
        public static partial void LoadFailed(ILogger logger, Exception exception);

        [LoggerMessage(13, LogLevel.Warning, "Stored job {Id} has schema version {Version}, newer than this app's; it is left alone.")]
        public static partial void NewerSchemaSkipped(ILogger logger, string id, int version);

        [LoggerMessage(16, LogLevel.Warning, "Stored job {Id} cannot be used ({Problem}); it is skipped.")]
        public static partial void UnusableRecordSkipped(ILogger logger, string id, string problem);

        [LoggerMessage(14, LogLevel.Warning, "A cancellation callback failed while the job tracker stopped.")]
        public static partial void CancellationCallbackFailed(ILogger logger, Exception exception);

        [LoggerMessage(15, LogLevel.Debug, "Stopping the store's change watch failed.")]
        public static partial void WatchDisposeFailed(ILogger logger, Exception exception);
    }
}
