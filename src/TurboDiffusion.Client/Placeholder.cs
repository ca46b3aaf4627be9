namespace TurboDiffusion.Client;

/// <summary>Placeholder.</summary>
public static class Placeholder
{
    /// <summary>Placeholder.</summary>
    public static int Value => 1;
}
