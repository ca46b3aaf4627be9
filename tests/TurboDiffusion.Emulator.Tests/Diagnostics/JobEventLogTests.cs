namespace TurboDiffusion.Emulator.Tests.Diagnostics;

public sealed class JobEventLogTests
{
    [Fact]
    public void QueuedOrRunning_JobsInEveryState_OnlyThoseHandedToTheWorkerAndNotFinished()
    {
        var log = new JobEventLog();
        var at = DateTimeOffset.UnixEpoch;
        // Created only: never reached the worker.
        log.Record("created", JobEventSource.Database, DbStatus.Created, at);
        // Queued, then running.
        log.Record("queued", JobEventSource.Database, DbStatus.Submitted, at);
        log.Record("running", JobEventSource.Database, DbStatus.Submitted, at);
        log.Record("running", JobEventSource.Celery, CeleryState.Started, at);
        log.Record("running", JobEventSource.Database, DbStatus.Running, at);
        // Finished both ways.
        foreach (var (id, end) in new[] { ("succeeded", CeleryState.Success), ("failed", CeleryState.Failure) })
        {
            log.Record(id, JobEventSource.Database, DbStatus.Submitted, at);
            log.Record(id, JobEventSource.Celery, end, at);
        }

        Assert.Equal(["queued", "running"], log.QueuedOrRunning());
    }
}
