namespace TurboDiffusion.Client.Http;

/// <summary>
/// The routes of the current API (<see cref="BackendProfile.VideoGen"/>). The Refit interface carries the legacy routes
/// of <see cref="TurboDiffusionRoutes"/>; <see cref="BackendRouteHandler"/> moves a request to these when the backend
/// speaks VideoGen, so callers never build paths.
/// </summary>
public static class VideoGenRoutes
{
    /// <summary>The prefix of the job routes.</summary>
    public const string Prefix = "/v1/videogen";

    /// <summary><c>POST</c>: creates an image-to-video job (multipart form).</summary>
    public const string CreateI2VJob = Prefix + "/wan22-i2v/jobs";

    /// <summary><c>GET</c>: a job's status; <c>{jobId}</c> is the job id.</summary>
    public const string GetJob = Prefix + "/jobs/{jobId}";

    /// <summary><c>GET</c>: the models (may answer <c>{"error": …, "available": []}</c>).</summary>
    public const string Models = Prefix + "/models";

    /// <summary><c>GET</c>: what the backend can do (tts, imagegen, videogen, llm). VideoGen backends only.</summary>
    public const string CapabilitiesStatus = "/v1/capabilities/status";

    /// <summary><c>GET</c>: FastAPI's description of the served routes, read by <see cref="BackendProfile.Auto"/>.</summary>
    public const string OpenApi = "/openapi.json";

    /// <summary>The route <see cref="BackendProfile.Auto"/> looks for in <c>/openapi.json</c> to recognise this API.</summary>
    internal const string OpenApiJobPath = Prefix + "/jobs/{job_id}";

    /// <summary>The route that recognises the legacy API.</summary>
    internal const string LegacyOpenApiJobPath = TurboDiffusionRoutes.Prefix + "/jobs/{job_id}";
}
