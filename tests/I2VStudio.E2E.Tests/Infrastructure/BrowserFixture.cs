using Microsoft.Playwright;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, launched once for the assembly (launch settings from STACK.md). Nothing is downloaded. When the
/// browser is missing or cannot start, every test fails with a message saying so — never a silent skip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _launchProblem;

    /// <summary>The browser; throws with the launch problem when Chromium could not start.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(_launchProblem ?? "The browser fixture was not initialised.");

    public async ValueTask InitializeAsync()
    {
        // Generous auto-wait for assertions: a job renders a real video with ffmpeg on a 2-core machine.
        Assertions.SetDefaultExpectTimeout(Timeouts.Action);
        if (!File.Exists(ExecutablePath))
        {
            _launchProblem = $"Chromium is not installed at {ExecutablePath}. Install it with `apt-get install -y chromium` " +
                             "(./test.sh does this); the E2E tests never download a browser.";
            return;
        }

        try
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = LaunchArgs,
                Timeout = 60_000,
            });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or InvalidOperationException)
        {
            // Keep the reason; each test then fails loudly with it (an assembly fixture that throws is reported once,
            // less visibly, and hides which tests did not run).
            _launchProblem = $"Chromium at {ExecutablePath} failed to launch: {e.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
