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
/// configured backend URL, and the round-trip time of each call. Renders the <see cref="BackendDiagnostics"/> it is
/// given and raises <see cref="OnRefresh"/>; the owner (e.g. <see cref="DiagnosticsPage"/>) makes the calls. Errors
/// are shown as plain text.
/// </summary>
public sealed partial class DiagnosticsPanel : ComponentBase
{
    [Inject] private IOptions<TurboDiffusionOptions> Options { get; set; } = default!;
    [Inject] private IStringLocalizer<ShellStrings> L { get; set; } = default!;

    /// <summary>What to show: the owner's latest check. Default null: nothing checked yet.</summary>
    [Parameter, EditorRequired] public BackendDiagnostics? Diagnostics { get; set; }

    /// <summary>Raised by "Refresh".</summary>
    [Parameter] public EventCallback OnRefresh { get; set; }

    /// <summary>Extra CSS classes for the panel's root. Default none.</summary>
    [Parameter] public string? Class { get; set; }

    /// <summary>
    /// The backend address to show. Default null: the configured <c>TurboDiffusion:BaseUrl</c>. A host whose studio runs
    /// in the browser and reaches the backend through a same-origin proxy passes the backend behind the proxy here.
    /// </summary>
    [Parameter] public string? BackendUrl { get; set; }

    private DiagnosticsProbe<HealthResponse>? Health => Diagnostics?.Health;

    private DiagnosticsProbe<PathsResponse>? Paths => Diagnostics?.Paths;

    private DiagnosticsProbe<ModelsResponse>? Models => Diagnostics?.Models;

    private DiagnosticsProbe<BackendFeatures>? Features => Diagnostics?.Features;

    private bool Loading => Diagnostics?.Loading == true;

    private DateTimeOffset? CheckedAt => Diagnostics?.CheckedAt;

    private string ModelsRoute => "GET " + (Features?.Value?.IsVideoGen == true ? VideoGenRoutes.Models : TurboDiffusionRoutes.Models);

    private string ShownBackendUrl => !string.IsNullOrWhiteSpace(BackendUrl) ? BackendUrl : Options.Value.BaseUrl?.ToString() ?? L["diag.not_configured"];

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
}
