namespace I2VStudio.Host.Resources;

/// <summary>Marker for the workspace pages' texts (<c>Resources/WorkspaceStrings.resx</c> and its <c>zh-CN</c> twin).</summary>
public sealed class WorkspaceStrings
{
    private WorkspaceStrings()
    {
    }
}
