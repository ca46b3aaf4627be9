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
/// (stacked on a phone). The page acts, the panels render: it owns the form (<see cref="I2VFormState"/>: image, prompt,
/// parameters — kept after a submit, ready for the next variant) and the jobs (<see cref="StudioJobsState"/>, the one
/// subscriber to the <see cref="IJobTracker"/>), passes their data to the panels and carries out their events. It
/// submits (Generate or Ctrl+Enter; a double click makes one job), selects the new job, and maps a failed submission's
/// 422 items onto the fields they name. No <c>@page</c>: the host routes to it (e.g. <c>/tools/i2v</c>).
/// </summary>
public sealed partial class I2VStudioPage : IDisposable
{
    private readonly string _reasonId = "generate-reason-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _resultAnchorId = "i2v-result-" + Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationTokenSource _cts = new();
    private I2VFormState _form = default!;
    private StudioJobsState _jobs = default!;
    private BackendFeatures? _backend;
    private bool _submitting;
    private bool _repeatWhileSubmitting;
    private bool _draftLoaded;
    private bool _askedNotificationPermission;
    private bool _submittedOnce;
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

    // A failed submission's field problems are shown on the fields while that job is the selected one.
    private IReadOnlyList<FieldProblem>? ServerProblems =>
        _jobs.Selected is { Status.Phase: JobPhase.SubmitFailed, Error: { } error } && !error.FieldProblems.IsDefaultOrEmpty
            ? error.FieldProblems
            : null;

    private bool CanSubmit => _form.BlockingProblems(_backend).Count == 0;

    /// <summary>Why Generate is disabled, in words, in the order of the form.</summary>
    private List<string> BlockingReasons => [.. _form.BlockingProblems(_backend).Select(Sentence)];

