using Refit;
using TurboDiffusion.Client.Contract;

namespace TurboDiffusion.Client.Http;

/// <summary>
/// The TurboDiffusion job API as a Refit interface. Its job routes are the legacy ones (<see cref="TurboDiffusionRoutes"/>);
/// the client's pipeline moves them to <see cref="VideoGenRoutes"/> when the backend speaks VideoGen
/// (<see cref="TurboDiffusionOptions.Profile"/>). Resolve it from DI (registered by
/// <c>AddTurboDiffusionClient</c>); every failure surfaces as <see cref="TurboDiffusionApiException"/>, a cancelled
/// call as <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// Form fields are strings so their wire format is exact (FastAPI reads <c>true</c>/<c>false</c>, invariant numbers);
/// <see cref="TurboDiffusionApiExtensions.CreateI2VJobAsync(ITurboDiffusionApi, Stream, string, string, string, Jobs.I2V.I2VParams, CancellationToken)"/>
/// formats them from typed parameters. The image is sent as a stream part over the caller's stream, never buffered.
/// </remarks>
public interface ITurboDiffusionApi
{
    /// <summary>Creates an image-to-video job. Never retried automatically: a POST is not idempotent.</summary>
    /// <param name="image">The image file (jpg or png), streamed.</param>
    /// <param name="prompt">The prompt, multi-line allowed.</param>
    /// <param name="seed">The seed, an invariant integer.</param>
    /// <param name="numSteps">Sampling steps, an invariant integer (1–4).</param>
    /// <param name="quantized"><c>true</c> or <c>false</c>.</param>
    /// <param name="durationSeconds">Clip length (backend 0.2.0+), an invariant number; null sends no field.</param>
    /// <param name="enhancePrompt">VideoGen only: <c>true</c> asks the backend's LLM to rewrite the prompt; null sends no field.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    [Multipart]
    [Post(TurboDiffusionRoutes.CreateI2VJob)]
    Task<CreateJobResponse> CreateI2VJobAsync(
        [AliasAs("image")] StreamPart image,
        [AliasAs("prompt")] string prompt,
        [AliasAs("seed")] string seed,
        [AliasAs("num_steps")] string numSteps,
        [AliasAs("quantized")] string quantized,
        [AliasAs("duration_seconds")] string? durationSeconds,
        [AliasAs("enhance_prompt")] string? enhancePrompt,
        CancellationToken cancellationToken);

    /// <summary>Reads a job's status (Celery state, DB row, result, output URL, error).</summary>
    /// <param name="jobId">The backend's job id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get(TurboDiffusionRoutes.GetJob)]
    Task<JobStatusResponse> GetJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Lists the models and whether their files exist.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get(TurboDiffusionRoutes.Models)]
    Task<ModelsResponse> GetModelsAsync(CancellationToken cancellationToken);

    /// <summary>Reads what a VideoGen backend can do (tts, imagegen, videogen, llm). A Legacy backend has no such route (404).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get(VideoGenRoutes.CapabilitiesStatus)]
    Task<CapabilitiesResponse> GetCapabilitiesAsync(CancellationToken cancellationToken);

    /// <summary>Reads the backend's health.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get(TurboDiffusionRoutes.Health)]
    Task<HealthResponse> GetHealthAsync(CancellationToken cancellationToken);

    /// <summary>Reads the backend's folders.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get(TurboDiffusionRoutes.Paths)]
    Task<PathsResponse> GetPathsAsync(CancellationToken cancellationToken);
}
