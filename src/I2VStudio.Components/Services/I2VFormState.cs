using I2VStudio.Components.Imaging;
using I2VStudio.Components.Storage;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>A reason the form cannot be submitted: a glossary key and the values its sentence takes.</summary>
/// <param name="Key">The glossary key (<c>error.prompt_required</c>, …).</param>
/// <param name="Arguments">The values the sentence takes (a maximum length, a number of seconds), or none.</param>
internal sealed record FormProblem(string Key, params object[] Arguments);

/// <summary>
/// The I2V form the studio page shows: the picked image (or why a file was refused), the prompt, the parameters,
/// the clip length and prompt enhancement (VideoGen), and whether to show every field's problem. It says why Generate
/// is blocked (<see cref="BlockingProblems"/>), builds the request, and turns into and out of the stored draft. Plain:
/// no Blazor, no storage; the page saves the draft and submits.
/// </summary>
internal sealed class I2VFormState
{
    private readonly I2VStudioOptions _options;

    /// <summary>A form with the configured defaults.</summary>
    public I2VFormState(I2VStudioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        NumSteps = options.DefaultNumSteps;
        Quantized = options.DefaultQuantized;
        DurationSeconds = options.DefaultDurationSeconds;
    }

    /// <summary>The picked image, or null.</summary>
    public PickedImage? Image { get; private set; }

    /// <summary>Why the last file was refused, or null.</summary>
    public ImageProblem? ImageProblem { get; private set; }

    /// <summary>The prompt as typed.</summary>
    public string Prompt { get; private set; } = "";

    /// <summary>The seed as typed (it may be invalid: <see cref="BlockingProblems"/> says so).</summary>
    public string SeedText { get; private set; } = "0";

    /// <summary>Sampling steps.</summary>
    public int NumSteps { get; private set; }

    /// <summary>Quantized weights.</summary>
    public bool Quantized { get; private set; }

    /// <summary>The clip length in seconds (sent only to a backend that takes it).</summary>
    public double DurationSeconds { get; private set; }

    /// <summary>Whether the backend's LLM rewrites the prompt (sent only to a backend that can).</summary>
    public bool EnhancePrompt { get; private set; }

    /// <summary>True once a submission was refused for the form's problems: every field then shows its own.</summary>
    public bool ShowValidation { get; private set; }

    /// <summary>True once the user changed anything: a draft that loads later no longer replaces the form.</summary>
    public bool Touched { get; private set; }

