using I2VStudio.Host.Resources;
using I2VStudio.Workspace;
using I2VStudio.Workspace.Export;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>Plays a scene's chosen takes in order, and offers its exports (ZIP with a manifest, one MP4).</summary>
public sealed partial class ScenePreviewPage : IDisposable
{
    private readonly CancellationTokenSource _life = new();
    private bool _interactive;
    private SceneCut? _cut;
    private List<CutShot> _playable = [];
    private int _index;
    private string? _error;

    /// <summary>The project, from the route.</summary>
    [Parameter] public Guid ProjectId { get; set; }

    /// <summary>The scene, from the route.</summary>
    [Parameter] public Guid SceneId { get; set; }

    [Inject] private SceneExporter Exporter { get; set; } = default!;

    [Inject] private IStringLocalizer<WorkspaceStrings> L { get; set; } = default!;

    [Inject] private WorkspaceMessages Messages { get; set; } = default!;

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _interactive = true;
        StateHasChanged();
    }

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        try
        {
            _cut = await Exporter.GetCutAsync(SceneId, _life.Token);
            _playable = [.. _cut.Playable];
            _index = 0;
        }
        catch (WorkspaceException e)
        {
            _error = Messages.Describe(e);
        }
    }

    private void PlayNext()
    {
        if (_index < _playable.Count - 1) _index++;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _life.Cancel();
        _life.Dispose();
    }
}
