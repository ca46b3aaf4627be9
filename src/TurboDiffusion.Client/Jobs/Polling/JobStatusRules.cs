using System.Collections.Immutable;
using TurboDiffusion.Client.Contract;

namespace TurboDiffusion.Client.Jobs.Polling;

/// <summary>
/// The state half of the polling policy: how one status answer changes a job record. Pure functions, no clock of
/// their own, so every rule is tested directly.
/// </summary>
internal static class JobStatusRules
{
    /// <summary>What one answer says, before the tracker adds what only it knows (time, deadline).</summary>
    /// <param name="Phase">The phase the answer implies.</param>
    /// <param name="WithoutDbRow">PENDING with no DB row on a backend whose DB answered: maybe an unknown id.</param>
    /// <param name="LinkGone">Finished, but Celery forgot the result, so no URL can be minted (PENDING + SUCCEEDED).</param>
    /// <param name="FailureMessage">For Failed: the message to show.</param>
    internal readonly record struct Derivation(JobPhase Phase, bool WithoutDbRow, bool LinkGone, string? FailureMessage);

    private static readonly HashSet<string> RunningDbStates = new(StringComparer.OrdinalIgnoreCase)
    {
        DbStates.Started, DbStates.Downloaded, DbStates.Running, DbStates.Uploaded,
    };

    /// <summary>Reads the phase from the Celery state first and the DB row second (see the contract).</summary>
    public static Derivation Derive(JobSnapshot snapshot)
    {
        var celery = snapshot.Celery?.Trim().ToUpperInvariant();
        var db = snapshot.Db;
        switch (celery)
        {
            case CeleryStates.Success:
                return new(JobPhase.Succeeded, false, false, null);
            case CeleryStates.Failure:
                return new(JobPhase.Failed, false, false,
                    string.IsNullOrEmpty(snapshot.Error) ? "The job failed; the backend gave no message." : snapshot.Error);
            case CeleryStates.Revoked:
                return new(JobPhase.Failed, false, false, string.IsNullOrEmpty(snapshot.Error)
                    ? "The job was cancelled on the backend (REVOKED)."
                    : "The job was cancelled on the backend (REVOKED).\n" + snapshot.Error);
            case CeleryStates.Started:
                return new(JobPhase.Running, false, false, null);
            case CeleryStates.Retry:
                // Celery will run the task again: still active, waiting for a worker.
                return new(JobPhase.Queued, false, false, null);
            case CeleryStates.Pending:
                return DerivePending(snapshot, db);
            default:
                // Unknown or missing Celery state: kept as sent, never terminal; the DB row says whether it runs.
                return new(db is not null && RunningDbStates.Contains(db) ? JobPhase.Running : JobPhase.Queued, false, false, null);
        }
    }

    private static Derivation DerivePending(JobSnapshot snapshot, string? db)
    {
        if (db is null)
        {
            // A queued job and an id that never existed look the same to Celery; only a DB that answered
            // without a row hints at the latter. When the DB lookup failed, or the API never returns rows
            // (VideoGen), we cannot tell: the deadline protects the user instead.
            return new(JobPhase.Queued, !snapshot.DbUnavailable && !snapshot.NoJobRecords, false, null);
        }

        if (db.Equals(DbStates.Succeeded, StringComparison.OrdinalIgnoreCase))
        {
            // Celery's result expired (Redis keeps it a day): the video exists but no URL can be minted.
            return new(JobPhase.Succeeded, false, true, null);
        }

        if (db.Equals(DbStates.Failed, StringComparison.OrdinalIgnoreCase))
        {
            return new(JobPhase.Failed, false, false,
                string.IsNullOrEmpty(snapshot.Error) ? "The job failed (job record status FAILED)." : snapshot.Error);
        }

        if (db.Equals(DbStates.SubmitFailed, StringComparison.OrdinalIgnoreCase))
        {
            return new(JobPhase.Failed, false, false, string.IsNullOrEmpty(snapshot.Error)
                ? "The backend could not hand the job to its queue (SUBMIT_FAILED)."
                : snapshot.Error);
        }

        return new(RunningDbStates.Contains(db) ? JobPhase.Running : JobPhase.Queued, false, false, null);
    }

