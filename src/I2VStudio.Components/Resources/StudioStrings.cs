namespace I2VStudio.Components.Resources;

/// <summary>
/// Marker for the studio's texts (<c>Resources/StudioStrings.resx</c>, English, and <c>StudioStrings.zh-CN.resx</c>):
/// inject <c>IStringLocalizer&lt;StudioStrings&gt;</c>. Keys follow the design glossary (<c>input.prompt</c>, <c>phase.running</c>, …).
/// </summary>
/// <remarks>
/// The namespace matches the folder, so the default resource lookup finds the files; an app must therefore not set a
/// global <c>LocalizationOptions.ResourcesPath</c> (it would redirect this library's lookups too).
/// </remarks>
public sealed class StudioStrings
{
    private StudioStrings()
    {
    }
}
