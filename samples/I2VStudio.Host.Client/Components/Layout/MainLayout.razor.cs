using System.Globalization;
using I2VStudio.Host.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace I2VStudio.Host.Components.Layout;

/// <summary>The host's frame: app bar (name, emulator marker, backend API chip, language, theme), navigation drawer, content.</summary>
public sealed partial class MainLayout : IAsyncDisposable
{
    private static readonly (string Culture, string Name)[] Languages = [("en", "English"), ("zh-CN", "简体中文")];

    private bool _drawerOpen = true;
    private IJSObjectReference? _module;

    [CascadingParameter] private ThemeState Theme { get; set; } = default!;
    [Inject] private IStringLocalizer<HostStrings> L { get; set; } = default!;
    [CascadingParameter] private HostInfo Host { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <inheritdoc />
    protected override void OnInitialized() => Theme.Changed += OnThemeChanged;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private static bool IsCurrent(string culture) =>
        string.Equals(CultureInfo.CurrentUICulture.Name, culture, StringComparison.OrdinalIgnoreCase);

    // The culture is fixed per circuit, so a language change goes through the cookie endpoint and reloads.
    private void SwitchLanguage(string culture)
    {
        var here = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
        Navigation.NavigateTo($"_culture/set?culture={Uri.EscapeDataString(culture)}&redirectUri={Uri.EscapeDataString(here)}", forceLoad: true);
    }

    private async Task ToggleThemeAsync()
    {
        Theme.Toggle();
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/preferences.js");
            await _module.InvokeVoidAsync("setThemeCookie", ThemeState.CookieName, Theme.IsDark ? "dark" : "light");
        }
        catch (JSException)
        {
            // Cookies blocked: the theme still applies to this visit.
        }
    }

    private void OnThemeChanged() => InvokeAsync(StateHasChanged);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Theme.Changed -= OnThemeChanged;
        if (_module is null) return;
        try
        {
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the module with it.
        }
    }
}
