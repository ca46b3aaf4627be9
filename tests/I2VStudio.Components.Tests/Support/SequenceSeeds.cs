namespace I2VStudio.Components.Tests.Support;

/// <summary>Seeds from a fixed list, in order, so tests know which seed each action used.</summary>
internal sealed class SequenceSeeds(params long[] seeds) : ISeedGenerator
{
    private int _next;

    public long NextSeed() => seeds[_next++ % seeds.Length];
}
