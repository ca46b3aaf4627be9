using TurboDiffusion.Client.Jobs.Polling;

namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>What a status answer fetched for a fresh video link does to a Succeeded record. Pure.</summary>
internal static class OutputLinkRefresh
{
    /// <summary>
    /// The record after <paramref name="snapshot"/>: a fresh link with its expiry, the link marked gone, or the raw
    /// result kept when no playable link came. Null when the answer reads neither succeeded nor expired (DB down, an
    /// odd state): the record is kept as it is. A changed Celery or DB state is added to the timeline.
    /// </summary>
    public static JobRecord? Apply(JobRecord before, JobSnapshot snapshot, DateTimeOffset now)
    {
        var derived = JobStatusRules.Derive(snapshot);
        JobRecord next;
        if ((derived.Phase == JobPhase.Succeeded && derived.LinkGone)
            || (derived.Phase == JobPhase.Queued && snapshot.NoJobRecords))
        {
            // Legacy: PENDING with the row SUCCEEDED. VideoGen has no row: a finished job reading PENDING is its
            // expired result. Either way the job stays done; only the link is gone.
            next = before with { OutputUrl = null, OutputUrlExpiresAt = null, OutputLinkGone = true };
        }
        else if (derived.Phase == JobPhase.Succeeded && OutputUrlExpiry.IsPlayableUrl(snapshot.OutputUrl))
        {
            next = before with
            {
                OutputUrl = snapshot.OutputUrl,
                OutputUrlExpiresAt = OutputUrlExpiry.Compute(snapshot.OutputUrl!, now),
                OutputLinkGone = false,
                RawResult = null,
            };
        }
        else if (derived.Phase == JobPhase.Succeeded)
        {
            next = before with
            {
                OutputUrl = null,
                OutputUrlExpiresAt = null,
                OutputLinkGone = false,
                RawResult = StoredText.Cap(snapshot.RawResult) ?? before.RawResult,
            };
        }
        else
        {
            return null;
        }

        var status = new JobStatus(snapshot.Celery, snapshot.Db, JobPhase.Succeeded);
        return status == before.Status
            ? next
            : next with { Status = status, Timeline = before.Timeline.Add(new JobStatusChange(now, status.Celery, status.Db, status.Phase)) };
    }
}
