using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TurboDiffusion.Client.Jobs;

/// <summary>Where a job is in its life, derived from the backend's states and the tracker's own knowledge.</summary>
public enum JobPhase
{
    /// <summary>The record is stored and the POST is in flight.</summary>
    Submitting,
    /// <summary>The POST failed; the record keeps the inputs and the error so it can be submitted again.</summary>
    SubmitFailed,
    /// <summary>The backend has the job and it waits for a worker.</summary>
    Queued,
    /// <summary>A worker is running it.</summary>
    Running,
    /// <summary>Finished with a video (or a raw result).</summary>
    Succeeded,
    /// <summary>Finished with an error (FAILURE or REVOKED).</summary>
    Failed,
    /// <summary>The deadline passed without a terminal state; it may still be running. Polling stopped.</summary>
    TimedOut,
    /// <summary>The backend does not know this job id. Polling stopped.</summary>
    Lost,
}

/// <summary>Helpers over <see cref="JobPhase"/>.</summary>
public static class JobPhaseExtensions
{
    /// <summary>True for phases the tracker still polls.</summary>
    public static bool IsActive(this JobPhase phase) => phase is JobPhase.Submitting or JobPhase.Queued or JobPhase.Running;

    /// <summary>True for phases that will not change without a user action.</summary>
    public static bool IsFinished(this JobPhase phase) => !phase.IsActive();
}

/// <summary>The three views of a job's state at one moment.</summary>
/// <param name="Celery">The Celery state as sent (unknown values kept), or null before the first answer.</param>
/// <param name="Db">The DB row state as sent, or null when absent.</param>
/// <param name="Phase">The derived phase.</param>
public sealed record JobStatus(string? Celery, string? Db, JobPhase Phase)
{
    /// <summary>The state of a record that is being submitted.</summary>
    public static JobStatus Submitting { get; } = new(null, null, JobPhase.Submitting);
}

/// <summary>One entry of a job's timeline: when the backend's answer changed.</summary>
/// <param name="At">When the tracker saw it.</param>
/// <param name="Celery">Celery state then.</param>
/// <param name="Db">DB state then.</param>
/// <param name="Phase">Phase then.</param>
public sealed record JobStatusChange(DateTimeOffset At, string? Celery, string? Db, JobPhase Phase);

/// <summary>What the user gave as input. Generic over job types; the image is referenced, never embedded.</summary>
public sealed record JobInputs
{
    /// <summary>The prompt, exactly as typed.</summary>
    public string Prompt { get; init; } = "";

    /// <summary>The original file name of the input image, when the job type takes one.</summary>
    public string? ImageName { get; init; }

    /// <summary>Key of the original image in the <see cref="IJobBlobStore"/> (so Retry works after a reload).</summary>
    public string? ImageBlobKey { get; init; }

    /// <summary>MIME type detected from the image's first bytes (<c>image/png</c> or <c>image/jpeg</c>).</summary>
    public string? ImageContentType { get; init; }

    /// <summary>Image size in bytes.</summary>
    public long? ImageSize { get; init; }

    /// <summary>Image width in pixels, from its header.</summary>
    public int? ImageWidth { get; init; }

    /// <summary>Image height in pixels, from its header.</summary>
    public int? ImageHeight { get; init; }

    /// <summary>A small thumbnail as a data URL (≤ 20 KB), for cards and history.</summary>
    public string? ThumbnailDataUrl { get; init; }

    /// <summary>Where the job belongs when an app files it somewhere (a workspace take); null for a standalone job.
    /// The tracker stores it with the record and never reads it.</summary>
    public JobContext? Context { get; init; }
}

/// <summary>Where a job belongs in an app's own model: the workspace's project, shot and take (their ids as text).</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="ShotId">The shot.</param>
/// <param name="TakeId">The take this job is.</param>
public sealed record JobContext(string? ProjectId, string? ShotId, string? TakeId);

/// <summary>A typed error the user can read, kept on the record.</summary>
public sealed record JobError
{
    /// <summary>What happened, in plain words (the backend's text verbatim for job failures).</summary>
    public string Message { get; init; } = "";

    /// <summary>Where it came from.</summary>
    public JobErrorSource Source { get; init; }

    /// <summary>HTTP status when the error was an HTTP answer.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Field-level problems from a FastAPI 422 (field name → messages).</summary>
    public ImmutableArray<FieldProblem> FieldProblems { get; init; } = [];

    /// <summary>
    /// For a failed POST: true when the backend may have accepted the job all the same (no answer in time, a proxy's
    /// 502 or 504, a connection lost after the upload, an unreadable 2xx, or a page closed mid-POST). Submitting it
    /// again may then start a second GPU job, so the studio warns first.
    /// </summary>
    public bool MayHaveBeenSubmitted { get; init; }

    /// <summary>
    /// True when a POST was refused because the backend's LLM could not enhance the prompt (VideoGen's 503 "LLM prompt
    /// enhancement unavailable", filed under the <c>enhance_prompt</c> field): the job was not queued, the same request
    /// would be refused the same way, and the way out is to send it without enhancement.
    /// </summary>
    [JsonIgnore]
    public bool IsPromptEnhancementRefusal =>
        Source == JobErrorSource.Submit && HttpStatus == 503 && !FieldProblems.IsDefault
        && FieldProblems.Any(p => p.Field == Http.ApiErrorMapper.EnhancePromptField);
}

