namespace TurboDiffusion.Client.Http;

/// <summary>
/// The route profile of the <c>/v1/turbodiffusion</c> API: every path the client calls, in one place.
/// </summary>
/// <remarks>
/// The backend later moved its routes under <c>/v1/videogen</c> (with <c>video_url</c> instead of <c>output_url</c>).
/// Such a profile is added beside this one, not in place of it: a <c>VideoGenRoutes</c> class, an
/// <c>IVideoGenApi</c> Refit interface with its own DTOs, and a job type (<see cref="Jobs.IJobTypeDefinition"/>)
/// that maps those DTOs to <see cref="Jobs.JobSnapshot"/>. The tracker, the stores and the UI only see job types,
/// so no caller changes.
/// </remarks>
public static class TurboDiffusionRoutes
{
    /// <summary>The prefix of the job routes.</summary>
    public const string Prefix = "/v1/turbodiffusion";

    /// <summary><c>POST</c>: creates an image-to-video job (multipart form).</summary>
    public const string CreateI2VJob = Prefix + "/wan22-i2v/jobs";

    /// <summary><c>GET</c>: a job's status; <c>{jobId}</c> is the job id.</summary>
    public const string GetJob = Prefix + "/jobs/{jobId}";

    /// <summary><c>GET</c>: the models the backend can run and whether their files exist.</summary>
    public const string Models = Prefix + "/models";

    /// <summary><c>GET</c>: liveness (outside the prefix on the real backend).</summary>
    public const string Health = "/health";

    /// <summary><c>GET</c>: the backend's folders (outside the prefix on the real backend).</summary>
    public const string Paths = "/paths";
}
