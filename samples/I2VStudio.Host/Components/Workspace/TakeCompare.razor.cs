using I2VStudio.Host.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>One video of a comparison.</summary>
/// <param name="Url">The video (a captured take's asset).</param>
/// <param name="Label">What it is, e.g. its seed.</param>
public sealed record TakeClip(string Url, string Label);

/// <summary>
/// 2–4 takes side by side, played in sync: the first video leads; one play/pause button and one position slider drive
/// all of them, and followers that drift are pulled back to the leader. The browser does the syncing (the module
/// beside this file), so nothing crosses the circuit per frame. Remount it (a new <c>@key</c>) for another set of clips.
/// </summary>
public sealed partial class TakeCompare : IAsyncDisposable
{
    private readonly string _headingId = "compare-" + Guid.NewGuid().ToString("N")[..8];
    private ElementReference _root;
    private IJSObjectReference? _module;
    private IJSObjectReference? _sync;
    private bool _attached;
    private bool _disposed;

    /// <summary>The videos, 2–4.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<TakeClip> Clips { get; set; } = [];

    /// <summary>Raised by the close button.</summary>
    [Parameter] public EventCallback OnClose { get; set; }

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private IStringLocalizer<WorkspaceStrings> L { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Workspace/TakeCompare.razor.js");
            if (_disposed) return;
            _sync = await _module.InvokeAsync<IJSObjectReference>("attach", _root);
            _attached = true;
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away during the first render: nothing to wire.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        try
        {
            if (_sync is not null)
            {
                await _sync.InvokeVoidAsync("dispose");
                await _sync.DisposeAsync();
            }
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone, and its listeners with it.
        }
    }
}
