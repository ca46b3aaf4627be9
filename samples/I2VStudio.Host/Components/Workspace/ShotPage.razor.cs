using System.Globalization;
using I2VStudio.Components;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Resources;
using I2VStudio.Host.Resources;
using I2VStudio.Workspace;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Takes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>The shot editor: the I2V tool's panels (image, prompt, parameters) over one shot, and its take board. The
/// source image comes from Assets (or is picked and stored there); the prompt sent is the project's prefix + the shot's
/// prompt + the suffix; parameters the shot does not override come from the project. Takes run on the host
/// (<see cref="TakeRunner"/>), so the board shows their live phase and keeps them after the page closes.</summary>
public sealed partial class ShotPage : IDisposable
{
    private readonly CancellationTokenSource _life = new();
    private bool _interactive;
    private ShotView? _view;
    private Asset? _source;
    private IReadOnlyList<Asset> _images = [];
    private string? _error;
    private string? _info;
    private IDisposable? _subscription;

    private PickedImage? _picked;
    private ImageProblem? _pickProblem;
    private string _prompt = "";
    private int _numSteps = 4;
    private string _seedText = "";
    private bool _quantized = true;
    private double _durationSeconds = 5;
    private bool _enhancePrompt;
    // What the backend takes (VideoGen: the clip length; its LLM: enhancement); null until read, or unreachable.
    private BackendFeatures? _backend;
    private int _variations = 3;
    // Takes picked for the side-by-side player, in the order picked (the first leads).
    private readonly List<Guid> _compare = [];
    // Job records of takes another host follows (this host's runner does not hear them move), and the timer re-reading
    // them while any of them is still under way.
    private IReadOnlyDictionary<Guid, JobRecord> _elsewhere = new Dictionary<Guid, JobRecord>();
    private ITimer? _elsewhereRefresh;

    /// <summary>How often the board re-reads takes another host follows while they are under way.</summary>
    public static readonly TimeSpan ElsewhereRefresh = TimeSpan.FromSeconds(2);

    /// <summary>The most takes played side by side.</summary>
    private const int MaxCompared = 4;

    /// <summary>The project, from the route.</summary>
    [Parameter] public Guid ProjectId { get; set; }

    /// <summary>The shot, from the route.</summary>
    [Parameter] public Guid ShotId { get; set; }

    [Inject] private TakeService Takes { get; set; } = default!;

    [Inject] private TakeRunner Runner { get; set; } = default!;

    [Inject] private AssetStore Library { get; set; } = default!;

    [Inject] private IJobBlobStore BrowserImages { get; set; } = default!;

    [Inject] private IStringLocalizer<WorkspaceStrings> L { get; set; } = default!;

    [Inject] private WorkspaceMessages Messages { get; set; } = default!;

    [Inject] private IStringLocalizer<StudioStrings> StudioL { get; set; } = default!;

    [Inject] private BackendFeaturesReader Features { get; set; } = default!;

    [Inject] private IOptions<I2VStudioOptions> StudioOptions { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    private double MaxDurationSeconds => StudioOptions.Value.MaxDurationSeconds;

    private string SentPrompt => _view is null ? "" : string.Concat(_view.Project.StylePrefix, _prompt.Trim(), _view.Project.StyleSuffix).Trim();

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        // Usable at once: the backend read may take up to the request timeout when the backend is unreachable.
        _interactive = true;
        StateHasChanged();
        // Null while unknown or unreachable: neither field shows (as on /tools/i2v) and neither blocks a save.
        _backend = await Features.TryReadAsync(_life.Token);
        if (_life.IsCancellationRequested) return; // the page closed meanwhile
        StateHasChanged();
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        // The runner calls its listeners in the culture they subscribed in: this page's language, not the runner's.
        _subscription ??= Runner.Subscribe(shotId => shotId == ShotId ? InvokeAsync(ReloadTakesAsync) : Task.CompletedTask);
        await RunAsync(async () =>
        {
            await ReloadAsync();
            var shot = _view!.Shot;
            var project = _view.Project;
            _prompt = shot.Prompt;
            _numSteps = shot.NumStepsOverride ?? project.DefaultNumSteps;
            _seedText = (shot.SeedOverride ?? project.DefaultSeed)?.ToString(CultureInfo.InvariantCulture) ?? "";
            _quantized = shot.QuantizedOverride ?? project.DefaultQuantized;
            _durationSeconds = shot.DurationOverride ?? project.DefaultDurationSeconds;
            _enhancePrompt = shot.EnhancePromptOverride ?? project.DefaultEnhancePrompt;
        });
    }

    private async Task ReloadAsync()
    {
        _view = await Takes.GetShotAsync(ShotId, _life.Token);
        _source = _view.Shot.SourceImageAssetId is { } id ? await Library.FindAsync(id, _life.Token) : null;
        _images = await Library.SearchAsync(null, AssetKind.Image, _life.Token);
        await FollowElsewhereAsync();
    }

