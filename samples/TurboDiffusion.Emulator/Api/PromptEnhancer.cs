namespace TurboDiffusion.Emulator;

/// <summary>
/// The stand-in for the backend's LLM behind <c>enhance_prompt</c>: deterministic (the same prompt always becomes the same
/// text), so tests can rely on it, and honest about being a fake. The real API never returns the rewrite; neither does
/// this one (the worker receives it, and the job's row keeps it).
/// </summary>
internal static class PromptEnhancer
{
    /// <summary>What the fake adds.</summary>
    public const string Suffix = " | cinematic lighting, smooth camera motion, rich detail (emulator's fake prompt enhancer)";

    /// <summary>Where the 503 says the LLM failed.</summary>
    public const string UnavailableReason = "the emulator's LlmUnavailable fault is on";

    /// <summary>The 503 detail, as the real API words it.</summary>
    public const string UnavailableDetail = "LLM prompt enhancement unavailable: " + UnavailableReason;

    public static string Enhance(string prompt) => prompt.Trim() + Suffix;
}
