using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>Makes random seeds for the Random button, Retry with a new seed and Variants (replaceable in tests).</summary>
public interface ISeedGenerator
{
    /// <summary>A seed from 0 to <see cref="I2VParams.MaxSeed"/>.</summary>
    long NextSeed();
}

/// <summary>Seeds from <see cref="Random.Shared"/>; seeds pick a picture, they protect nothing, so no crypto RNG.</summary>
public sealed class RandomSeedGenerator : ISeedGenerator
{
    /// <inheritdoc />
#pragma warning disable CA5394 // Not security relevant: a seed only varies the generated video.
    public long NextSeed() => Random.Shared.NextInt64(0, I2VParams.MaxSeed + 1);
#pragma warning restore CA5394
}
