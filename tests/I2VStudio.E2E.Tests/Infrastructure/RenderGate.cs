using TurboDiffusion.Emulator;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// A gate in front of the emulator's video engine: while held, every job that reaches its render waits (in DB status
/// RUNNING, Celery STARTED) until the test releases it. "Mid-job" is then a state the test holds, not a race against
/// a timer. It survives emulator restarts (the handle puts it in front of every new engine).
/// </summary>
public sealed class RenderGate
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _open = Opened();

    /// <summary>Jobs reaching their render from now on wait.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Waiting jobs render now, and later ones do not wait.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _open.TrySetResult();
        }
    }

    internal Task PassAsync(CancellationToken cancellationToken)
    {
        Task open;
        lock (_gate)
        {
            open = _open.Task;
        }

        return open.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    /// <summary>The emulator's own engine behind the gate.</summary>
    internal sealed class GatedEngine(IVideoEngine inner, RenderGate gate) : IVideoEngine
    {
        public VideoEngineInfo Describe() => inner.Describe();

        public async Task RenderAsync(VideoRenderRequest request, CancellationToken cancellationToken)
        {
            await gate.PassAsync(cancellationToken);
            await inner.RenderAsync(request, cancellationToken);
        }
    }
}
