using I2VStudio.Components.Resources;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>
/// The I2V studio: inputs and parameters on the left, the selected job's result above the job list on the right
/// (stacked on a phone). It holds the form (image, prompt, parameters — kept after a submit, ready for the next
/// variant), submits through the <see cref="IJobTracker"/> (Generate or Ctrl+Enter; a double click makes one job),
/// selects the new job, and maps a failed submission's 422 items onto the fields they name. No <c>@page</c>: the
/// host routes to it (e.g. <c>/tools/i2v</c>).
/// </summary>
public sealed partial class I2VStudioPage : IDisposable
{
    private readonly string _reasonId = "generate-reason-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _resultAnchorId = "i2v-result-" + Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationTokenSource _cts = new();
    private IDisposable? _subscription;
    private PickedImage? _image;
    private ImageProblem? _imageProblem;
    private string _prompt = "";
    private string _seedText = "0";
    private int _numSteps = 4;
    private bool _quantized = true;
    private double _durationSeconds = 5;
    private bool _enhancePrompt;
    private BackendFeatures? _backend;
    private bool _submitting;
    private bool _repeatWhileSubmitting;
    private bool _formTouched;
    private bool _draftLoaded;
    private bool _showValidation;
    private bool _askedNotificationPermission;
    private bool _submittedOnce;
    private JobInputs? _awaitingInputs;
    private string? _selectedId;
    private IReadOnlyList<string> _history = [];
    private bool _disposed;

    [Inject] private IJobTracker Tracker { get; set; } = default!;
    [Inject] private StudioJobActions Actions { get; set; } = default!;
    [Inject] private PromptHistoryStore History { get; set; } = default!;
    [Inject] private FormDraftStore Drafts { get; set; } = default!;
    [Inject] private BrowserBlobStore Blobs { get; set; } = default!;
    [Inject] private BrowserActions Browser { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IOptions<I2VStudioOptions> Options { get; set; } = default!;
    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;
    [Inject] private BackendFeaturesReader Features { get; set; } = default!;

    // The current page with the result panel's fragment: a bare "#id" would resolve against the base URI instead.
    private string ResultHref
    {
        get
        {
            var uri = Navigation.Uri;
            var hash = uri.IndexOf('#', StringComparison.Ordinal);
            return (hash >= 0 ? uri[..hash] : uri) + "#" + _resultAnchorId;
        }
    }

    private JobRecord? SelectedRecord => _selectedId is null ? null : Tracker.Find(_selectedId);

    // A failed submission's field problems are shown on the fields while that job is the selected one.
    private IReadOnlyList<FieldProblem>? ServerProblems =>
        SelectedRecord is { Status.Phase: JobPhase.SubmitFailed, Error: { } error } && !error.FieldProblems.IsDefaultOrEmpty
            ? error.FieldProblems
            : null;

    private bool CanSubmit => BlockingReasons.Count == 0;

    /// <summary>Why Generate is disabled, in words, in the order of the form.</summary>
    private List<string> BlockingReasons
    {
        get
        {
            var reasons = new List<string>();
            if (_image is null) reasons.Add(L["error.image_required"]);
            if (I2VFormRules.PromptProblem(_prompt, Options.Value.PromptMaxLength) is { } prompt)
                reasons.Add(prompt == "error.prompt_too_long" ? L[prompt, Options.Value.PromptMaxLength] : L[prompt]);
            if (I2VFormRules.NumStepsProblem(_numSteps) is { } steps) reasons.Add(L[steps]);
            if (I2VFormRules.SeedProblem(_seedText) is { } seed) reasons.Add(L[seed]);
            if (_backend?.CanSetDuration == true && I2VFormRules.DurationProblem(_durationSeconds, Options.Value.MaxDurationSeconds) is { } duration)
                reasons.Add(L[duration, StudioFormat.Seconds(Options.Value.MaxDurationSeconds)]);
            return reasons;
        }
    }

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _numSteps = Options.Value.DefaultNumSteps;
        _quantized = Options.Value.DefaultQuantized;
        _durationSeconds = Options.Value.DefaultDurationSeconds;
        _subscription = Tracker.Subscribe(OnTrackerChangedAsync);
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            // Both read browser storage, so they wait for the first interactive render (never during prerender).
            await Tracker.InitializeAsync(_cts.Token);
            _history = await History.LoadAsync(_cts.Token);
            await RestoreDraftAsync();
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (JSDisconnectedException)
        {
            return;
        }
        if (_disposed) return;
        if (_selectedId is null && Tracker.Jobs.Count > 0) await SelectAsync(Tracker.Jobs[0].Id);
        StateHasChanged();
        await LoadBackendAsync();
    }

