using System.Globalization;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs.Polling;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Jobs;

public sealed partial class JobTracker
{
    private void SchedulePoll(JobRecord record, DateTimeOffset dueAt, DateTimeOffset? notRunningAt = null) =>
        _schedule.Poll(record, dueAt, notRunningAt);

    /// <summary>A record loaded at start-up: look at active jobs at once (the deadline still counts from CreatedAt).</summary>
    private void ScheduleRestored(JobRecord record, DateTimeOffset now) => ScheduleLoaded(record, now);

    /// <summary>A record another tab added or revived: it probably polls it too, so start at the normal pace.</summary>
    private void ScheduleExternal(JobRecord record, DateTimeOffset now) =>
        ScheduleLoaded(record, now + _policy.NextInterval(record.Status.Phase, record.LastChangeAt, now));

    private void ScheduleLoaded(JobRecord record, DateTimeOffset pollAt) =>
        // Another tab may still be posting a Submitting record; its POST gives up after SubmitTimeout and would say so.
        _planner.ScheduleLoaded(record, pollAt, _time.GetUtcNow(),
            _submissions.IsSubmitting(record.Id) ? null : record.CreatedAt + _submitTimeout + PollTimeoutMargin);

    /// <summary>Runs one due action (the scheduler's thread-pool work); returns what it did, or null when dropped.</summary>
    private async Task<ScheduledRun?> RunScheduledAsync(string id, ScheduledJob schedule)
    {
        try
        {
            return schedule.Work switch
            {
                ScheduledWork.Poll => await PollAsync(id, schedule).ConfigureAwait(false),
                ScheduledWork.Expire => await ExpireAsync(id, schedule).ConfigureAwait(false),
                _ => await CheckOrphanAsync(id, schedule).ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            // A bug, not a backend fault: keep the job scheduled rather than stuck "in flight".
            Log.UnexpectedWorkFailure(_logger, id, ex);
            lock (_gate)
            {
                if (!_disposed && _schedule.IsCurrent(id, schedule))
                {
                    schedule.InFlight = false;
                    schedule.Failures++;
                    schedule.DueAt = _time.GetUtcNow() + _policy.Backoff(schedule.Failures, null);
                }
            }

            _scheduler.Pump();
            return null;
        }
    }

    private async Task<ScheduledRun?> PollAsync(string id, ScheduledJob schedule)
    {
        JobRecord? record;
        IJobTypeDefinition? jobType = null;
        JobSnapshot? snapshot = null;
        Exception? fault = null;
        try
        {
            lock (_gate) record = _book.Find(id);
            if (record?.JobId is not null && _jobTypes.TryGetValue(record.JobType, out jobType))
            {
                (snapshot, fault) = await GetStatusAsync(jobType, record.JobId).ConfigureAwait(false);
            }
        }
        finally
        {
            _scheduler.ReleaseRequestSlot();
        }

        JobChange? change = null;
        ScheduledRun run;
        lock (_gate)
        {
            if (_disposed) return null;
            var now = _time.GetUtcNow();
            if (!_schedule.IsCurrent(id, schedule) || !_book.TryGet(id, out var before) || record is null
                || before.JobId != record.JobId)
            {
                // Superseded while in flight: removed, finished in another tab (which drops the schedule), or
                // restarted by Keep checking. A finished job still on its schedule is settling: the planner decides.
                schedule.InFlight = false;
                run = new ScheduledRun(ScheduledWork.Poll, now, fault);
            }
            else if (jobType is null)
            {
                // A job type this app does not know (written by a newer version in another tab): leave it alone.
                _schedule.Stop(id);
                Log.UnknownJobType(_logger, id, before.JobType);
                run = new ScheduledRun(ScheduledWork.Poll, now);
            }
            else
            {
                var next = snapshot is not null
                    ? _planner.ApplyAnswer(before, schedule, snapshot, now)
                    : ApplyFault(before, schedule, fault!, now);
                JobRecord after = before;
                if (!ReferenceEquals(next, before))
                {
                    after = Commit(before, next, now);
                    change = new JobChange(JobChangeKind.Updated, id, after, before);
                    if (!after.Status.Phase.IsActive() && before.Status.Phase.IsActive()) Log.TrackingEnded(_logger, id, after.JobId!, after.Status.Phase);
                    if (after.CompletedAt is not null && before.CompletedAt is null) _planner.WakeOldestQueued(now);
                }

                run = new ScheduledRun(ScheduledWork.Poll, now, fault);
            }
        }

        _scheduler.Pump();
        if (change is not null) await PublishAsync(change).ConfigureAwait(false);
        return run;
    }

    /// <summary>Feeds a succeeded record's run time to the learned durations (under the gate).</summary>
    private void Learn(JobRecord record)
    {
        if (_polling.LearnRunDurations) _durations.Observe(record);
    }

    /// <summary>Applies a failed GET (<see cref="PollPlanner.ApplyFault"/>) and logs the trouble (under the gate).</summary>
    private JobRecord ApplyFault(JobRecord before, ScheduledJob schedule, Exception fault, DateTimeOffset now)
    {
        var next = _planner.ApplyFault(before, schedule, (fault as TurboDiffusionApiException)?.RetryAfter, now);
        if (!before.Status.Phase.IsActive()) return next;
        var wait = schedule.DueAt - now;
        if (schedule.Failures == 1) Log.PollTrouble(_logger, before.Id, before.JobId!, fault.Message, wait.TotalSeconds, fault);
        else Log.PollTroubleContinues(_logger, before.Id, schedule.Failures, fault.Message, wait.TotalSeconds);
        return next;
    }

    private async Task<ScheduledRun?> ExpireAsync(string id, ScheduledJob schedule)
    {
        JobChange? change = null;
        ScheduledRun run;
        lock (_gate)
        {
            if (_disposed) return null;
            var now = _time.GetUtcNow();
            schedule.InFlight = false;
            if (_schedule.IsCurrent(id, schedule)
                && _book.TryGet(id, out var before) && before.Status.Phase.IsActive())
            {
                if (now < _planner.DeadlineOf(before))
                {
                    // Another tab moved the deadline meanwhile (Keep checking there): carry on polling.
                    schedule.Work = ScheduledWork.Poll;
                    schedule.DueAt = now;
                }
                else
                {
                    _schedule.Stop(id);
                    var after = Commit(before, JobStatusRules.TimeOut(before, now, _polling.Deadline), now);
                    change = new JobChange(JobChangeKind.Updated, id, after, before);
                    Log.TrackingEnded(_logger, id, after.JobId ?? "", after.Status.Phase);
                }
            }

            run = new ScheduledRun(ScheduledWork.Expire, now);
        }

        _scheduler.Pump();
        if (change is not null) await PublishAsync(change).ConfigureAwait(false);
        return run;
    }

    private async Task<ScheduledRun?> CheckOrphanAsync(string id, ScheduledJob schedule)
    {
        JobChange? change = null;
        ScheduledRun run;
        lock (_gate)
        {
            if (_disposed) return null;
            var now = _time.GetUtcNow();
            if (_schedule.IsCurrent(id, schedule))
            {
                _schedule.Stop(id);
                if (_book.TryGet(id, out var before) && before.Status.Phase == JobPhase.Submitting
                    && before.JobId is null && !_submissions.IsSubmitting(id))
                {
                    var after = Commit(before, before with
                    {
                        Status = new JobStatus(null, null, JobPhase.SubmitFailed),
                        Error = SubmitFailures.Interrupted(),
                        Timeline = before.Timeline.Add(new JobStatusChange(now, null, null, JobPhase.SubmitFailed)),
                    }, now);
                    change = new JobChange(JobChangeKind.Updated, id, after, before);
                }
            }

            schedule.InFlight = false;
            run = new ScheduledRun(ScheduledWork.OrphanCheck, now);
        }

        _scheduler.Pump();
        if (change is not null) await PublishAsync(change).ConfigureAwait(false);
        return run;
    }

    /// <summary>One bounded status GET. Returns the answer or the fault; throws only when the tracker stops.</summary>
    private async Task<(JobSnapshot? Snapshot, Exception? Fault)> GetStatusAsync(IJobTypeDefinition jobType, string jobId)
    {
        _stopping.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(_pollTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping, timeout.Token);
        try
        {
            var snapshot = await jobType.GetStatusAsync(jobId, linked.Token).ConfigureAwait(false);
            return snapshot is null
                ? (null, new TurboDiffusionApiException(ApiFailureKind.Protocol, "The backend sent an empty status."))
                : (snapshot, null);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            return (null, new TurboDiffusionApiException(ApiFailureKind.Timeout,
                "The backend did not answer within " + _pollTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s.",
                innerException: ex));
        }
        catch (Exception ex)
        {
            // Anything else (4xx, unreadable payload, a job type's bug) is trouble for this poll, not a verdict on the job.
            return (null, ex);
        }
    }

    private async Task<string?> RefreshCoreAsync(string id, string jobId, IJobTypeDefinition jobType)
    {
        try
        {
            await _scheduler.WaitForRequestSlotAsync(_stopping).ConfigureAwait(false);
            (JobSnapshot? Snapshot, Exception? Fault) answer;
            try
            {
                answer = await GetStatusAsync(jobType, jobId).ConfigureAwait(false);
            }
            finally
            {
                _scheduler.ReleaseRequestSlot();
            }

            _scheduler.Pump();
            if (answer.Fault is not null)
            {
                throw answer.Fault as TurboDiffusionApiException
                    ?? new TurboDiffusionApiException(ApiFailureKind.Protocol,
                        "Could not refresh the video link: " + answer.Fault.Message, innerException: answer.Fault);
            }

            var snapshot = answer.Snapshot!;
            JobChange? change = null;
            string? url;
            lock (_gate)
            {
                ThrowIfStopped();
                if (!_book.TryGet(id, out var before)) return null;
                if (before.JobId != jobId || before.Status.Phase != JobPhase.Succeeded) return before.OutputUrl;

                var now = _time.GetUtcNow();
                if (OutputLinkRefresh.Apply(before, snapshot, now) is not { } next)
                {
                    // A finished job reading otherwise (DB down, odd state): keep what we have.
                    Log.UnexpectedRefreshState(_logger, id, snapshot.Celery, snapshot.Db);
                    return before.OutputUrl;
                }

                url = next.OutputUrl;
                if (next != before)
                {
                    var after = Commit(before, next, now);
                    change = new JobChange(JobChangeKind.Updated, id, after, before);
                }
            }

            if (change is not null) await PublishAsync(change).ConfigureAwait(false);
            return url;
        }
        finally
        {
            lock (_gate) _refreshes.Remove(id);
        }
    }
}
