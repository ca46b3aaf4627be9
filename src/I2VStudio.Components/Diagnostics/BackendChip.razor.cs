using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Diagnostics;

/// <summary>
/// A small header chip naming the backend's API version (VideoGen or Legacy); on VideoGen its tooltip lists what
/// <c>/v1/capabilities/status</c> reports (tts, imagegen, videogen, llm). Reads once, after the first interactive render.
/// </summary>
public sealed partial class BackendChip : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private BackendFeatures? _features;
    private string? _error;
    private bool _loaded;

    [Inject] private BackendFeaturesReader Reader { get; set; } = default!;
    [Inject] private IStringLocalizer<ShellStrings> L { get; set; } = default!;

    /// <summary>Extra CSS classes for the chip. Default none.</summary>
    [Parameter] public string? Class { get; set; }

    private string Label => _features is null ? L["caps.chip_unknown"]
        : _features.IsVideoGen ? L["caps.chip_videogen"] : L["caps.chip_legacy"];

    private string Tooltip
    {
        get
        {
            if (_features is null) return _error ?? "";
            if (!_features.IsVideoGen) return L["caps.tooltip_legacy"];
            if (_features.Capabilities is not { } capabilities) return _features.CapabilitiesError ?? "";
            return string.Join(" · ", capabilities.Capabilities.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c =>
                StudioFormat.LabelValue(c.Key, c.Value.IsAvailable ? L["diag.capability_available"] : L["diag.capability_unavailable"])));
        }
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            _features = await Reader.ReadAsync(_cts.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (TurboDiffusionApiException ex)
        {
            _error = ex.Message;
        }

        _loaded = true;
        StateHasChanged();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
