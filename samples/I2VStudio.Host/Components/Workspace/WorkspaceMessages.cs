using System.Globalization;
using I2VStudio.Host.Resources;
using I2VStudio.Workspace;
using Microsoft.Extensions.Localization;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>Turns a refused workspace request into the user's language (<c>ws.error.{Code}</c>).</summary>
public static class WorkspaceMessages
{
    /// <summary>The message for <paramref name="error"/>.</summary>
    public static string Describe(this IStringLocalizer<WorkspaceStrings> localizer, WorkspaceException error)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(error);
        var format = localizer[$"ws.error.{error.Code}"].Value;
        return string.Format(CultureInfo.CurrentCulture, format, [.. error.Arguments]);
    }

    /// <summary>Runs <paramref name="action"/>; returns the message of the <see cref="WorkspaceException"/> it threw, or null.</summary>
    public static async Task<string?> ErrorOfAsync(this IStringLocalizer<WorkspaceStrings> localizer, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return null;
        }
        catch (WorkspaceException e)
        {
            return localizer.Describe(e);
        }
    }
}
