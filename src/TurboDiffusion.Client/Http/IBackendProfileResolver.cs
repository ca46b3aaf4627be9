namespace TurboDiffusion.Client.Http;

/// <summary>
/// The API version the backend speaks, resolved once: fixed by <see cref="TurboDiffusionOptions.Profile"/>, or detected
/// from <c>GET /openapi.json</c> when it is <see cref="BackendProfile.Auto"/>. Registered as a singleton.
/// </summary>
public interface IBackendProfileResolver
{
    /// <summary>The profile as configured (possibly <see cref="BackendProfile.Auto"/>).</summary>
    BackendProfile Configured { get; }

    /// <summary>The resolved profile (<see cref="BackendProfile.Legacy"/> or <see cref="BackendProfile.VideoGen"/>), or null before detection.</summary>
    BackendProfile? Current { get; }

    /// <summary>Returns the resolved profile, detecting it first when needed. Throws <see cref="TurboDiffusionApiException"/> when detection fails.</summary>
    /// <param name="cancellationToken">Cancels this caller's wait (a detection in progress continues for others).</param>
    ValueTask<BackendProfile> GetProfileAsync(CancellationToken cancellationToken);

    /// <summary>Forgets a detected profile, so the next call detects again (a job route answered 404). No effect on a fixed profile.</summary>
    void Invalidate();
}
