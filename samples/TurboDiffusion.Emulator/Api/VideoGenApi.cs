using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>The VideoGen routes (backend commit 5b75d5f): jobs, models and capabilities.</summary>
internal static class VideoGenApi
{
    /// <summary>What the models route says when the videogen capability is switched off, like a default install.</summary>
    public const string NotInstalled = "videogen not installed (the emulator's Capabilities:VideoGen knob is off)";

    public static async Task<IResult> PostJobAsync(HttpRequest request, JobSubmitter submitter, FaultController faults,
        IOptions<EmulatorOptions> options, CancellationToken cancellationToken)
    {
        var (job, error) = await JobFormParser.ParseAsync(request, options.Value, videoGen: true, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        await using var image = job!.Image;
        if (job.EnhancePrompt)
        {
            if (faults.Current.LlmUnavailable)
            {
                return ApiJson.Detail(PromptEnhancer.UnavailableDetail, StatusCodes.Status503ServiceUnavailable);
            }

            job = job with { Prompt = PromptEnhancer.Enhance(job.Prompt) };
        }

        var outcome = await submitter.SubmitAsync(job, cancellationToken);
        return outcome.Accepted is { } accepted
            ? ApiJson.Json(accepted)
            : ApiJson.Detail(outcome.BrokerFailure!, StatusCodes.Status500InternalServerError);
    }

    public static async Task<IResult> GetJobAsync([FromRoute(Name = "job_id")] string jobId, JobStatusReader reader, CancellationToken cancellationToken) =>
        ApiJson.Json(await reader.ReadVideoGenAsync(jobId, cancellationToken));

    public static IResult Models(EmulatorPaths paths, IVideoEngine engine, IOptions<EmulatorOptions> options) =>
        options.Value.Capabilities.VideoGen
            ? InfoApi.Models(paths, engine)
            : ApiJson.Json(new ModelsUnavailableResponse(NotInstalled, []));

    public static IResult Capabilities(IOptions<EmulatorOptions> options, IVideoEngine engine)
    {
        var knobs = options.Value.Capabilities;
        var video = engine.Describe();
        return ApiJson.Json(new CapabilitiesResponse(new Dictionary<string, CapabilityView>
        {
            ["tts"] = View("local", knobs.Tts, "the emulator has no text to speech"),
            ["imagegen"] = View("remote", knobs.ImageGen, "no remote imagegen provider configured"),
            ["videogen"] = View("local", knobs.VideoGen && video.Available, !knobs.VideoGen ? NotInstalled : video.Problem),
            ["llm"] = View("emulator-fake", knobs.Llm, "no LLM provider configured"),
        }));

        // detail is optional on the real backend; here it explains an unavailable capability only.
        static CapabilityView View(string provider, bool available, string? detail) =>
            new(provider, available ? "available" : "unavailable", available ? null : detail);
    }
}
