using System.Globalization;
using System.Text;
using I2VStudio.Components;
using I2VStudio.Components.Resources;
using I2VStudio.Host.Resources;
using I2VStudio.Workspace;
using I2VStudio.Workspace.Batches;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>One project: its chapter → scene → shot tree (rename, reorder, delete with undo), the novel import and the
/// project's style and default parameters. Edits carry the version they were made from, so a save over another tab's
/// change is refused and the typed text stays in its box.</summary>
public sealed partial class ProjectPage : IAsyncDisposable
{
    // UTF-8 takes at most 3 bytes per character of the BMP (4 for the rest): text over this cannot fit the limit.
    private const long MaxPastedBytes = WorkspaceLimits.NovelCharacters * 3L;

    private readonly CancellationTokenSource _life = new();
    // Set after the first interactive render (never while prerendering): tests and users wait for it before acting.
    private bool _interactive;
    private readonly HashSet<Guid> _expanded = [];
    private Project? _project;
    // Scene and shot counts per chapter: a collapsed chapter's scenes are not loaded (GetOutlineAsync).
    private IReadOnlyDictionary<Guid, TreeCounts> _counts = new Dictionary<Guid, TreeCounts>();
    private string? _error;
    private string? _info;
    private (TreeNodeKind Kind, Guid Id)? _undo;
    private bool _busy;
    private ElementReference _novelText;
    private IJSObjectReference? _module;

    private (TreeNodeKind Kind, Guid Id, long Version)? _editing;
    private string _editText = "";

    private string _settingsName = "";
    private string _settingsPrefix = "";
    private string _settingsSuffix = "";
    private int _settingsSteps = 4;
    private int? _settingsSeed;
    private bool _settingsQuantized = true;
    private double _settingsDuration = 5;
    private bool _settingsEnhance;
    // What the backend takes (VideoGen: the clip length; its LLM: enhancement); null until read, or unreachable.
    private BackendFeatures? _backend;

    /// <summary>The project, from the route.</summary>
    [Parameter] public Guid ProjectId { get; set; }

    [Inject] private ProjectService Projects { get; set; } = default!;

    [Inject] private IStringLocalizer<WorkspaceStrings> L { get; set; } = default!;

    [Inject] private WorkspaceMessages Messages { get; set; } = default!;

    [Inject] private IStringLocalizer<StudioStrings> StudioL { get; set; } = default!;

    [Inject] private BackendFeaturesReader Features { get; set; } = default!;

    [Inject] private IOptions<I2VStudioOptions> StudioOptions { get; set; } = default!;

    private double MaxDurationSeconds => StudioOptions.Value.MaxDurationSeconds;

