using TurboDiffusion.Client;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components;

/// <summary>Reads <see cref="BackendFeatures"/>: the profile (detected once by the client) and, on VideoGen, the capabilities.</summary>
/// <param name="profiles">The client's profile resolver.</param>
/// <param name="api">The backend API.</param>
public sealed class BackendFeaturesReader(IBackendProfileResolver profiles, ITurboDiffusionApi api)
{
    /// <summary>
    /// Reads the features. Throws <see cref="TurboDiffusionApiException"/> when the profile cannot be resolved (the
    /// backend is unreachable); a capabilities failure is kept in <see cref="BackendFeatures.CapabilitiesError"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<BackendFeatures> ReadAsync(CancellationToken cancellationToken)
    {
        var profile = await profiles.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        if (profile != BackendProfile.VideoGen) return new BackendFeatures(profile);
        try
        {
            return new BackendFeatures(profile, await api.GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (TurboDiffusionApiException ex)
        {
            return new BackendFeatures(profile, null, ex.Message);
        }
    }

    /// <summary>
    /// <see cref="ReadAsync"/>, or null when the backend cannot be reached now or <paramref name="cancellationToken"/>
    /// fired (the page closed): a page then offers what every backend takes.
    /// </summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<BackendFeatures?> TryReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TurboDiffusionApiException)
        {
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