    private async Task ReloadTakesAsync()
    {
        if (_life.IsCancellationRequested) return;
        _view = await Takes.GetShotAsync(ShotId, _life.Token);
        await FollowElsewhereAsync();
        StateHasChanged();
    }

    /// <summary>The take's job record: this host's runner's, or, for a take another host follows, as that host stored it.</summary>
    private JobRecord? RecordOf(Take take) => Runner.RecordOf(take.Id) ?? _elsewhere.GetValueOrDefault(take.Id);

    // Takes another host follows (a batch it runs; this shot's page open on it too) move without this host's runner
    // hearing of it: while any of them is under way the board re-reads the takes every 2 s, as the project page does
    // for batches. A failed re-read keeps what shows, says why, and the next one tries again.
    private async Task FollowElsewhereAsync()
    {
        var notHere = _view!.Takes.Where(t => Runner.RecordOf(t.Id) is null).ToList();
        _elsewhere = await Runner.RecordsFollowedElsewhereAsync(notHere.Select(t => t.Id), _life.Token);
        if (notHere.Any(StillUnderWay))
        {
            _elsewhereRefresh ??= Time.CreateTimer(_ => _ = InvokeAsync(async () =>
            {
                if (_life.IsCancellationRequested) return;
                if (await Messages.ErrorOfAsync(ReloadTakesAsync) is { } error)
                {
                    _error = error;
                    StateHasChanged();
                }
            }), null, ElsewhereRefresh, ElsewhereRefresh);
        }
        else
        {
            _elsewhereRefresh?.Dispose();
            _elsewhereRefresh = null;
        }
    }

    /// <summary>Still to change: its job under way, or succeeded with its video not yet captured.</summary>
    private static bool StillUnderWay(Take take) =>
        Enum.TryParse<JobPhase>(take.Phase, out var phase) && (phase.IsActive() || (phase == JobPhase.Succeeded && take.VideoAssetId is null));

    private List<TakeClip>? CompareClips => _view is null ? null : [.. _compare
        .Select(id => _view.Takes.FirstOrDefault(t => t.Id == id))
        .OfType<Take>()
        .Where(t => t.VideoAssetId is not null)
        .Select(t => new TakeClip(WorkspaceEndpoints.ContentUrl(t.VideoAssetId!.Value),
            string.Format(CultureInfo.CurrentCulture, L["ws.take.video"].Value, t.Seed)))];

    private void ToggleCompare(Guid takeId, bool on)
    {
        _compare.Remove(takeId);
        if (on && _compare.Count < MaxCompared) _compare.Add(takeId);
    }

    // The newest take's refused submission (a 422's items, the LLM's 503) is shown at the fields it names, as /tools/i2v
    // shows its selected job's (the way out of the LLM's 503 is on the take's card).
    private IReadOnlyList<FieldProblem>? NewestTakeProblems =>
        _view is { Takes: [var newest, ..] }
        && RecordOf(newest) is { Status.Phase: JobPhase.SubmitFailed, Error: { FieldProblems.IsDefaultOrEmpty: false } error }
            ? error.FieldProblems
            : null;

    /// <summary>The take's phase in the UI's words (the job card's short form when the tracker has its
    /// <paramref name="record"/>).</summary>
    private string PhaseWords(Take take, JobRecord? record) =>
        record is not null ? StudioL[StudioFormat.ShortPhaseKey(record)]
        : Enum.TryParse<JobPhase>(take.Phase, out var phase) ? StudioL[StudioFormat.ShortPhaseKey(phase)]
        : take.Phase;

    /// <summary>A take without a job record that the runner found stored but never sent (the host stopped first; see
    /// TakeRunner).</summary>
    private static bool IsNeverSent(Take take) => take.Phase == nameof(JobPhase.SubmitFailed) && take.JobId is null;

    /// <summary>The record as the board shows it: the backend's link is the tracker's to refresh, and the board shows
    /// the captured copy once it exists.</summary>
    private static JobRecord Shown(JobRecord record) => record with { OutputUrl = null, OutputUrlExpiresAt = null };

    private async Task UseImageAsync(Guid assetId)
    {
        await RunAsync(async () =>
        {
            await Takes.SetSourceImageAsync(ShotId, assetId, _life.Token);
            await ReloadAsync();
        });
    }