    private string? SettingsDurationError => I2VFormRules.DurationProblem(_settingsDuration, MaxDurationSeconds) is { } key
        ? StudioL[key, StudioFormat.Seconds(MaxDurationSeconds)].Value
        : null;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private BatchService Batches { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    private IReadOnlyList<BatchProgress> _batches = [];
    private BatchEstimate? _estimate;
    private (TreeNodeKind Kind, Guid Id)? _estimateScope;
    private string _estimateTitle = "";
    private int _maxInFlight = 2;
    private ITimer? _batchRefresh;

    private static string FormatDuration(TimeSpan span) =>
        span.TotalMinutes >= 1 ? $"{Math.Ceiling(span.TotalMinutes):0} min" : $"{Math.Ceiling(span.TotalSeconds):0} s";

    private async Task EstimateAsync(TreeNodeKind kind, Guid id, string title)
    {
        await RunAsync(async () =>
        {
            _estimateScope = (kind, id);
            _estimateTitle = title;
            _estimate = await Batches.EstimateAsync(kind, id, _maxInFlight, _life.Token);
        });
    }

    private async Task MaxInFlightChangedAsync(int value)
    {
        _maxInFlight = value;
        if (_estimateScope is { } scope) await EstimateAsync(scope.Kind, scope.Id, _estimateTitle);
    }

    private async Task StartBatchAsync()
    {
        if (_estimateScope is not { } scope) return;
        await RunAsync(async () =>
        {
            await Batches.StartAsync(scope.Kind, scope.Id, _maxInFlight, _life.Token);
            _estimate = null;
            await RefreshBatchesAsync();
        });
    }

    private async Task CancelBatchAsync(Guid batchId)
    {
        await RunAsync(async () =>
        {
            await Batches.CancelAsync(batchId, _life.Token);
            await RefreshBatchesAsync();
        });
    }

    // While a batch runs the page re-reads its counts every 2 s (the runner may be on another host).
    private async Task RefreshBatchesAsync()
    {
        _batches = await Batches.ListAsync(ProjectId, _life.Token);
        if (_batches.Any(b => !b.IsFinished))
        {
            _batchRefresh ??= Time.CreateTimer(_ => _ = InvokeAsync(async () =>
            {
                if (_life.IsCancellationRequested) return;
                await RefreshBatchesAsync();
                StateHasChanged();
            }), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        }
        else if (_batchRefresh is not null)
        {
            await _batchRefresh.DisposeAsync();
            _batchRefresh = null;
        }
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        // Usable at once: the backend read may take up to the request timeout when the backend is unreachable.
        _interactive = true;
        StateHasChanged();
        // Null while unknown or unreachable: neither field shows (as on /tools/i2v); the stored defaults are sent back as
        // they are, and the service does not judge a default again that is saved unchanged.
        _backend = await Features.TryReadAsync(_life.Token);
        if (_life.IsCancellationRequested) return; // the page closed meanwhile
        StateHasChanged();
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        await RunAsync(async () =>
        {
            await ReloadAsync();
            LoadSettings();
            await RefreshBatchesAsync();
        });
    }

    // Only the open chapters' scenes and shots are loaded: a project of thousands of shots opens with its chapter list.
    private async Task ReloadAsync()
    {
        var outline = await Projects.GetOutlineAsync(ProjectId, _expanded, _life.Token);
        (_project, _counts) = (outline.Project, outline.Counts);
    }

    private void LoadSettings()
    {
        if (_project is null) return;
        _settingsName = _project.Name;
        _settingsPrefix = _project.StylePrefix;
        _settingsSuffix = _project.StyleSuffix;
        _settingsSteps = _project.DefaultNumSteps;
        _settingsSeed = _project.DefaultSeed;
        _settingsQuantized = _project.DefaultQuantized;
        _settingsDuration = _project.DefaultDurationSeconds;
        _settingsEnhance = _project.DefaultEnhancePrompt;
    }

    private string Counts(Chapter chapter)
    {
        var counts = _counts.GetValueOrDefault(chapter.Id) ?? new TreeCounts(0, 0);
        return string.Format(CultureInfo.CurrentCulture, L["ws.tree.counts"].Value, Messages.Count("scene", counts.Scenes), Messages.Count("shot", counts.Shots));
    }

    // Opening a chapter loads its scenes and shots; closing one only hides them. A notice (e.g. an undo) stays.
    private async Task ToggleAsync(Guid chapterId)
    {
        if (_expanded.Remove(chapterId)) return;
        _expanded.Add(chapterId);
        _error = await Messages.ErrorOfAsync(ReloadAsync) ?? _error;
    }

    private bool IsEditing(TreeNodeKind kind, Guid id) => _editing is { } e && e.Kind == kind && e.Id == id;

    private void StartEdit(TreeNodeKind kind, Guid id, long version, string text)
    {
        _editing = (kind, id, version);
        _editText = text;
    }

    private void CancelEdit() => _editing = null;

    private async Task SaveEditAsync()
    {
        if (_editing is not { } editing) return;
        await RunAsync(async () =>
        {
            await Projects.RenameAsync(editing.Kind, editing.Id, editing.Version, _editText, _life.Token);
            // Only a saved edit closes the box: a refused one (duplicate, conflict) keeps the text for another try.
            _editing = null;
            await ReloadAsync();
        });
    }

    private async Task SaveSettingsAsync()
    {
        if (_project is null) return;
        // The I2V form's rule and words where the field is shown (the service lets a hidden, unchanged value through).
        if (_backend?.CanSetDuration == true && SettingsDurationError is { } durationError)
        {
            _info = null;
            _error = durationError;
            return;
        }
        await RunAsync(async () =>
        {
            var settings = new ProjectSettings(_settingsName, _settingsPrefix, _settingsSuffix, _settingsSteps, _settingsSeed, _settingsQuantized,
                _settingsDuration, _settingsEnhance);
            await Projects.UpdateProjectAsync(_project.Id, _project.Version, settings, _life.Token);
            await ReloadAsync();
            _info = L["ws.saved"];
        });
    }

    private async Task AddChapterAsync()
    {
        if (_project is null) return;
        await RunAsync(async () =>
        {
            var title = string.Format(CultureInfo.CurrentCulture, L["ws.chapter.default"].Value, _project.Chapters.Count + 1);
            var chapter = await Projects.AddChapterAsync(_project.Id, title, _life.Token);
            _expanded.Add(chapter.Id);
            await ReloadAsync();
            StartEdit(TreeNodeKind.Chapter, chapter.Id, chapter.Version, chapter.Title);
        });
    }

    private async Task AddSceneAsync(Chapter chapter)
    {
        await RunAsync(async () =>
        {
            var title = string.Format(CultureInfo.CurrentCulture, L["ws.scene.default"].Value, chapter.Scenes.Count + 1);
            var scene = await Projects.AddSceneAsync(chapter.Id, title, _life.Token);
            await ReloadAsync();
            StartEdit(TreeNodeKind.Scene, scene.Id, scene.Version, scene.Title);
        });
    }

    private async Task AddShotAsync(Guid sceneId)
    {
        await RunAsync(async () =>
        {
            var shot = await Projects.AddShotAsync(sceneId, "", _life.Token);
            await ReloadAsync();
            StartEdit(TreeNodeKind.Shot, shot.Id, shot.Version, "");
        });
    }

    private async Task MoveAsync(TreeNodeKind kind, Guid id, int delta)
    {
        await RunAsync(async () =>
        {
            await Projects.MoveAsync(kind, id, delta, _life.Token);
            await ReloadAsync();
        });
    }

    private async Task DeleteAsync(TreeNodeKind kind, Guid id, string label)
    {
        await RunAsync(async () =>
        {
            await Projects.DeleteAsync(kind, id, _life.Token);
            _undo = (kind, id);
            _info = string.Format(CultureInfo.CurrentCulture, L["ws.deleted"].Value, label);
            await ReloadAsync();
        });
    }

    private async Task UndoAsync()
    {
        if (_undo is not { } undo) return;
        await RunAsync(async () =>
        {
            await Projects.RestoreAsync(undo.Kind, undo.Id, _life.Token);
            await ReloadAsync();
        });
        _undo = null;
    }

    private async Task ImportPastedAsync()
    {
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", _life.Token, "./js/workspace.js");
        await RunAsync(async () =>
        {
            var bytes = await _module.InvokeAsync<IJSStreamReference>("textOf", _life.Token, _novelText);
            await using (bytes)
            {
                if (bytes.Length > MaxPastedBytes) throw new WorkspaceException(WorkspaceError.TooLarge, WorkspaceLimits.NovelCharacters);
                await using var stream = await bytes.OpenReadStreamAsync(MaxPastedBytes, _life.Token);
                await ImportAsync(stream);
            }
            await _module.InvokeVoidAsync("clear", _life.Token, _novelText);
        });
    }

    private async Task ImportFileAsync(InputFileChangeEventArgs e)
    {
        await RunAsync(async () =>
        {
            if (e.File.Size == 0) throw new WorkspaceException(WorkspaceError.EmptyText);
            if (e.File.Size > WorkspaceLimits.NovelFileBytes) throw new WorkspaceException(WorkspaceError.FileTooLarge, WorkspaceLimits.NovelFileBytes);
            await using var stream = e.File.OpenReadStream(WorkspaceLimits.NovelFileBytes, _life.Token);
            await ImportAsync(stream);
        });
    }

    private async Task ImportAsync(Stream utf8)
    {
        string text;
        try
        {
            using var reader = new StreamReader(utf8, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            text = await reader.ReadToEndAsync(_life.Token);
        }
        catch (DecoderFallbackException)
        {
            _error = L["ws.import.not_text"];
            return;
        }
        _busy = true;
        try
        {
            var result = await Projects.ImportNovelAsync(ProjectId, text, L["ws.import.untitled"], _life.Token);
            await ReloadAsync();
            _info = string.Format(CultureInfo.CurrentCulture, L["ws.import.done"].Value,
                Messages.Count("chapter", result.Chapters), Messages.Count("scene", result.Scenes), Messages.Count("shot", result.Shots));
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RunAsync(Func<Task> action)
    {
        _error = null;
        _info = null;
        _error = await Messages.ErrorOfAsync(action) ?? _error; // the action may have set its own message
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _life.CancelAsync();
        if (_batchRefresh is not null) await _batchRefresh.DisposeAsync();
        _life.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }
    }
}
