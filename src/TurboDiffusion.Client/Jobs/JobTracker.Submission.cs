using System.Runtime.ExceptionServices;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Jobs;

public sealed partial class JobTracker
{
    private Task<JobRecord> StartNewSubmission(JobRequest request, IJobTypeDefinition jobType, string? parentId,
        CancellationToken cancellationToken)
    {
        TaskCompletionSource<JobRecord> completion;
        JobRecord record;
        lock (_gate)
        {
            ThrowIfStopped();
            if (_submissions.FindSame(request) is { } same) return same.WaitAsync(cancellationToken);

            var now = _time.GetUtcNow();
            record = new JobRecord
            {
                Id = NewId(),
                JobType = request.JobType,
                Inputs = request.Inputs,
                Params = request.Params,
                Status = JobStatus.Submitting,
                Timeline = [new JobStatusChange(now, null, null, JobPhase.Submitting)],
                CreatedAt = now,
                LastChangeAt = now,
                Deadline = now + _polling.Deadline,
                TrackedSince = now,
                ParentId = parentId,
                Revision = 1,
                UpdatedAt = now,
            };
            AddRecord(record);
            completion = new TaskCompletionSource<JobRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            _submissions.Start(record, completion.Task);
        }

        var added = new JobChange(JobChangeKind.Added, record.Id, record, null);
        Track(Task.Run(() => RunSubmissionAsync(record.Id, jobType, added, completion), CancellationToken.None));
        return completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunSubmissionAsync(string id, IJobTypeDefinition jobType, JobChange announce,
        TaskCompletionSource<JobRecord> completion)
    {
        JobRecord? result = null;
        Exception? failure = null;
        try
        {
            result = await SubmitCoreAsync(id, jobType, announce).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The tracker was disposed mid-submission.
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        // Forget the in-flight entry before completing, so an equal request made right after is a new job.
        lock (_gate) _submissions.Finish(id);
        if (result is not null) completion.TrySetResult(result);
        else if (failure is not null) completion.TrySetException(failure);
        else completion.TrySetCanceled(_stopping);
    }

    private async Task<JobRecord> SubmitCoreAsync(string id, IJobTypeDefinition jobType, JobChange announce)
    {
        // The record is stored before the backend can take the job, so if the POST dies nothing the user typed is lost.
        // A job with an image is POSTed at once and its form's end waits for the save (SaveGatedImage: no round trip to
        // the browser's store before the upload, bench scenario 3); a job without one waits for the save first.
        var stored = StoreBeforeSendAsync(id);
        var withImage = !string.IsNullOrEmpty(announce.Record!.Inputs.ImageBlobKey);
        if (!withImage) await stored.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Told at once, but the POST does not wait for the subscribers: one that marshals to a page's renderer would hold
        // it for a whole render (bench scenario 3). They hear the answer only after this (Added before Updated).
        var announced = NotifyAsync(announce);
        var record = Find(id);
        if (record is null)
        {
            // Removed before the POST started: do not create a job nobody tracks.
            await announced.ConfigureAwait(false);
            await stored.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return announce.Record!;
        }

        (string? JobId, JobError? Error, bool? DbRowWritten) posted = stored is { IsCompleted: true, IsCompletedSuccessfully: false }
            ? default
            : await PostAsync(record, jobType, stored).ConfigureAwait(false);
        var (jobId, error, dbRowWritten) = posted;
        await stored.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await announced.ConfigureAwait(false);
        _stopping.ThrowIfCancellationRequested();
        if (stored.Exception?.GetBaseException() is { } notStored && jobId is null)
        {
            // The POST was aborted before its form ended (or never made): the backend has no job. The record is kept.
            (error, dbRowWritten) = (SubmitFailures.NotStored(notStored), null);
        }

        JobRecord before;
        JobRecord after;
        lock (_gate)
        {
            ThrowIfStopped();
            if (!_book.TryGet(id, out before))
            {
                if (jobId is not null) Log.RemovedWhileSubmitting(_logger, id, jobId);
                return record with { JobId = jobId, Error = error };
            }

            var now = _time.GetUtcNow();
            if (error is null)
            {
                after = Commit(before, before with
                {
                    JobId = jobId,
                    DbRowMissing = dbRowWritten == false,
                    Status = new JobStatus(null, null, JobPhase.Queued),
                    Error = null,
                    TrackedSince = now,
                    LastChangeAt = now,
                    Timeline = before.Timeline.Add(new JobStatusChange(now, null, null, JobPhase.Queued)),
                }, now);
                // The job cannot have started before its POST began: the earliest start a learned run counts from.
                SchedulePoll(after, now + _planner.FirstWait(after, now), notRunningAt: before.CreatedAt);
            }
            else
            {
                after = Commit(before, before with
                {
                    Status = new JobStatus(null, null, JobPhase.SubmitFailed),
                    Error = error,
                    Timeline = before.Timeline.Add(new JobStatusChange(now, null, null, JobPhase.SubmitFailed)),
                }, now);
            }
        }

        _scheduler.Pump();
        await PublishAlongsideSaveAsync(new JobChange(JobChangeKind.Updated, id, after, before)).ConfigureAwait(false);
        return after;
    }

    /// <summary>
    /// Saves the new record for its POST: completes once it is stored, faults with the store's failure (logged too), and
    /// is cancelled when the tracker stops. Unlike other saves, a failure here is not only logged: it stops the POST.
    /// </summary>
    private async Task StoreBeforeSendAsync(string id)
    {
        if (await PersistAsync(id).ConfigureAwait(false) is { } failure) ExceptionDispatchInfo.Throw(failure);
        if (Volatile.Read(ref _disposed)) throw new OperationCanceledException("The job tracker has been disposed.", _stopping);
        _stopping.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Saves and tells at once, for the POST's answer, which the user is waiting to see: the save is handed to the store
    /// first, so a browser store, which hears both over the same connection, has the record stored before the page shows
    /// it, but the subscribers do not wait for the store's answer (a round trip to the browser; bench scenario 3). The
    /// record was stored before the POST; this save only adds its answer. Completes when both are done.
    /// </summary>
    private async Task PublishAlongsideSaveAsync(JobChange change)
    {
        var saving = PersistAsync(change.Id);
        await NotifyAsync(change).ConfigureAwait(false);
        await saving.ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the image and POSTs; returns the job id (and whether the backend wrote its DB row) or the error to keep.
    /// Throws only when stopping.
    /// </summary>
    private async Task<(string? JobId, JobError? Error, bool? DbRowWritten)> PostAsync(JobRecord record, IJobTypeDefinition jobType,
        Task stored)
    {
        Stream? image = null;
        try
        {
            if (!string.IsNullOrEmpty(record.Inputs.ImageBlobKey))
            {
                try
                {
                    image = await _blobs.OpenReadAsync(record.Inputs.ImageBlobKey, _stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    Log.BlobReadFailed(_logger, record.Id, ex);
                    return (null, SubmitFailures.Error("The original image could not be read from this browser's storage: " + ex.Message), null);
                }

                if (image is null) return (null, SubmitFailures.Error(SubmitFailures.MissingImageMessage), null);
                image = SaveGatedImage.Wrap(image, stored);
            }

            _stopping.ThrowIfCancellationRequested();
            JobSubmission reply;
            try
            {
                reply = await jobType.SubmitForReplyAsync(new JobRequest(record.JobType, record.Inputs, record.Params), image, _stopping)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                var error = SubmitFailures.Describe(ex);
                Log.SubmitFailed(_logger, record.Id, error.Message, ex);
                return (null, error, null);
            }

            return string.IsNullOrWhiteSpace(reply?.JobId)
                ? (null, SubmitFailures.Error("The backend accepted the job but sent no job id.") with { MayHaveBeenSubmitted = true }, null)
                : (reply.JobId.Trim(), null, reply.DbRowWritten);
        }
        finally
        {
            if (image is not null) await image.DisposeAsync().ConfigureAwait(false);
        }
    }
}
