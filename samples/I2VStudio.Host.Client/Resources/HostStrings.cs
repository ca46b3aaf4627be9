namespace I2VStudio.Host.Resources;

/// <summary>Marker for the host's own texts (<c>Resources/HostStrings.resx</c> and its <c>zh-CN</c> twin).</summary>
public sealed class HostStrings
{
    private HostStrings()
    {
    }
}