    /// <summary>The active phase to resume with (Keep checking) from the last known states.</summary>
    public static JobPhase ResumePhase(JobStatus status)
    {
        var celery = status.Celery?.Trim().ToUpperInvariant();
        return celery == CeleryStates.Started || (status.Db is not null && RunningDbStates.Contains(status.Db))
            ? JobPhase.Running
            : JobPhase.Queued;
    }

    /// <summary>
    /// Applies one good answer to <paramref name="record"/> (an active record). Returns the same instance when
    /// nothing changed. Does not look at the deadline; the tracker does that after.
    /// </summary>
    public static JobRecord Apply(JobRecord record, JobSnapshot snapshot, DateTimeOffset now, PollingOptions options, bool payloadChanged)
    {
        var derived = Derive(snapshot);
        var phase = derived.Phase;
        JobError? error = null;
        string? outputUrl = null;
        DateTimeOffset? expiresAt = null;
        string? rawResult = null;

        switch (phase)
        {
            case JobPhase.Succeeded when !derived.LinkGone:
                if (OutputUrlExpiry.IsPlayableUrl(snapshot.OutputUrl))
                {
                    outputUrl = snapshot.OutputUrl;
                    expiresAt = OutputUrlExpiry.Compute(snapshot.OutputUrl!, now);
                }
                else
                {
                    // No usable link: terminal all the same, and the worker's raw result is what the user gets.
                    rawResult = StoredText.Cap(snapshot.RawResult);
                }

                break;
            case JobPhase.Failed:
                error = new JobError { Source = JobErrorSource.Job, Message = StoredText.Cap(derived.FailureMessage) ?? "" };
                break;
            // A job whose row the backend said it could not write (db.persisted=false) reads like this while it waits.
            case JobPhase.Queued when derived.WithoutDbRow && !record.DbRowMissing
                && now - (record.TrackedSince ?? record.CreatedAt) >= options.LostAfter:
                phase = JobPhase.Lost;
                error = new JobError
                {
                    Source = JobErrorSource.Tracking,
                    Message = "The backend does not know this job (still PENDING without a job record after "
                        + Seconds(options.LostAfter) + ").",
                };
                break;
        }

        var status = new JobStatus(snapshot.Celery, snapshot.Db, phase);
        var next = record with
        {
            Status = status == record.Status ? record.Status : status,
            ConnectionTrouble = false,
            Error = SameError(record.Error, error) ? record.Error : error,
            OutputUrl = outputUrl,
            OutputUrlExpiresAt = expiresAt,
            OutputLinkGone = derived.LinkGone,
            RawResult = rawResult,
            // Kept from an earlier answer when a later one lacks them (a DB outage, an expired result).
            Progress = snapshot.Progress ?? record.Progress,
            ProviderType = snapshot.ProviderType ?? record.ProviderType,
            DurationSeconds = snapshot.DurationSeconds ?? record.DurationSeconds,
            LastChangeAt = payloadChanged ? now : record.LastChangeAt,
            CompletedAt = phase is JobPhase.Succeeded or JobPhase.Failed ? record.CompletedAt ?? now : record.CompletedAt,
            Timeline = status == record.Status
                ? record.Timeline
                : record.Timeline.Add(new JobStatusChange(now, status.Celery, status.Db, status.Phase)),
        };
        return next == record ? record : next;
    }

    /// <summary>Moves an active record to TimedOut (the deadline passed without a terminal state).</summary>
    public static JobRecord TimeOut(JobRecord record, DateTimeOffset now, TimeSpan deadline) => record with
    {
        Status = record.Status with { Phase = JobPhase.TimedOut },
        ConnectionTrouble = false,
        Error = new JobError
        {
            Source = JobErrorSource.Tracking,
            Message = "No final answer within " + Minutes(deadline) + "; the job may still be running in the background.",
        },
        Timeline = record.Timeline.Add(new JobStatusChange(now, record.Status.Celery, record.Status.Db, JobPhase.TimedOut)),
    };

    internal static bool SameError(JobError? a, JobError? b) =>
        a is null ? b is null
        : b is not null && a.Message == b.Message && a.Source == b.Source && a.HttpStatus == b.HttpStatus
            && Problems(a).SequenceEqual(Problems(b));

    private static ImmutableArray<FieldProblem> Problems(JobError error) => error.FieldProblems.IsDefault ? [] : error.FieldProblems;

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " s";

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1
        ? ((long)span.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture) + " min"
        : Seconds(span);
}
