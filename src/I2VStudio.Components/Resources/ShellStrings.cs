namespace I2VStudio.Components.Resources;

/// <summary>
/// Marker for the texts of the studio's shell parts (diagnostics, storage and notification messages):
/// <c>IStringLocalizer&lt;ShellStrings&gt;</c> reads <c>Resources/ShellStrings.resx</c> and its <c>zh-CN</c> twin.
/// </summary>
public sealed class ShellStrings
{
    private ShellStrings()
    {
    }
}
