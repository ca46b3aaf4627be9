namespace TurboDiffusion.Client.Jobs;

/// <summary>What happened to a record.</summary>
public enum JobChangeKind
{
    /// <summary>A new record (submitted, retried, adopted, or loaded from another tab).</summary>
    Added,
    /// <summary>A record changed (status, URL, error, seen flag, connection trouble).</summary>
    Updated,
    /// <summary>A record was removed.</summary>
    Removed,
}

/// <summary>A change the tracker announces to subscribers.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Id">The record's local id.</param>
/// <param name="Record">The record after the change; null when removed.</param>
/// <param name="Previous">The record before the change; null when added.</param>
public sealed record JobChange(JobChangeKind Kind, string Id, JobRecord? Record, JobRecord? Previous);

/// <summary>
/// Tracks one user's jobs: submits them, polls the backend on the policy's schedule, keeps every record in the
/// <see cref="IJobStore"/>, and tells subscribers what changed. One per user session (a scoped service).
/// All ids below are a record's local <see cref="JobRecord.Id"/>.
/// </summary>
public interface IJobTracker : IAsyncDisposable
{
    /// <summary>Every record, newest first.</summary>
    IReadOnlyList<JobRecord> Jobs { get; }

    /// <summary>The record with this local id, or null.</summary>
    JobRecord? Find(string id);

    /// <summary>
    /// Loads stored records and resumes tracking the active ones (each is polled right away; its deadline still
    /// counts from its stored submission), and starts following other tabs' writes. Safe to call more than once.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new record (phase Submitting) before POSTing, then POSTs. A failed POST leaves the record in
    /// SubmitFailed with the error and every input. A second call with the same request while the first is in
    /// flight returns the first call's record (a double click makes one job). The POST runs under the tracker's
    /// lifetime: <paramref name="cancellationToken"/> only stops the caller's wait. Throws
    /// <see cref="ArgumentException"/> for an unregistered job type (nothing is stored then).
    /// </summary>
    Task<JobRecord> SubmitAsync(JobRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// POSTs a SubmitFailed record again (same record, same inputs; its deadline and CreatedAt restart). A record in
    /// any other phase is returned unchanged; an unknown id throws <see cref="KeyNotFoundException"/>.
    /// </summary>
    Task<JobRecord> SubmitAgainAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Submits a new job from an earlier record's inputs and parameters, optionally with another seed (through the job
    /// type's <see cref="IJobTypeDefinition.WithSeed"/>). The new record's <see cref="JobRecord.ParentId"/> is
    /// <paramref name="id"/>; an unknown id throws <see cref="KeyNotFoundException"/>.
    /// </summary>
    Task<JobRecord> RetryAsync(string id, long? newSeed, CancellationToken cancellationToken);

    /// <summary>
    /// Starts tracking a job submitted elsewhere, by the backend's job id (empty prompt, phase Queued, first poll right
    /// away). An id already tracked returns that record. An id the backend never saw ends Lost after
    /// <see cref="PollingOptions.LostAfter"/>, unless the backend's DB is down (then it cannot tell).
    /// </summary>
    Task<JobRecord> AdoptAsync(string jobId, string jobType, CancellationToken cancellationToken);

    /// <summary>Resumes polling a TimedOut (or Lost) job with a fresh deadline.</summary>
    Task KeepCheckingAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Fetches a fresh output URL for a Succeeded job (before expiry, or after a player error) and stores it with its
    /// expiry. Returns null, with <see cref="JobRecord.OutputLinkGone"/> set, when the backend can no longer mint one;
    /// other records return their current URL without a call. Throws <see cref="Http.TurboDiffusionApiException"/>
    /// when the GET fails (the record is left as it was).
    /// </summary>
    Task<string?> RefreshOutputUrlAsync(string id, CancellationToken cancellationToken);

    /// <summary>Marks a finished job's result as seen.</summary>
    Task MarkSeenAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stops tracking and deletes the record (the video on the server stays).</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="handler"/> after every change. Dispose the result to unsubscribe.</summary>
    IDisposable Subscribe(Func<JobChange, Task> handler);
}
