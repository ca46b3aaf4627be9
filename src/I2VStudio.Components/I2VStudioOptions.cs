using System.ComponentModel.DataAnnotations;

namespace I2VStudio.Components;

/// <summary>Settings of the studio's components, bound from the <c>I2VStudio</c> configuration section and validated on start.</summary>
public sealed class I2VStudioOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "I2VStudio";

    /// <summary>How many jobs the Variants action submits, each with a new random seed. Default 3.</summary>
    [Range(1, 12, ErrorMessage = "I2VStudio:VariantCount must be between 1 and 12.")]
    public int VariantCount { get; set; } = 3;

    /// <summary>Longest prompt accepted, in characters (the backend's later versions cap it at 8000). Default 8000.</summary>
    [Range(1, 100_000, ErrorMessage = "I2VStudio:PromptMaxLength must be between 1 and 100000.")]
    public int PromptMaxLength { get; set; } = 8000;

    /// <summary>Sampling steps preselected in a new form, 1–4. Default 4.</summary>
    [Range(1, 4, ErrorMessage = "I2VStudio:DefaultNumSteps must be between 1 and 4.")]
    public int DefaultNumSteps { get; set; } = 4;

    /// <summary>
    /// Longest clip the duration field offers, in seconds (VideoGen backends: their worker's <c>TD_MAX_VIDEO_SECONDS</c>,
    /// default 10, fails longer ones). A multiple of 0.5. Default 10.
    /// </summary>
    [Range(0.5, 600, ErrorMessage = "I2VStudio:MaxDurationSeconds must be between 0.5 and 600.")]
    public double MaxDurationSeconds { get; set; } = 10;

    /// <summary>Clip length preselected on a VideoGen backend, in seconds, a multiple of 0.5 up to <see cref="MaxDurationSeconds"/>. Default 5.</summary>
    [Range(0.5, 600, ErrorMessage = "I2VStudio:DefaultDurationSeconds must be between 0.5 and 600.")]
    public double DefaultDurationSeconds { get; set; } = 5;

    /// <summary>Whether quantized weights are preselected. Default true (the project ships the quantized weights).</summary>
    public bool DefaultQuantized { get; set; } = true;

    /// <summary>How long before an output link expires the shown result fetches a fresh one. Default 2 min.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00", ErrorMessage = "I2VStudio:OutputUrlRefreshLead must be between 5 s and 30 min.")]
    public TimeSpan OutputUrlRefreshLead { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many earlier finished jobs with the same parameters a time estimate needs. Default 3.</summary>
    [Range(1, 100, ErrorMessage = "I2VStudio:EtaMinSamples must be between 1 and 100.")]
    public int EtaMinSamples { get; set; } = 3;

    /// <summary>
    /// The host's same-origin download endpoint, relative to the base URI, with <c>{0}</c> for the ticket.
    /// Default <c>_i2v/download/{0}</c> (mapped by the host).
    /// </summary>
    [Required(ErrorMessage = "I2VStudio:DownloadPath is required.")]
    [RegularExpression(@"^[^:]*\{0\}[^:]*$", ErrorMessage = "I2VStudio:DownloadPath must be a relative path containing {0}.")]
    public string DownloadPath { get; set; } = "_i2v/download/{0}";

    /// <summary>
    /// The host's same-origin upload endpoint, relative to the base URI, with <c>{0}</c> for the upload slot: the browser
    /// posts an image there for the circuit to forward (studio on the server only). Default <c>_i2v/upload/{0}</c>
    /// (mapped by the sample host); when no such route answers, images travel over the circuit instead.
    /// </summary>
    [Required(ErrorMessage = "I2VStudio:UploadPath is required.")]
    [RegularExpression(@"^[^:]*\{0\}[^:]*$", ErrorMessage = "I2VStudio:UploadPath must be a relative path containing {0}.")]
    public string UploadPath { get; set; } = "_i2v/upload/{0}";

    /// <summary>
    /// The host's same-origin download endpoint for a studio running in the browser (WebAssembly), relative to the base
    /// URI, with <c>{0}</c> for the backend's job id and <c>{1}</c> for the file name. The host looks the job's output URL
    /// up at the backend itself. Default <c>_i2v/download/job/{0}/{1}</c> (mapped by the sample host).
    /// </summary>
    [Required(ErrorMessage = "I2VStudio:JobDownloadPath is required.")]
    [RegularExpression(@"^[^:]*\{0\}[^:]*\{1\}[^:]*$", ErrorMessage = "I2VStudio:JobDownloadPath must be a relative path containing {0} and then {1}.")]
    public string JobDownloadPath { get; set; } = "_i2v/download/job/{0}/{1}";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!I2VFormRules.IsHalfSecondStep(MaxDurationSeconds))
            yield return new ValidationResult("I2VStudio:MaxDurationSeconds must be a multiple of 0.5 s.", [nameof(MaxDurationSeconds)]);
        if (!I2VFormRules.IsHalfSecondStep(DefaultDurationSeconds) || DefaultDurationSeconds > MaxDurationSeconds)
            yield return new ValidationResult("I2VStudio:DefaultDurationSeconds must be a multiple of 0.5 s, at most MaxDurationSeconds.", [nameof(DefaultDurationSeconds)]);
    }
}