    private string Sentence(FormProblem problem) => problem.Key switch
    {
        "error.duration_range" => L[problem.Key, StudioFormat.Seconds((double)problem.Arguments[0])],
        _ => L[problem.Key, problem.Arguments],
    };

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _form = new I2VFormState(Options.Value);
        // Created here rather than injected: its selection and its one tracker subscription live as long as this page.
        _jobs = new StudioJobsState(Tracker, Actions);
        _jobs.Changed += OnJobsChanged;
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            // Both read browser storage, so they wait for the first interactive render (never during prerender).
            await _jobs.InitializeAsync(_cts.Token);
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
        StateHasChanged();
        await LoadBackendAsync();
    }

    // Which inputs the backend takes (duration, prompt enhancement) and whether it can notice lost jobs. Until it is
    // known — or while the backend cannot be reached — the form offers what every backend takes.
    private async Task LoadBackendAsync()
    {
        // Null: unreachable (read again after the next submission, which reaches the backend anyway) or closed.
        if (await Features.TryReadAsync(_cts.Token) is not { } features) return;
        _backend = features;
        if (!_disposed) StateHasChanged();
    }

    // May come from the tracker's thread: render on the renderer's.
    private void OnJobsChanged(object? sender, EventArgs e) => _ = InvokeAsync(() =>
    {
        if (!_disposed) StateHasChanged();
    });

    // The form as the user left it before a reload: prompt, parameters, and the image if IndexedDB still has it.
    private async Task RestoreDraftAsync()
    {
        var draft = await Drafts.LoadAsync(_cts.Token);
        PickedImage? image = null;
        if (draft?.Image is { } stored && await Blobs.GetPreviewUrlAsync(stored.BlobKey, stored.Width, stored.Height, _cts.Token) is { Length: > 0 } previewUrl)
            image = stored.ToPickedImage(previewUrl);

        // Whatever the user did while the draft loaded wins over the draft.
        if (draft is not null) _form.Restore(draft, image);
        if (_form.Image is { } current) Blobs.Stage(current.BlobKey);
        _draftLoaded = true;
    }

    private async Task SaveDraftAsync()
    {
        if (!_draftLoaded) return; // not before the stored draft was read: it would be overwritten by the defaults
        try
        {
            await Drafts.SaveAsync(_form.ToDraft(), _cts.Token);
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

    // A refused file keeps the image already picked: nothing the user did is lost (and nothing to save). An accepted one
    // starts on its way to the host now, while the user writes the prompt (bench scenario 3).
    private Task OnImagePickedAsync(PickedImageResult result)
    {
        if (!_form.PickImage(result)) return Task.CompletedTask;
        Blobs.Stage(_form.Image!.BlobKey);
        return SaveDraftAsync();
    }

    private Task OnImageClearedAsync()
    {
        _form.ClearImage();
        return SaveDraftAsync();
    }

    private Task OnPromptChangedAsync(string prompt)
    {
        _form.SetPrompt(prompt);
        return SaveDraftAsync();
    }

    private Task OnNumStepsChangedAsync(int numSteps)
    {
        _form.SetNumSteps(numSteps);
        return SaveDraftAsync();
    }

    private Task OnSeedTextChangedAsync(string seedText)
    {
        _form.SetSeedText(seedText);
        return SaveDraftAsync();
    }

    private Task OnQuantizedChangedAsync(bool quantized)
    {
        _form.SetQuantized(quantized);
        return SaveDraftAsync();
    }

    private Task OnDurationChangedAsync(double seconds)
    {
        _form.SetDurationSeconds(seconds);
        return SaveDraftAsync();
    }

    private Task OnEnhancePromptChangedAsync(bool enhance)
    {
        _form.SetEnhancePrompt(enhance);
        return SaveDraftAsync();
    }

    // The LLM failed (503): the same form again with the switch off, as a new job; the failed one stays in the list.
    private async Task SubmitWithoutEnhancementAsync()
    {
        _form.SetEnhancePrompt(false);
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
        if (_form.TryBuildRequest(_backend) is not { } request) return;

        _submitting = true;
        try
        {
            AskNotificationPermissionOnce();
            await _jobs.SubmitAsync(request, _cts.Token);
            _submittedOnce = true;
            // The form keeps image, prompt and parameters: the next variant is one click away.
            await History.AddAsync(_form.Prompt, _cts.Token);
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

    private Task SelectAsync(string? id) => _jobs.SelectAsync(id, _cts.Token);

    private Task TrackAsync(string jobId) => _jobs.TrackAsync(jobId, _cts.Token);

    private Task RetryAsync(JobRecord job) => _jobs.RetryAsync(job, newSeed: false, _cts.Token);

    private Task RetryWithNewSeedAsync(JobRecord job) => _jobs.RetryAsync(job, newSeed: true, _cts.Token);

    private Task VariantsAsync(JobRecord job) => _jobs.VariantsAsync(job, _cts.Token);

    private Task SubmitAgainAsync(JobRecord job) => _jobs.SubmitAgainAsync(job, _cts.Token);

    // A job the LLM refused (503), from its card or the result panel: that job's inputs again without enhancement, and,
    // as with the switch's own offer, the switch goes off so the next Generate is not refused the same way.
    private async Task SubmitJobWithoutEnhancementAsync(JobRecord job)
    {
        _form.SetEnhancePrompt(false);
        await SaveDraftAsync();
        await _jobs.SubmitWithoutEnhancementAsync(job, _cts.Token);
    }

    private Task KeepCheckingAsync(JobRecord job) => _jobs.KeepCheckingAsync(job, _cts.Token);

    private Task DownloadAsync(JobRecord job) => _jobs.DownloadAsync(job, _cts.Token);

    private Task CopyIdAsync(JobRecord job) => _jobs.CopyIdAsync(job, _cts.Token);

    private Task RemoveAsync(JobRecord job) => _jobs.RemoveAsync(job, _cts.Token);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_jobs is not null)
        {
            _jobs.Changed -= OnJobsChanged;
            _jobs.Dispose();
        }
        _cts.Cancel();
        _cts.Dispose();
    }
}
