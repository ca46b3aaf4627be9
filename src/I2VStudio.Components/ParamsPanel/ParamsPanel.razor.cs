using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>
/// The I2V parameters: sampling steps (1–4), seed (typed text kept as typed, with a Random button), the
/// quantized-weights switch and, on a VideoGen backend, the clip length and prompt enhancement, each with short help. Shows its own validation messages and any problems the backend
/// reported for these fields (FastAPI 422 items). Holds no state of its own: the owner binds every value.
/// </summary>
public partial class ParamsPanel
{
    private readonly string _headingId = "params-" + Guid.NewGuid().ToString("N")[..8];

    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;
    [Inject] private ISeedGenerator Seeds { get; set; } = default!;

    /// <summary>Sampling steps, 1–4. Default 4.</summary>
    [Parameter] public int NumSteps { get; set; } = 4;

    /// <summary>Raised when the user picks other sampling steps.</summary>
    [Parameter] public EventCallback<int> NumStepsChanged { get; set; }

    /// <summary>The seed exactly as typed (kept even when invalid, so the message shows next to it). Default "0".</summary>
    [Parameter] public string SeedText { get; set; } = "0";

    /// <summary>Raised when the user types a seed or presses Random.</summary>
    [Parameter] public EventCallback<string> SeedTextChanged { get; set; }

    /// <summary>
    /// Accepts an empty seed, meaning "a random seed for each job" (the workspace's shots); the help says so. Default
    /// false: the I2V tool always sends the seed shown.
    /// </summary>
    [Parameter] public bool AllowEmptySeed { get; set; }

    /// <summary>Whether the quantized weights are used. Default true.</summary>
    [Parameter] public bool Quantized { get; set; } = true;

    /// <summary>Raised when the user flips the switch.</summary>
    [Parameter] public EventCallback<bool> QuantizedChanged { get; set; }

    /// <summary>Shows the clip length field (VideoGen backends). Default false.</summary>
    [Parameter] public bool ShowDuration { get; set; }

    /// <summary>Clip length in seconds, 0.5 s steps. Default 5.</summary>
    [Parameter] public double DurationSeconds { get; set; } = 5;

    /// <summary>Raised when the user changes the clip length.</summary>
    [Parameter] public EventCallback<double> DurationSecondsChanged { get; set; }

    /// <summary>Longest clip offered, in seconds. Default 10.</summary>
    [Parameter] public double MaxDurationSeconds { get; set; } = 10;

    /// <summary>Shows the prompt enhancement switch (VideoGen backends whose LLM is available). Default false.</summary>
    [Parameter] public bool ShowEnhancePrompt { get; set; }

    /// <summary>Whether the backend's LLM rewrites the prompt first. Default false.</summary>
    [Parameter] public bool EnhancePrompt { get; set; }

    /// <summary>Raised when the user flips the enhancement switch.</summary>
    [Parameter] public EventCallback<bool> EnhancePromptChanged { get; set; }

    /// <summary>Raised by "Submit without enhancement", offered beside a failed enhancement (HTTP 503) when this is
    /// set: a page that offers the same way out elsewhere (a take's card) leaves it unset, so the offer shows once.</summary>
    [Parameter] public EventCallback OnSubmitWithoutEnhancement { get; set; }

    /// <summary>
    /// Problems the backend reported by field (422, or the LLM's 503); this panel shows those for seed, num_steps,
    /// quantized, duration_seconds and enhance_prompt. Default none.
    /// </summary>
    [Parameter] public IReadOnlyList<FieldProblem>? ServerProblems { get; set; }

    /// <summary>Disables every input. Default false.</summary>
    [Parameter] public bool Disabled { get; set; }

    private string? SeedError => LocalOrServer(AllowEmptySeed && string.IsNullOrWhiteSpace(SeedText) ? null : I2VFormRules.SeedProblem(SeedText), "seed");

    private string SeedHelp => L[AllowEmptySeed ? "params.seed_help_empty_random" : "params.seed_help"];

    private string? NumStepsError => LocalOrServer(I2VFormRules.NumStepsProblem(NumSteps), "num_steps");

    private string? QuantizedError => LocalOrServer(null, "quantized");

    private string? DurationError => I2VFormRules.DurationProblem(DurationSeconds, MaxDurationSeconds) is { } key
        ? L[key, StudioFormat.Seconds(MaxDurationSeconds)]
        : LocalOrServer(null, "duration_seconds");

    private string? EnhancePromptError => LocalOrServer(null, "enhance_prompt");

    // The local rule speaks first (it is what the user can fix now); otherwise the backend's own words are shown.
    private string? LocalOrServer(string? localKey, string field)
    {
        if (localKey is not null) return L[localKey];
        var server = ServerProblems?.Where(p => p.Field == field).Select(p => p.Message).ToList();
        return server is { Count: > 0 } ? L["error.server_said", StudioFormat.JoinSentences(server)].Value : null;
    }

    private Task OnNumStepsChangedAsync(int value) => NumStepsChanged.InvokeAsync(value);

    private Task OnSeedChangedAsync(string? value) => SeedTextChanged.InvokeAsync(value ?? "");

    private Task OnQuantizedChangedAsync(bool value) => QuantizedChanged.InvokeAsync(value);

    private Task OnDurationChangedAsync(double value) => DurationSecondsChanged.InvokeAsync(value);

    private Task OnEnhancePromptChangedAsync(bool value) => EnhancePromptChanged.InvokeAsync(value);

    private Task OnRandomSeedAsync() =>
        SeedTextChanged.InvokeAsync(Seeds.NextSeed().ToString(System.Globalization.CultureInfo.InvariantCulture));
}
