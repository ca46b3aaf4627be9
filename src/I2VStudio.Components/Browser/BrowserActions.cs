using Microsoft.JSInterop;

namespace I2VStudio.Components.Browser;

/// <summary>Whether the user lets the studio show system notifications.</summary>
public enum BrowserNotificationState
{
    /// <summary>Not asked yet.</summary>
    Default,
    /// <summary>Allowed.</summary>
    Granted,
    /// <summary>Refused; the browser will not ask again.</summary>
    Denied,
    /// <summary>This browser has no notifications.</summary>
    Unsupported,
}

/// <summary>
/// Small browser actions: copy to the clipboard, system notifications, the "(n) " unseen badge in the tab title,
/// and downloads through a temporary <c>&lt;a download&gt;</c>. One per user session; call after the first render.
/// </summary>
public sealed class BrowserActions : IAsyncDisposable
{
    /// <summary>The module's file name under <c>_content/I2VStudio.Components/js/</c>.</summary>
    public const string ModuleFile = "browserActions.js";

    private readonly JsModule _module;
    private int _lastBadge = -1;

    /// <summary>Creates the actions.</summary>
    public BrowserActions(IJSRuntime js)
    {
        ArgumentNullException.ThrowIfNull(js);
        _module = new JsModule(js, ModuleFile);
    }

    /// <summary>Copies text to the clipboard; false when the browser refused.</summary>
    public async Task<bool> CopyTextAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        return await _module.InvokeAsync<bool>("copyText", cancellationToken, text).ConfigureAwait(false);
    }

    /// <summary>The current notification permission, without asking.</summary>
    public async Task<BrowserNotificationState> GetNotificationPermissionAsync(CancellationToken cancellationToken) =>
        Parse(await _module.InvokeAsync<string>("notificationPermission", cancellationToken).ConfigureAwait(false));

    /// <summary>Asks for notification permission if not asked yet (call it on the first submit, not on load).</summary>
    public async Task<BrowserNotificationState> RequestNotificationPermissionAsync(CancellationToken cancellationToken) =>
        Parse(await _module.InvokeAsync<string>("requestNotificationPermission", cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Shows a system notification when permitted and the tab is in the background (in front, the snackbar says it).
    /// Returns whether one was shown.
    /// </summary>
    public async Task<bool> ShowNotificationAsync(string title, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(title);
        return await _module.InvokeAsync<bool>("showNotification", cancellationToken, title, body ?? "", "i2v-studio").ConfigureAwait(false);
    }

    /// <summary>Prefixes the tab title with <c>(n) </c> (nothing for 0). Repeated counts cost no JS call.</summary>
    public async Task SetTitleBadgeAsync(int unseen, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unseen);
        if (Interlocked.Exchange(ref _lastBadge, unseen) == unseen) return;
        try
        {
            await _module.InvokeVoidAsync("setTitleBadge", cancellationToken, unseen).ConfigureAwait(false);
        }
        catch
        {
            Volatile.Write(ref _lastBadge, -1); // not applied: try again next time
            throw;
        }
    }

    /// <summary>Starts a download of <paramref name="url"/> (same origin, e.g. <c>/_i2v/download/{ticket}</c>) as <paramref name="fileName"/>.</summary>
    public async Task DownloadAsync(string url, string fileName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        await _module.InvokeVoidAsync("download", cancellationToken, url, fileName ?? "").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _module.DisposeAsync();

    private static BrowserNotificationState Parse(string? value) => value switch
    {
        "granted" => BrowserNotificationState.Granted,
        "denied" => BrowserNotificationState.Denied,
        "default" => BrowserNotificationState.Default,
        _ => BrowserNotificationState.Unsupported,
    };
}
