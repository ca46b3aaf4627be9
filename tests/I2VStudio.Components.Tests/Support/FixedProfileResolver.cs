using TurboDiffusion.Client;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Tests.Support;

/// <summary>A profile resolver that answers what the test set (Legacy by default), or fails like an unreachable backend.</summary>
internal sealed class FixedProfileResolver : IBackendProfileResolver
{
    public BackendProfile Profile { get; set; } = BackendProfile.Legacy;

    public TurboDiffusionApiException? Failure { get; set; }

    public BackendProfile Configured { get; set; } = BackendProfile.Auto;

    public BackendProfile? Current => Failure is null ? Profile : null;

    public ValueTask<BackendProfile> GetProfileAsync(CancellationToken cancellationToken) =>
        Failure is { } failure ? ValueTask.FromException<BackendProfile>(failure) : ValueTask.FromResult(Profile);

    public void Invalidate()
    {
    }
}