    // Which inputs the backend takes (duration, prompt enhancement) and whether it can notice lost jobs. Until it is
    // known — or while the backend cannot be reached — the form offers what every backend takes.
    private async Task LoadBackendAsync()
    {
        try
        {
            _backend = await Features.ReadAsync(_cts.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (TurboDiffusion.Client.Http.TurboDiffusionApiException)
        {
            return; // read again after the next submission, which reaches the backend anyway
        }

        if (!_disposed) StateHasChanged();
    }

    private Task OnTrackerChangedAsync(JobChange change) =>
        InvokeAsync(async () =>
        {
            if (_disposed) return;
            // The tracker stores the record before it POSTs: select it the moment it appears.
            if (change is { Kind: JobChangeKind.Added, Record: { } added } && _awaitingInputs is { } inputs && added.Inputs == inputs)
                _selectedId = added.Id;
            if (change.Kind == JobChangeKind.Removed && change.Id == _selectedId) _selectedId = null;
            if (change.Id == _selectedId) await MarkSelectedSeenAsync();
            StateHasChanged();
        });

    // The form as the user left it before a reload: prompt, parameters, and the image if IndexedDB still has it.
    private async Task RestoreDraftAsync()
    {
        var draft = await Drafts.LoadAsync(_cts.Token);
        PickedImage? image = null;
        if (draft?.Image is { } stored && await Blobs.GetPreviewUrlAsync(stored.BlobKey, _cts.Token) is { Length: > 0 } previewUrl)
            image = stored.ToPickedImage(previewUrl);

        // Whatever the user did while the draft loaded wins over the draft.
        if (draft is not null && !_formTouched)
        {
            _prompt = draft.Prompt;
            if (draft.NumSteps is { } steps && I2VFormRules.NumStepsProblem(steps) is null) _numSteps = steps;
            if (draft.SeedText is { } seed) _seedText = seed;
            if (draft.Quantized is { } quantized) _quantized = quantized;
            if (draft.DurationSeconds is { } seconds && I2VFormRules.DurationProblem(seconds, Options.Value.MaxDurationSeconds) is null)
                _durationSeconds = seconds;
            if (draft.EnhancePrompt is { } enhance) _enhancePrompt = enhance;
            _image = image;
        }
        _draftLoaded = true;
    }

    private async Task SaveDraftAsync()
    {
        _formTouched = true;
        if (!_draftLoaded) return; // not before the stored draft was read: it would be overwritten by the defaults
        try
        {
            await Drafts.SaveAsync(new FormDraft
            {
                Prompt = _prompt,
                NumSteps = _numSteps,
                SeedText = _seedText,
                Quantized = _quantized,
                DurationSeconds = _durationSeconds,
                EnhancePrompt = _enhancePrompt,
                Image = _image is { } image ? FormDraftImage.From(image) : null,
            }, _cts.Token);
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away.
        }
    }

    private Task OnImagePickedAsync(PickedImageResult result)
    {
        // A refused file keeps the image already picked: nothing the user did is lost.
        if (result.Image is { } image)
        {
            _image = image;
            _imageProblem = null;
            return SaveDraftAsync();
        }
        _imageProblem = result.Problem;
        return Task.CompletedTask;
    }

    private Task OnImageClearedAsync()
    {
        _image = null;
        _imageProblem = null;
        return SaveDraftAsync();
    }

    private Task OnPromptChangedAsync(string prompt)
    {
        _prompt = prompt;
        return SaveDraftAsync();
    }

    private Task OnNumStepsChangedAsync(int numSteps)
    {
        _numSteps = numSteps;
        return SaveDraftAsync();
    }

    private Task OnSeedTextChangedAsync(string seedText)
    {
        _seedText = seedText;
        return SaveDraftAsync();
    }

    private Task OnQuantizedChangedAsync(bool quantized)
    {
        _quantized = quantized;
        return SaveDraftAsync();
    }

    private Task OnDurationChangedAsync(double seconds)
    {
        _durationSeconds = seconds;
        return SaveDraftAsync();
    }

    private Task OnEnhancePromptChangedAsync(bool enhance)
    {
        _enhancePrompt = enhance;
        return SaveDraftAsync();
    }

    // The LLM failed (503): the same form again with the switch off, as a new job; the failed one stays in the list.
    private async Task SubmitWithoutEnhancementAsync()
    {
        _enhancePrompt = false;
        await SaveDraftAsync();
        await SubmitAsync();
    }

    private async Task OnKeyDownAsync(KeyboardEventArgs args)
    {
        if (args.Key == "Enter" && (args.CtrlKey || args.MetaKey)) await SubmitAsync();
    }

    private async Task SubmitAsync()
    {
        if (_submitting)
        {
            // Never a second job; but say so, or a second Ctrl+Enter looks ignored.
            _repeatWhileSubmitting = true;
            return;
        }
        if (!CanSubmit || _image is not { } image || !I2VFormRules.TryParseSeed(_seedText, out var seed))
        {
            _showValidation = true;
            return;
        }

        _submitting = true;
        try
        {
            AskNotificationPermissionOnce();
            var parameters = new I2VParams
            {
                Seed = seed,
                NumSteps = _numSteps,
                Quantized = _quantized,
                // Only what this backend takes: a Legacy backend gets neither field.
                DurationSeconds = _backend?.CanSetDuration == true ? _durationSeconds : null,
                EnhancePrompt = _backend?.CanEnhancePrompt == true && _enhancePrompt,
            };
            var inputs = new JobInputs
            {
                Prompt = _prompt,
                ImageName = image.FileName,
                ImageBlobKey = image.BlobKey,
                ImageContentType = image.ContentType,
                ImageSize = image.Size,
                ImageWidth = image.Width,
                ImageHeight = image.Height,
                ThumbnailDataUrl = image.ThumbnailDataUrl,
            };
            _awaitingInputs = inputs;
            var record = await Tracker.SubmitAsync(new JobRequest(I2VParams.JobTypeName, inputs, parameters.ToJson()), _cts.Token);
            _selectedId = record.Id;
            _submittedOnce = true;
            // The form keeps image, prompt and parameters: the next variant is one click away.
            await History.AddAsync(_prompt, _cts.Token);
            _history = await History.LoadAsync(_cts.Token);
            if (_backend is null) _ = LoadBackendAsync();
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away.
        }
#pragma warning disable CA1031 // The tracker keeps failed submissions as records; anything else is told, not thrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Snackbar.Add(L["action.failed", ex.Message], Severity.Error);
        }
        finally
        {
            _awaitingInputs = null;
            _submitting = false;
            _repeatWhileSubmitting = false;
        }
    }

    // Asked on the first submit, not on load (browsers and users dislike prompts out of nowhere). Not awaited: the
    // browser's permission prompt must not hold up the submission.
    private void AskNotificationPermissionOnce()
    {
        if (_askedNotificationPermission) return;
        _askedNotificationPermission = true;
        _ = AskAsync();

        async Task AskAsync()
        {
            try
            {
                await Browser.RequestNotificationPermissionAsync(_cts.Token);
            }
#pragma warning disable CA1031 // A refused or failed permission request only means no browser notifications.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private async Task SelectAsync(string? id)
    {
        _selectedId = id;
        await MarkSelectedSeenAsync();
    }

    private async Task MarkSelectedSeenAsync()
    {
        if (SelectedRecord is not { Seen: false } job || !job.Status.Phase.IsFinished() || job.Status.Phase == JobPhase.SubmitFailed) return;
        try
        {
            await Tracker.MarkSeenAsync(job.Id, _cts.Token);
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    private async Task RetryAsync(JobRecord job)
    {
        if (await Actions.RetryAsync(job, newSeed: false, _cts.Token) is { } made) await SelectAsync(made.Id);
    }

    private async Task RetryWithNewSeedAsync(JobRecord job)
    {
        if (await Actions.RetryAsync(job, newSeed: true, _cts.Token) is { } made) await SelectAsync(made.Id);
    }

    private async Task SubmitAgainAsync(JobRecord job)
    {
        await Actions.SubmitAgainAsync(job, _cts.Token);
    }

    private Task KeepCheckingAsync(JobRecord job) => Actions.KeepCheckingAsync(job, _cts.Token);

    private Task DownloadAsync(JobRecord job) => Actions.DownloadAsync(job, _cts.Token);

    private async Task RemoveAsync(JobRecord job)
    {
        if (await Actions.RemoveAsync(job, _cts.Token) && _selectedId == job.Id) _selectedId = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _subscription?.Dispose();
        _subscription = null;
        _cts.Cancel();
        _cts.Dispose();
    }
}
