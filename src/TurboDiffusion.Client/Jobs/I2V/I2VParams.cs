using System.Text.Json;
using System.Text.Json.Serialization;

namespace TurboDiffusion.Client.Jobs.I2V;

/// <summary>Parameters of an image-to-video job (Wan2.2-I2V-A14B).</summary>
public sealed record I2VParams
{
    /// <summary>The job type name.</summary>
    public const string JobTypeName = "i2v";

    /// <summary>Largest seed the studio sends (the backend's int).</summary>
    public const long MaxSeed = int.MaxValue;

    /// <summary>The step of a clip length the studio sends, in seconds.</summary>
    public const double DurationStep = 0.5;

    /// <summary>True for a positive multiple of <see cref="DurationStep"/>.</summary>
    public static bool IsHalfSecondStep(double seconds) =>
        double.IsFinite(seconds) && seconds > 0 && Math.Abs(seconds / DurationStep - Math.Round(seconds / DurationStep)) < 1e-9;

    /// <summary>
    /// True when the studio sends this clip length: 0.5 s steps from 0.5 s to <paramref name="maxSeconds"/> (the
    /// worker fails longer ones). The one rule behind the I2V form and the workspace's takes.
    /// </summary>
    public static bool IsAllowedDuration(double seconds, double maxSeconds) => IsHalfSecondStep(seconds) && seconds <= maxSeconds;

    /// <summary>Random seed, 0…2147483647. Default 0.</summary>
    [JsonPropertyName("seed")] public long Seed { get; init; }

    /// <summary>Sampling steps, 1–4. Default 4.</summary>
    [JsonPropertyName("num_steps")] public int NumSteps { get; init; } = 4;

    /// <summary>Use the quantized weights. Default true.</summary>
    [JsonPropertyName("quantized")] public bool Quantized { get; init; } = true;

    /// <summary>Clip length in seconds (backend 0.2.0+); null sends nothing (81 frames).</summary>
    [JsonPropertyName("duration_seconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DurationSeconds { get; init; }

    /// <summary>
    /// VideoGen only: ask the backend's LLM to rewrite the prompt before queueing (the rewrite is never returned).
    /// Default false, and then not stored, so records without it read the same.
    /// </summary>
    [JsonPropertyName("enhance_prompt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EnhancePrompt { get; init; }

    /// <summary>As JSON, for <see cref="JobRecord.Params"/>.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this);

    /// <summary>Reads parameters tolerantly; missing fields take their defaults.</summary>
    public static I2VParams FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return new I2VParams();
        try
        {
            return json.Deserialize<I2VParams>() ?? new I2VParams();
        }
        catch (JsonException)
        {
            return new I2VParams();
        }
    }
}
