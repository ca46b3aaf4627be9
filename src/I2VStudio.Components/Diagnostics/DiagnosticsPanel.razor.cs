using System.Text.Json;
using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Diagnostics;

/// <summary>
/// Shows what the backend says about itself: its API version (Legacy or VideoGen, and whether Lost detection works on
/// it), on VideoGen <c>/v1/capabilities/status</c>, <c>/health</c>, <c>/paths</c> and the models route (each model file
/// with exists yes/no and its path, the emulator's <c>engine</c> field when present, VideoGen's <c>error</c>), the
/// configured backend URL, and the round-trip time of each call. Loads after the first interactive render (never while
/// prerendering) and again on Refresh; errors are shown as plain text.
/// </summary>
public sealed partial class DiagnosticsPanel : ComponentBase, IDisposable
{
    private CancellationTokenSource? _load;

    [Inject] private ITurboDiffusionApi Api { get; set; } = default!;
    [Inject] private IOptions<TurboDiffusionOptions> Options { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IStringLocalizer<ShellStrings> L { get; set; } = default!;
    [Inject] private BackendFeaturesReader FeaturesReader { get; set; } = default!;

    /// <summary>Extra CSS classes for the panel's root. Default none.</summary>
    [Parameter] public string? Class { get; set; }

    /// <summary>
    /// The backend address to show. Default null: the configured <c>TurboDiffusion:BaseUrl</c>. A host whose studio runs
    /// in the browser and reaches the backend through a same-origin proxy passes the backend behind the proxy here.
    /// </summary>
    [Parameter] public string? BackendUrl { get; set; }

    /// <summary>The result of <c>GET /health</c>; null before the first check.</summary>
    internal Probe<HealthResponse>? Health { get; private set; }

    /// <summary>The result of <c>GET /paths</c>; null before the first check.</summary>
    internal Probe<PathsResponse>? Paths { get; private set; }

    /// <summary>The result of the models route; null before the first check.</summary>
    internal Probe<ModelsResponse>? Models { get; private set; }

    /// <summary>The API version and, on VideoGen, the capabilities; null before the first check.</summary>
    internal Probe<BackendFeatures>? Features { get; private set; }

    private string ModelsRoute => "GET " + (Features?.Value?.IsVideoGen == true ? VideoGenRoutes.Models : TurboDiffusionRoutes.Models);

    /// <summary>True while a check is running.</summary>
    internal bool Loading { get; private set; }

    /// <summary>When the last check finished (local time of the server).</summary>
    internal DateTimeOffset? CheckedAt { get; private set; }

    private string ShownBackendUrl => !string.IsNullOrWhiteSpace(BackendUrl) ? BackendUrl : Options.Value.BaseUrl?.ToString() ?? L["diag.not_configured"];

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender) await RefreshAsync();
    }

    /// <summary>Runs the calls at once, timing each; a newer refresh cancels an older one.</summary>
    internal async Task RefreshAsync()
    {
        _load?.Cancel();
        _load?.Dispose();
        var load = _load = new CancellationTokenSource();
        Loading = true;
        StateHasChanged();

        var health = ProbeAsync(Api.GetHealthAsync, load.Token);
        var paths = ProbeAsync(Api.GetPathsAsync, load.Token);
        var models = ProbeAsync(Api.GetModelsAsync, load.Token);
        var features = ProbeAsync(FeaturesReader.ReadAsync, load.Token);
        try
        {
            await Task.WhenAll(health, paths, models, features);
        }
        catch (OperationCanceledException)
        {
            return; // superseded by a newer refresh, or disposed
        }

        if (load.IsCancellationRequested) return;
        (Health, Paths, Models, Features) = (health.Result, paths.Result, models.Result, features.Result);
        CheckedAt = Time.GetLocalNow();
        Loading = false;
        StateHasChanged();
    }

    private async Task<Probe<T>> ProbeAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        var started = Time.GetTimestamp();
        try
        {
            var value = await call(cancellationToken);
            return new Probe<T>(value, null, Time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TurboDiffusionApiException ex)
        {
            var status = ex.StatusCode is { } code ? $" (HTTP {(int)code})" : "";
            return new Probe<T>(null, ex.Message + status, Time.GetElapsedTime(started));
        }
#pragma warning disable CA1031 // Diagnostics must show any failure as text rather than break the page.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new Probe<T>(null, ex.Message, Time.GetElapsedTime(started));
        }
    }

    /// <summary>An extension field's value as plain text: strings as they are, anything else as indented JSON.</summary>
    internal static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "—",
        JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number => value.GetRawText(),
        _ => JsonSerializer.Serialize(value, IndentedJson),
    };

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static string Milliseconds(TimeSpan elapsed) => Math.Round(elapsed.TotalMilliseconds).ToString("0", System.Globalization.CultureInfo.CurrentCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        _load?.Cancel();
        _load?.Dispose();
        _load = null;
    }

    /// <summary>One timed call: the answer or the error text, and how long it took.</summary>
    internal sealed record Probe<T>(T? Value, string? Error, TimeSpan RoundTrip) where T : class;
}
