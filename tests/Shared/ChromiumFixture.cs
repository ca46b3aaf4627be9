using Microsoft.Playwright;

namespace I2VStudio.Testing;

/// <summary>
/// <see cref="DebianChromium"/>, launched once for a test assembly (an xunit assembly fixture). When the browser is
/// missing or cannot start, every test that asks for it fails with a message saying so — never a silent skip.
/// </summary>
public abstract class ChromiumFixture : IAsyncLifetime
{
    private readonly float _expectTimeout;
    private readonly string _suite;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _launchProblem;

    /// <param name="expectTimeout">Playwright's default auto-wait for assertions, in milliseconds.</param>
    /// <param name="suite">Who never downloads a browser, for the message when Chromium is missing (e.g. "these tests").</param>
    protected ChromiumFixture(float expectTimeout, string suite)
    {
        _expectTimeout = expectTimeout;
        _suite = suite;
    }

    /// <summary>The browser; throws with the launch problem when Chromium could not start.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(_launchProblem ?? "The browser fixture was not initialised.");

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(_expectTimeout);
        if (!DebianChromium.IsInstalled)
        {
            _launchProblem = $"Chromium is not installed at {DebianChromium.ExecutablePath}. Install it with `apt-get install -y chromium` " +
                             $"(./test.sh does this); {_suite} never download a browser.";
            return;
        }

        try
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await DebianChromium.LaunchAsync(_playwright);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or InvalidOperationException)
        {
            // Keep the reason; each test then fails loudly with it (an assembly fixture that throws is reported once,
            // less visibly, and hides which tests did not run).
            _launchProblem = $"Chromium at {DebianChromium.ExecutablePath} failed to launch: {e.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        GC.SuppressFinalize(this);
    }
}
