using TurboDiffusion.Client;
using TurboDiffusion.Client.Contract;

namespace I2VStudio.Components;

/// <summary>
/// What the backend the studio talks to can do, as the UI needs it: its API version and, on VideoGen, its reported
/// capabilities. Cascaded by <see cref="I2VStudioPage"/> so cards and panels can explain what they show.
/// </summary>
/// <param name="Profile">The resolved API version (Legacy or VideoGen).</param>
/// <param name="Capabilities">VideoGen's <c>/v1/capabilities/status</c>; null on Legacy or when it could not be read.</param>
/// <param name="CapabilitiesError">Why the capabilities could not be read, as text; null otherwise.</param>
public sealed record BackendFeatures(BackendProfile Profile, CapabilitiesResponse? Capabilities = null, string? CapabilitiesError = null)
{
    /// <summary>True on the VideoGen API.</summary>
    public bool IsVideoGen => Profile == BackendProfile.VideoGen;

    /// <summary>
    /// False on VideoGen: its status answer has no job record, so an unknown id reads exactly like a queued job and a
    /// finished one reads PENDING again once its result expires. The deadline (TimedOut) protects the user instead.
    /// </summary>
    public bool DetectsLostJobs => !IsVideoGen;

    /// <summary>The clip length can be chosen (VideoGen).</summary>
    public bool CanSetDuration => IsVideoGen;

    /// <summary><c>enhance_prompt</c> is offered: VideoGen, and its capabilities say the LLM is available.</summary>
    public bool CanEnhancePrompt => IsVideoGen && Capabilities?.IsAvailable("llm") == true;
}
