using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>
/// One job in the list: thumbnail, the prompt's first line (the job id for adopted jobs), the two status badges, the
/// phase in words, elapsed time, an estimate of time left, connection trouble, and the actions its phase allows.
/// The card only raises events; its owner (the <see cref="JobPanel"/>) calls the tracker.
/// </summary>
public partial class JobCard
{
    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<I2VStudioOptions> Options { get; set; } = default!;

    /// <summary>The job to show. Required.</summary>
    [Parameter, EditorRequired] public JobRecord Record { get; set; } = default!;

    /// <summary>The time to measure elapsed time against; the owner's ticking clock. Default null: the current time.</summary>
    [Parameter] public DateTimeOffset? Now { get; set; }

    /// <summary>The expected run duration learned from earlier jobs with the same parameters; null: no estimate. Default null.</summary>
    [Parameter] public TimeSpan? ExpectedRunDuration { get; set; }

    /// <summary>Whether this card is the one shown in the result panel. Default false.</summary>
    [Parameter] public bool Selected { get; set; }

    /// <summary>Raised when the user picks this card.</summary>
    [Parameter] public EventCallback<JobRecord> OnSelect { get; set; }

    /// <summary>Raised by "Submit again" (SubmitFailed).</summary>
    [Parameter] public EventCallback<JobRecord> OnSubmitAgain { get; set; }

    /// <summary>
    /// Raised by "Submit without enhancement", the main action of a job the backend's LLM refused (SubmitFailed with
    /// <see cref="JobError.IsPromptEnhancementRefusal"/>), which offers no Submit again.
    /// </summary>
    [Parameter] public EventCallback<JobRecord> OnSubmitWithoutEnhancement { get; set; }

    /// <summary>Raised by "Retry" (same parameters, same image).</summary>
    [Parameter] public EventCallback<JobRecord> OnRetry { get; set; }

    /// <summary>Raised by "Retry with a new seed".</summary>
    [Parameter] public EventCallback<JobRecord> OnRetryWithNewSeed { get; set; }

    /// <summary>Raised by "Variants" (several new seeds).</summary>
    [Parameter] public EventCallback<JobRecord> OnVariants { get; set; }

    /// <summary>Raised by "Keep checking" (TimedOut or Lost).</summary>
    [Parameter] public EventCallback<JobRecord> OnKeepChecking { get; set; }

    /// <summary>Raised by "Download" (Succeeded).</summary>
    [Parameter] public EventCallback<JobRecord> OnDownload { get; set; }

    /// <summary>Raised by "Copy job ID" (when the backend gave one).</summary>
    [Parameter] public EventCallback<JobRecord> OnCopyId { get; set; }

    /// <summary>Raised by "Remove"; the owner asks for confirmation.</summary>
    [Parameter] public EventCallback<JobRecord> OnRemove { get; set; }

    /// <summary>
    /// MudIconButton's own classes (small, with ripple), on a plain button: the list shows up to ~18 cards per circuit
    /// and a <c>MudTooltip</c> + <c>MudIconButton</c> + <c>MudIcon</c> was six components (with a popover registered
    /// whether shown or not) per icon button, about 1 MB of render-tree state per circuit (bench/README.md, scenario 5).
    /// The name is the button's aria-label and its title.
    /// </summary>
    private const string IconButtonClass = "mud-button-root mud-icon-button mud-ripple mud-ripple-icon mud-icon-button-size-small";

    /// <summary>A MudBlazor icon as <c>MudIcon</c> renders it (decorative), as markup rather than a component per icon.</summary>
    private static RenderFragment Icon(string svg, Size size) => builder =>
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", size == Size.Small ? "mud-icon-root mud-svg-icon mud-icon-size-small" : "mud-icon-root mud-svg-icon mud-icon-size-medium");
        builder.AddAttribute(2, "focusable", "false");
        builder.AddAttribute(3, "viewBox", "0 0 24 24");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddMarkupContent(5, svg);
        builder.CloseElement();
    };

    private JobPhase Phase => Record.Status.Phase;

    // Refused by the backend's LLM: sending it again as it was would be refused the same way.
    private bool IsLlmRefused => Phase == JobPhase.SubmitFailed && Record.Error is { IsPromptEnhancementRefusal: true };

    private bool IsAdopted => string.IsNullOrWhiteSpace(Record.Inputs.Prompt);

    private string Title => IsAdopted ? Record.JobId ?? Record.Id : StudioFormat.FirstLine(Record.Inputs.Prompt);

    // Retry and variants re-use the stored original image; an adopted job has none.
    private bool CanRetry => !string.IsNullOrEmpty(Record.Inputs.ImageBlobKey);

    private bool CanDownload => !Record.OutputLinkGone && (Record.OutputUrl is not null || Record.RawResult is null);

    private int VariantCount => Options.Value.VariantCount;

    private DateTimeOffset CurrentTime => Now ?? Time.GetUtcNow();

    private TimeSpan Elapsed => JobTimings.Elapsed(Record, CurrentTime);

    private string? EtaText
    {
        get
        {
            if (JobTimings.Remaining(Record, ExpectedRunDuration, CurrentTime) is not { } left) return null;
            return left < TimeSpan.FromSeconds(5) ? L["eta.soon"] : L["eta", StudioFormat.Duration(left, L)];
        }
    }

    private string PhaseTone => Phase switch
    {
        JobPhase.Succeeded => "success",
        JobPhase.Failed or JobPhase.SubmitFailed or JobPhase.Lost => "error",
        JobPhase.TimedOut => "warning",
        JobPhase.Running => "active",
        _ => "neutral",
    };

    // TimedOut and Lost have a short word on the card; their full sentence is the tooltip (and the result panel's alert).
    private string? PhaseExplanation => Record.Error is { MayHaveBeenSubmitted: true } && Phase == JobPhase.SubmitFailed
        ? L["error.maybe_submitted"].Value
        : StudioFormat.ShortPhaseKey(Phase) != StudioFormat.PhaseKey(Phase) ? L[StudioFormat.PhaseKey(Phase)].Value : null;

    private Task OnSelectClickedAsync() => OnSelect.InvokeAsync(Record);

    // What the card shows depends on these alone (the callbacks always target the same owner).
    private readonly record struct RenderKey(JobRecord Record, bool Selected, string Elapsed, string? Eta);

    private RenderKey? _rendered;

    /// <summary>
    /// The list re-renders every card on each tracker change and each second while a job runs; a card whose record,
    /// selection and time texts are unchanged skips its render, so its buttons and tooltips are not re-rendered for
    /// nothing (measured: one poll update re-rendered every visible card's MudBlazor children).
    /// </summary>
    protected override bool ShouldRender()
    {
        var key = CurrentRenderKey();
        if (_rendered is { } last && ReferenceEquals(last.Record, key.Record) && last.Selected == key.Selected
            && last.Elapsed == key.Elapsed && last.Eta == key.Eta)
        {
            return false;
        }

        _rendered = key;
        return true;
    }

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        // The first render does not ask ShouldRender: remember what it showed.
        if (firstRender) _rendered ??= CurrentRenderKey();
    }

    private RenderKey CurrentRenderKey() => new(Record, Selected, StudioFormat.Duration(Elapsed, L), EtaText);
}
