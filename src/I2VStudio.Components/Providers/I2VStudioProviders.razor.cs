using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace I2VStudio.Components;

/// <summary>
/// The MudBlazor providers the studio needs, once in the host's layout: theme (with the studio's theme and a dark
/// mode switch), popovers, dialogs and snackbars.
/// </summary>
public partial class I2VStudioProviders
{
    private MudTheme _theme = StudioTheme.Create();

    /// <summary>Use the dark palette. Default false.</summary>
    [Parameter] public bool IsDarkMode { get; set; }

    /// <summary>A theme to use instead of <see cref="StudioTheme.Create"/>. Default null.</summary>
    [Parameter] public MudTheme? Theme { get; set; }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Theme is not null) _theme = Theme;
    }
}
