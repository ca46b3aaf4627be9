using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Diagnostics;

/// <summary>One timed call: the answer or the error text, and how long it took.</summary>
/// <typeparam name="T">The answer's type.</typeparam>
/// <param name="Value">The answer, or null when the call failed.</param>
/// <param name="Error">Why the call failed (the backend's or the client's words), or null.</param>
/// <param name="RoundTrip">How long the call took.</param>
public sealed record DiagnosticsProbe<T>(T? Value, string? Error, TimeSpan RoundTrip) where T : class;

/// <summary>
/// What the backend says about itself, fetched on request: its API version and capabilities, <c>/health</c>,
/// <c>/paths</c> and the models route, each timed; a failed call keeps its error as text and the others still show.
/// The diagnostics view owns one (<see cref="DiagnosticsPage"/>), calls <see cref="RefreshAsync"/>, and passes it to
/// <see cref="DiagnosticsPanel"/>, which only renders it. A plain class; <see cref="Changed"/> may be raised off the
/// renderer's thread.
/// </summary>
public sealed class BackendDiagnostics : IDisposable
{
    private readonly ITurboDiffusionApi _api;
    private readonly BackendFeaturesReader _features;
    private readonly TimeProvider _time;
    private CancellationTokenSource? _load;
    private bool _disposed;

    /// <summary>Creates the diagnostics; nothing is called until <see cref="RefreshAsync"/>.</summary>
    public BackendDiagnostics(ITurboDiffusionApi api, BackendFeaturesReader features, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(time);
        _api = api;
        _features = features;
        _time = time;
    }

    /// <summary>Raised when a check starts and when it ends.</summary>
    public event EventHandler? Changed;

    /// <summary>The result of <c>GET /health</c>; null before the first check.</summary>
    public DiagnosticsProbe<HealthResponse>? Health { get; private set; }

    /// <summary>The result of <c>GET /paths</c>; null before the first check.</summary>
    public DiagnosticsProbe<PathsResponse>? Paths { get; private set; }

    /// <summary>The result of the models route; null before the first check.</summary>
    public DiagnosticsProbe<ModelsResponse>? Models { get; private set; }

    /// <summary>The API version and, on VideoGen, the capabilities; null before the first check.</summary>
    public DiagnosticsProbe<BackendFeatures>? Features { get; private set; }

    /// <summary>True while a check is running.</summary>
    public bool Loading { get; private set; }

    /// <summary>When the last check finished (local time).</summary>
    public DateTimeOffset? CheckedAt { get; private set; }

    /// <summary>
    /// Runs the calls at once, timing each; a newer refresh cancels an older one (whose answers are dropped), and so
    /// do <paramref name="cancellationToken"/> and <see cref="Dispose"/>.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _load?.Cancel();
        _load?.Dispose();
        var load = _load = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Loading = true;
        OnChanged();

        var health = ProbeAsync(_api.GetHealthAsync, load.Token);
        var paths = ProbeAsync(_api.GetPathsAsync, load.Token);
        var models = ProbeAsync(_api.GetModelsAsync, load.Token);
        var features = ProbeAsync(_features.ReadAsync, load.Token);
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
        CheckedAt = _time.GetLocalNow();
        Loading = false;
        OnChanged();
    }

    private async Task<DiagnosticsProbe<T>> ProbeAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        var started = _time.GetTimestamp();
        try
        {
            var value = await call(cancellationToken);
            return new DiagnosticsProbe<T>(value, null, _time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TurboDiffusionApiException ex)
        {
            var status = ex.StatusCode is { } code ? $" (HTTP {(int)code})" : "";
            return new DiagnosticsProbe<T>(null, ex.Message + status, _time.GetElapsedTime(started));
        }
#pragma warning disable CA1031 // Diagnostics must show any failure as text rather than break the page.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new DiagnosticsProbe<T>(null, ex.Message, _time.GetElapsedTime(started));
        }
    }

    private void OnChanged()
    {
        if (!_disposed) Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Cancels a running check; no <see cref="Changed"/> after this.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Changed = null;
        _load?.Cancel();
        _load?.Dispose();
        _load = null;
    }
}
