using I2VStudio.Workspace.Assets;
using Microsoft.AspNetCore.Components.Server.Circuits;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// Per circuit (one user's studio on the server): every image that circuit's tracker submits from <c>/tools/i2v</c>
/// becomes an asset (<see cref="SubmittedImageRecorder"/>). In the WebAssembly render mode the tracker runs in the
/// browser and no circuit sees it, so nothing is recorded there.
/// </summary>
internal sealed class SubmittedImagesCircuitHandler(IServiceProvider circuitServices, SubmittedImageRecorder recorder) : CircuitHandler, IDisposable
{
    private IDisposable? _watch;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _watch ??= recorder.Watch(circuitServices.GetRequiredService<IJobTracker>(), circuitServices.GetRequiredService<IJobBlobStore>());
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watch?.Dispose();
        _watch = null;
    }
}