    /// <summary>
    /// Takes a picked file: an accepted image replaces the current one; a refused file keeps the image already picked
    /// (nothing the user did is lost) and keeps the reason. Returns true when the form changed (the draft is saved then).
    /// </summary>
    public bool PickImage(PickedImageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Image is { } image)
        {
            Image = image;
            ImageProblem = null;
            Touched = true;
            return true;
        }
        ImageProblem = result.Problem;
        return false;
    }

    /// <summary>Removes the picked image and any refusal.</summary>
    public void ClearImage()
    {
        Image = null;
        ImageProblem = null;
        Touched = true;
    }

    /// <summary>Sets the prompt.</summary>
    public void SetPrompt(string prompt) => Touch(() => Prompt = prompt ?? "");

    /// <summary>Sets the seed as typed.</summary>
    public void SetSeedText(string seedText) => Touch(() => SeedText = seedText ?? "");

    /// <summary>Sets the sampling steps.</summary>
    public void SetNumSteps(int numSteps) => Touch(() => NumSteps = numSteps);

    /// <summary>Sets quantized weights on or off.</summary>
    public void SetQuantized(bool quantized) => Touch(() => Quantized = quantized);

    /// <summary>Sets the clip length.</summary>
    public void SetDurationSeconds(double seconds) => Touch(() => DurationSeconds = seconds);

    /// <summary>Sets prompt enhancement on or off.</summary>
    public void SetEnhancePrompt(bool enhance) => Touch(() => EnhancePrompt = enhance);

    private void Touch(Action change)
    {
        change();
        Touched = true;
    }

    /// <summary>
    /// Why Generate is disabled, in the order of the form; empty when the form can be submitted. The clip length counts
    /// only when <paramref name="backend"/> takes it.
    /// </summary>
    public IReadOnlyList<FormProblem> BlockingProblems(BackendFeatures? backend)
    {
        var problems = new List<FormProblem>();
        if (Image is null) problems.Add(new("error.image_required"));
        if (I2VFormRules.PromptProblem(Prompt, _options.PromptMaxLength) is { } prompt)
            problems.Add(prompt == "error.prompt_too_long" ? new(prompt, _options.PromptMaxLength) : new(prompt));
        if (I2VFormRules.NumStepsProblem(NumSteps) is { } steps) problems.Add(new(steps));
        if (I2VFormRules.SeedProblem(SeedText) is { } seed) problems.Add(new(seed));
        if (backend?.CanSetDuration == true && I2VFormRules.DurationProblem(DurationSeconds, _options.MaxDurationSeconds) is { } duration)
            problems.Add(new(duration, _options.MaxDurationSeconds));
        return problems;
    }

    /// <summary>
    /// The I2V request for this form, sending only what <paramref name="backend"/> takes (a Legacy backend, or one not
    /// yet known, gets neither the clip length nor enhancement); null, with <see cref="ShowValidation"/> on, when the
    /// form has a problem.
    /// </summary>
    public JobRequest? TryBuildRequest(BackendFeatures? backend)
    {
        if (BlockingProblems(backend).Count > 0 || Image is not { } image || !I2VFormRules.TryParseSeed(SeedText, out var seed))
        {
            ShowValidation = true;
            return null;
        }

        var parameters = new I2VParams
        {
            Seed = seed,
            NumSteps = NumSteps,
            Quantized = Quantized,
            DurationSeconds = backend?.CanSetDuration == true ? DurationSeconds : null,
            EnhancePrompt = backend?.CanEnhancePrompt == true && EnhancePrompt,
        };
        var inputs = new JobInputs
        {
            Prompt = Prompt,
            ImageName = image.FileName,
            ImageBlobKey = image.BlobKey,
            ImageContentType = image.ContentType,
            ImageSize = image.Size,
            ImageWidth = image.Width,
            ImageHeight = image.Height,
            ThumbnailDataUrl = image.ThumbnailDataUrl,
        };
        return new JobRequest(I2VParams.JobTypeName, inputs, parameters.ToJson());
    }

    /// <summary>
    /// The stored draft, unless the user already changed the form (what they did wins). Out-of-range steps or clip
    /// lengths keep the defaults; <paramref name="image"/> is the draft's image when its original is still stored.
    /// </summary>
    public void Restore(FormDraft draft, PickedImage? image)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Touched) return;
        Prompt = draft.Prompt;
        if (draft.NumSteps is { } steps && I2VFormRules.NumStepsProblem(steps) is null) NumSteps = steps;
        if (draft.SeedText is { } seed) SeedText = seed;
        if (draft.Quantized is { } quantized) Quantized = quantized;
        if (draft.DurationSeconds is { } seconds && I2VFormRules.DurationProblem(seconds, _options.MaxDurationSeconds) is null)
            DurationSeconds = seconds;
        if (draft.EnhancePrompt is { } enhance) EnhancePrompt = enhance;
        Image = image;
    }

    /// <summary>The form as a draft to store.</summary>
    public FormDraft ToDraft() => new()
    {
        Prompt = Prompt,
        NumSteps = NumSteps,
        SeedText = SeedText,
        Quantized = Quantized,
        DurationSeconds = DurationSeconds,
        EnhancePrompt = EnhancePrompt,
        Image = Image is { } image ? FormDraftImage.From(image) : null,
    };
}
