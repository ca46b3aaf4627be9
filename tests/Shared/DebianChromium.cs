using Microsoft.Playwright;

namespace I2VStudio.Testing;

/// <summary>
/// Debian's Chromium through Playwright, launched as STACK.md says: headless, these flags, nothing downloaded. Shared as
/// source by the E2E and packaging tests and the bench, so the three launch the same browser the same way.
/// </summary>
internal static class DebianChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static IReadOnlyList<string> Args { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static bool IsInstalled => File.Exists(ExecutablePath);

    /// <summary>Launches it headless, allowing a minute for a slow start on a busy 2-core machine.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Args = Args,
        Timeout = 60_000,
    });
}
