using TurboDiffusion.Client;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Host.Tests.Support;

/// <summary>A backend whose API version is known only when the test says so (<see cref="Answer"/>): until then every
/// read waits, like a backend that does not answer.</summary>
internal sealed class GatedProfileResolver : IBackendProfileResolver
{
    private readonly TaskCompletionSource<BackendProfile> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BackendProfile Configured => BackendProfile.Auto;

    public BackendProfile? Current => _answer.Task.IsCompletedSuccessfully ? _answer.Task.Result : null;

    public ValueTask<BackendProfile> GetProfileAsync(CancellationToken cancellationToken) =>
        new(_answer.Task.WaitAsync(cancellationToken));

    /// <summary>The backend answers: it speaks <paramref name="profile"/>.</summary>
    public void Answer(BackendProfile profile) => _answer.TrySetResult(profile);

    public void Invalidate()
    {
    }
}