/// <summary>Origin of a <see cref="JobError"/>.</summary>
public enum JobErrorSource
{
    /// <summary>The POST failed; the backend never accepted the job.</summary>
    Submit,
    /// <summary>The worker reported FAILURE (or the task was revoked).</summary>
    Job,
    /// <summary>The tracker gave up or the backend lost the job.</summary>
    Tracking,
}

/// <summary>One field-level validation problem (from FastAPI's <c>detail[].loc</c> and <c>msg</c>).</summary>
/// <param name="Field">The form field, e.g. <c>seed</c>; empty when the problem is not tied to a field.</param>
/// <param name="Message">The backend's message.</param>
public sealed record FieldProblem(string Field, string Message);

/// <summary>
/// One generation job as the studio keeps it: generic over job types, stored in the browser, restored on reload.
/// </summary>
public sealed record JobRecord
{
    /// <summary>The schema version of stored records; bump with a migration when the shape changes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version this record was written with.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Local id, stable from the moment the record is created (before the backend gives a job id).</summary>
    public string Id { get; init; } = "";

    /// <summary>The backend's job id, null until the POST succeeded.</summary>
    public string? JobId { get; init; }

    /// <summary>The job type, e.g. <c>i2v</c>.</summary>
    public string JobType { get; init; } = "";

    /// <summary>What the user gave.</summary>
    public JobInputs Inputs { get; init; } = new();

    /// <summary>Job-type specific parameters as JSON (for i2v: seed, num_steps, quantized).</summary>
    public JsonElement Params { get; init; }

    /// <summary>The latest status.</summary>
    public JobStatus Status { get; init; } = JobStatus.Submitting;

    /// <summary>True while the tracker is backing off after transport errors, 429 or 5xx. Never a failure.</summary>
    public bool ConnectionTrouble { get; init; }

    /// <summary>The current download URL of the output, when there is one.</summary>
    public string? OutputUrl { get; init; }

    /// <summary>When <see cref="OutputUrl"/> stops working.</summary>
    public DateTimeOffset? OutputUrlExpiresAt { get; init; }

    /// <summary>True when the job finished but the backend can no longer mint a link (expired Celery result).</summary>
    public bool OutputLinkGone { get; init; }

    /// <summary>The raw worker result (JSON text) when SUCCESS came without a usable URL.</summary>
    public string? RawResult { get; init; }

    /// <summary>The error, if any.</summary>
    public JobError? Error { get; init; }

    /// <summary>
    /// The latest progress the backend sent (VideoGen's <c>progress</c>; null today, and on records written before it was
    /// kept): a fraction from 0 to 1, or a percentage when above 1, as sent.
    /// </summary>
    public double? Progress { get; init; }

    /// <summary>The provider the backend says runs the job (VideoGen's <c>provider_type</c>, e.g. <c>local</c>); null when not sent.</summary>
    public string? ProviderType { get; init; }

    /// <summary>The clip length the backend echoes (VideoGen's <c>duration_seconds</c>: the requested value); null when not sent.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Every status change with its time.</summary>
    public ImmutableList<JobStatusChange> Timeline { get; init; } = [];

    /// <summary>When the record was created (the submission time; the deadline counts from here).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the job reached a terminal phase.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When the payload last changed (drives the idle step-down).</summary>
    public DateTimeOffset? LastChangeAt { get; init; }

    /// <summary>The deadline after which the job is marked TimedOut; moved by Keep checking.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The record this one retries or varies, if any.</summary>
    public string? ParentId { get; init; }

    /// <summary>Whether the user has seen this finished job's result (drives the unseen counter).</summary>
    public bool Seen { get; init; }

    /// <summary>
    /// Start of the current tracking window: submission, adoption, or the last Keep checking. The grace period
    /// before a PENDING job without a DB row counts as Lost runs from here; null means <see cref="CreatedAt"/>.
    /// </summary>
    public DateTimeOffset? TrackedSince { get; init; }

    /// <summary>
    /// True when the backend said in its create reply that it could not write the job's database row
    /// (<c>db.persisted=false</c>): the job runs all the same, and reads PENDING without <c>db</c> while it waits, so
    /// that is no sign of an unknown id and the job is never called Lost for it.
    /// </summary>
    public bool DbRowMissing { get; init; }

    /// <summary>
    /// True for a tombstone: the user removed this job (in some tab). Removal is final: a tracker that reads a
    /// tombstone drops the job, and a copy of the record written by another tab that had not heard of the removal yet
    /// never brings it back (the tracker writes the tombstone again). Tombstones carry no inputs and are never shown.
    /// </summary>
    public bool Removed { get; init; }

    /// <summary>
    /// Grows by one with every change a tracker makes. When another tab writes the same record, the copy with the
    /// higher revision (then the later <see cref="UpdatedAt"/>) wins.
    /// </summary>
    public long Revision { get; init; }

    /// <summary>When a tracker last changed this record.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
