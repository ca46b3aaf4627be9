using System.Globalization;
using I2VStudio.Components;
using I2VStudio.Components.Resources;
using I2VStudio.Host.Resources;
using I2VStudio.Workspace;
using Microsoft.Extensions.Localization;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>Turns a refused workspace request into the user's language: <c>ws.error.{Code}</c>, except a clip length,
/// which the I2V form's own sentence (<c>error.duration_range</c>) describes, so the two never say it differently.</summary>
/// <param name="workspace">The workspace pages' texts.</param>
/// <param name="studio">The I2V tool's texts.</param>
public sealed class WorkspaceMessages(IStringLocalizer<WorkspaceStrings> workspace, IStringLocalizer<StudioStrings> studio)
{
    /// <summary>The message for <paramref name="error"/>.</summary>
    public string Describe(WorkspaceException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is { Code: WorkspaceError.DurationOutOfRange, Arguments: [double maxSeconds] })
            return studio["error.duration_range", StudioFormat.Seconds(maxSeconds)];
        var format = workspace[$"ws.error.{error.Code}"].Value;
        return string.Format(CultureInfo.CurrentCulture, format, [.. error.Arguments]);
    }

    /// <summary>"1 shot", "3 shots": <c>ws.count.{noun}.one</c> for exactly one, <c>.other</c> otherwise (English's rule;
    /// Chinese says both alike).</summary>
    /// <param name="noun">chapter, scene or shot.</param>
    /// <param name="count">How many.</param>
    public string Count(string noun, int count) =>
        string.Format(CultureInfo.CurrentCulture, workspace[$"ws.count.{noun}.{(count == 1 ? "one" : "other")}"].Value, count);

    /// <summary>Runs <paramref name="action"/>; returns the message of the <see cref="WorkspaceException"/> it threw, or null.</summary>
    public async Task<string?> ErrorOfAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return null;
        }
        catch (WorkspaceException e)
        {
            return Describe(e);
        }
    }
}