    private async Task OnImagePickedAsync(PickedImageResult result)
    {
        _picked = result.Image;
        _pickProblem = result.Problem;
        if (result.Image is not { } image) return;
        await RunAsync(async () =>
        {
            await using var stream = await BrowserImages.OpenReadAsync(image.BlobKey, _life.Token)
                ?? throw new WorkspaceException(WorkspaceError.EmptyFile);
            var upload = await Library.AddFileAsync(stream, image.FileName, _life.Token);
            await Takes.SetSourceImageAsync(ShotId, upload.Asset.Id, _life.Token);
            await ReloadAsync();
            // Stored: it is the shot's source image now, shown once above; the panel is ready for another pick.
            _picked = null;
            // Same bytes as an asset already there: the shot uses that one, under its name.
            _info = string.Format(CultureInfo.CurrentCulture, L[upload.AlreadyStored ? "ws.assets.duplicate" : "ws.assets.stored"].Value, upload.Asset.Name);
        });
    }

    private async Task<bool> SaveSettingsAsync()
    {
        if (_view is null) return false;
        var project = _view.Project;
        // Empty means "random for each take"; anything else must be a seed (the panel shows why beside the field).
        int? seed = null;
        if (!string.IsNullOrWhiteSpace(_seedText))
        {
            if (!I2VFormRules.TryParseSeed(_seedText, out var typed))
            {
                _error = L["ws.error.Seed"];
                return false;
            }
            seed = (int)typed;
        }
        // The I2V form's own rule and message, checked only where the field is shown.
        var durationShown = _backend?.CanSetDuration == true;
        var durationProblem = I2VFormRules.DurationProblem(_durationSeconds, MaxDurationSeconds);
        if (durationShown && durationProblem is not null)
        {
            _error = StudioL[durationProblem, StudioFormat.Seconds(MaxDurationSeconds)].Value;
            return false;
        }
        // Only what differs from the project is stored: the rest keeps following the project's defaults. A hidden field
        // never blocks a save: a stored clip length the rule now refuses (the limit was lowered since) is not sent back,
        // so the shot follows the project's again (the service refuses any out-of-range length it is sent).
        double? duration = _durationSeconds == project.DefaultDurationSeconds || durationProblem is not null ? null : _durationSeconds;
        var settings = new ShotSettings(_prompt, _view.Shot.Notes,
            _numSteps == project.DefaultNumSteps ? null : _numSteps,
            seed == project.DefaultSeed ? null : seed,
            _quantized == project.DefaultQuantized ? null : _quantized,
            duration,
            _enhancePrompt == project.DefaultEnhancePrompt ? null : _enhancePrompt);
        var saved = false;
        await RunAsync(async () =>
        {
            await Takes.UpdateShotAsync(ShotId, _view.Shot.Version, settings, _life.Token);
            await ReloadAsync();
            saved = true;
        });
        return saved;
    }

    private async Task SaveAsync()
    {
        if (await SaveSettingsAsync()) _info = L["ws.saved"];
    }

    private async Task GenerateAsync(int count)
    {
        if (!await SaveSettingsAsync()) return;
        await RunAsync(async () =>
        {
            await Runner.GenerateAsync(ShotId, count, _life.Token);
            await ReloadAsync();
        });
    }

    /// <summary>Whether the backend's LLM refused the take's submission (VideoGen's 503 "LLM prompt enhancement
    /// unavailable", which the client files under the enhance_prompt field): sending it again as it was would fail the
    /// same way.</summary>
    private static bool IsLlmRefused(JobRecord? record) =>
        record is { Status.Phase: JobPhase.SubmitFailed, Error.IsPromptEnhancementRefusal: true };

    // The card's way out after the LLM's 503: that take again without enhancement, and, as on /tools/i2v, the switch
    // goes off in the form (saved with the shot's next save or take).
    private Task RetryWithoutEnhancementAsync(Guid takeId) => RunAsync(async () =>
    {
        _enhancePrompt = false;
        await Runner.RetryWithoutEnhancementAsync(takeId, _life.Token);
        await ReloadAsync();
    });

    private Task RetryAsync(Guid takeId, bool newSeed) => RunAsync(async () =>
    {
        await Runner.RetryAsync(takeId, newSeed, _life.Token);
        await ReloadAsync();
    });

    private Task ChooseAsync(Guid takeId) => RunAsync(async () =>
    {
        await Takes.ChooseAsync(takeId, _life.Token);
        await ReloadAsync();
    });

    private Task RejectAsync(Take take) => RunAsync(async () =>
    {
        await Takes.SetRejectedAsync(take.Id, !take.Rejected, _life.Token);
        await ReloadAsync();
    });

    private Task RateAsync(Guid takeId, int rating) => RunAsync(async () =>
    {
        await Takes.RateAsync(takeId, rating == 0 ? null : rating, _life.Token);
        await ReloadAsync();
    });

    private async Task RunAsync(Func<Task> action)
    {
        _error = null;
        _info = null;
        _error = await Messages.ErrorOfAsync(action) ?? _error; // the action may have set its own message
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _subscription?.Dispose();
        _elsewhereRefresh?.Dispose();
        _life.Cancel();
        _life.Dispose();
    }
}
