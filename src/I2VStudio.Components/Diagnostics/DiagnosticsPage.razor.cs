using Microsoft.AspNetCore.Components;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Diagnostics;

/// <summary>
/// The diagnostics screen: owns a <see cref="BackendDiagnostics"/>, checks the backend after the first interactive
/// render (never while prerendering) and on Refresh, and shows the result in a <see cref="DiagnosticsPanel"/>. No
/// <c>@page</c>: the host routes to it (e.g. <c>/diagnostics</c>).
/// </summary>
public sealed partial class DiagnosticsPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private BackendDiagnostics _diagnostics = default!;

    [Inject] private ITurboDiffusionApi Api { get; set; } = default!;
    [Inject] private BackendFeaturesReader FeaturesReader { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>Extra CSS classes for the panel's root. Default none.</summary>
    [Parameter] public string? Class { get; set; }

    /// <summary>
    /// The backend address to show. Default null: the configured <c>TurboDiffusion:BaseUrl</c>. A host whose studio runs
    /// in the browser and reaches the backend through a same-origin proxy passes the backend behind the proxy here.
    /// </summary>
    [Parameter] public string? BackendUrl { get; set; }

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        _diagnostics = new BackendDiagnostics(Api, FeaturesReader, Time);
        _diagnostics.Changed += OnDiagnosticsChanged;
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender) await RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        try
        {
            await _diagnostics.RefreshAsync(_cts.Token);
        }
        catch (ObjectDisposedException)
        {
            // The page went away while the refresh was asked for.
        }
    }

    private void OnDiagnosticsChanged(object? sender, EventArgs e) => _ = InvokeAsync(StateHasChanged);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_diagnostics is not null)
        {
            _diagnostics.Changed -= OnDiagnosticsChanged;
            _diagnostics.Dispose();
        }
        _cts.Cancel();
        _cts.Dispose();
    }
}
