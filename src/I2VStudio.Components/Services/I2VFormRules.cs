using System.Globalization;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>
/// The rules of the I2V form, as pure functions so the panels, the Generate button and the tests agree. Each returns
/// a glossary key (or null when the value is fine), never a sentence.
/// </summary>
public static class I2VFormRules
{
    /// <summary>The prompt's problem: blank or whitespace-only (<c>error.prompt_required</c>) or too long (<c>error.prompt_too_long</c>).</summary>
    public static string? PromptProblem(string? prompt, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(prompt)) return "error.prompt_required";
        return prompt.Length > maxLength ? "error.prompt_too_long" : null;
    }

    /// <summary>Reads a seed typed by the user: whole numbers 0…2147483647 only, surrounding spaces allowed.</summary>
    public static bool TryParseSeed(string? text, out long seed)
    {
        seed = 0;
        var trimmed = text?.Trim();
        // NumberStyles.None: digits only, so "-1", "+1", "1e3", "1.0" and "1,000" are refused rather than reinterpreted.
        if (string.IsNullOrEmpty(trimmed) || !long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            // A run of digits too long for a long is still "a number out of range", which the same message covers.
            return false;
        }
        if (value > I2VParams.MaxSeed) return false;
        seed = value;
        return true;
    }

    /// <summary>The seed's problem (<c>error.seed_range</c>), or null.</summary>
    public static string? SeedProblem(string? text) => TryParseSeed(text, out _) ? null : "error.seed_range";

    /// <summary>The sampling steps' problem (<c>error.num_steps_range</c>), or null.</summary>
    public static string? NumStepsProblem(int numSteps) => numSteps is >= 1 and <= 4 ? null : "error.num_steps_range";

    /// <summary>The step of the duration field, in seconds.</summary>
    public const double DurationStep = I2VParams.DurationStep;

    /// <summary>True for a positive multiple of <see cref="DurationStep"/>.</summary>
    public static bool IsHalfSecondStep(double seconds) => I2VParams.IsHalfSecondStep(seconds);

    /// <summary>The clip length's problem (<c>error.duration_range</c>): 0.5 s steps from 0.5 s to <paramref name="max"/>; or null.</summary>
    public static string? DurationProblem(double seconds, double max) =>
        I2VParams.IsAllowedDuration(seconds, max) ? null : "error.duration_range";
}
