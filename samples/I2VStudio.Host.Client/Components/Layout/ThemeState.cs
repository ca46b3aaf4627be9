namespace I2VStudio.Host.Components.Layout;

/// <summary>The circuit's light/dark choice, shared down the tree; starts from the request's cookie.</summary>
public sealed class ThemeState(bool isDark)
{
    /// <summary>The theme cookie's name; its value is <c>dark</c> or <c>light</c>.</summary>
    public const string CookieName = "i2v.theme";

    /// <summary>True for the dark palette.</summary>
    public bool IsDark { get; private set; } = isDark;

    /// <summary>Raised after <see cref="IsDark"/> changed.</summary>
    public event Action? Changed;

    /// <summary>Switches between light and dark.</summary>
    public void Toggle()
    {
        IsDark = !IsDark;
        Changed?.Invoke();
    }
}
