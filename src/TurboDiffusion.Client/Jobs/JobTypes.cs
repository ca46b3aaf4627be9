using System.Text.Json;

namespace TurboDiffusion.Client.Jobs;

/// <summary>What a caller asks the tracker to run.</summary>
/// <param name="JobType">The job type name, e.g. <c>i2v</c>.</param>
/// <param name="Inputs">Inputs (the image by blob key).</param>
/// <param name="Params">Job-type parameters as JSON.</param>
public sealed record JobRequest(string JobType, JobInputs Inputs, JsonElement Params);

/// <summary>The backend's answer to a status GET, normalised for the tracker.</summary>
public sealed record JobSnapshot
{
    /// <summary>Celery state as sent; null when the payload had none.</summary>
    public string? Celery { get; init; }

    /// <summary>DB row state, when the row was returned.</summary>
    public string? Db { get; init; }

    /// <summary>True when the backend reported a DB lookup error (it may not know whether the job exists).</summary>
    public bool DbUnavailable { get; init; }

    /// <summary>
    /// True when the backend's status answers never carry a job record (VideoGen): an unknown id and a queued job read
    /// the same, and a finished job reads PENDING again once its result expires, so Lost cannot be detected.
    /// </summary>
    public bool NoJobRecords { get; init; }

    /// <summary>Progress as the backend sent it (VideoGen; null today), passed through.</summary>
    public double? Progress { get; init; }

    /// <summary>The provider running the job (VideoGen, e.g. <c>local</c>), passed through.</summary>
    public string? ProviderType { get; init; }

    /// <summary>The clip length the backend echoes (VideoGen; the requested value, not a measurement), passed through.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Download URL, when sent (<c>output_url</c>, or VideoGen's <c>video_url</c>).</summary>
    public string? OutputUrl { get; init; }

    /// <summary>The raw result JSON, when sent.</summary>
    public string? RawResult { get; init; }

    /// <summary>The worker's error, when sent (FAILURE), or the DB row's error.</summary>
    public string? Error { get; init; }
}

/// <summary>What the backend answered to a job POST.</summary>
/// <param name="JobId">The backend's job id.</param>
/// <param name="DbRowWritten">
/// The create reply's <c>db.persisted</c>: false when the backend's database was down, so the job runs without a row
/// and its status reads PENDING without <c>db</c> until it starts; null when the job type does not say.
/// </param>
public sealed record JobSubmission(string JobId, bool? DbRowWritten);

/// <summary>
/// A job type: how to submit a request and how to read the job's status. The tracker, the store and the
/// UI know nothing else about a job type, so new types (t2v, tts, ...) plug in without touching them.
/// </summary>
public interface IJobTypeDefinition
{
    /// <summary>The name stored in <see cref="JobRecord.JobType"/>.</summary>
    string Name { get; }

    /// <summary>POSTs the request; returns the backend's job id. Throws <see cref="Http.TurboDiffusionApiException"/> on failure.</summary>
    Task<string> SubmitAsync(JobRequest request, Stream? image, CancellationToken cancellationToken);

    /// <summary>
    /// POSTs the request; returns the backend's job id and whether the backend wrote the job's database row. The
    /// tracker calls this one; the default asks <see cref="SubmitAsync"/> and knows nothing about the row.
    /// </summary>
    async Task<JobSubmission> SubmitForReplyAsync(JobRequest request, Stream? image, CancellationToken cancellationToken) =>
        new(await SubmitAsync(request, image, cancellationToken).ConfigureAwait(false), DbRowWritten: null);

    /// <summary>GETs the job's status. Throws <see cref="Http.TurboDiffusionApiException"/> on failure.</summary>
    Task<JobSnapshot> GetStatusAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Returns the request's parameters with a different seed, for Retry with a new seed and Variants.</summary>
    JsonElement WithSeed(JsonElement parameters, long seed);
}
