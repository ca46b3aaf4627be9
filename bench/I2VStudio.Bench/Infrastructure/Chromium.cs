using I2VStudio.Testing;
using Microsoft.Playwright;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>Debian's Chromium through Playwright, launched as STACK.md says (<see cref="DebianChromium"/>; nothing downloaded).</summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public int? Pid { get; private set; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!DebianChromium.IsInstalled)
        {
            throw new InvalidOperationException($"Chromium is not installed at {DebianChromium.ExecutablePath}: apt-get install -y chromium (./bench.sh does this).");
        }

        var before = ChromiumPids();
        var playwright = await Playwright.CreateAsync();
        var browser = await DebianChromium.LaunchAsync(playwright);
        var started = ChromiumPids().Except(before).Order().ToList();
        return new Chromium(playwright, browser) { Pid = started.Count > 0 ? started[0] : null };
    }

    /// <summary>
    /// A fresh context (own storage) with the studio's English UI on a desktop-sized viewport; with
    /// <paramref name="reducedMotion"/>, the page sees <c>prefers-reduced-motion: reduce</c>, as for a user who asked
    /// the system for less motion.
    /// </summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseUri, bool reducedMotion = false) => Browser.NewContextAsync(new()
    {
        BaseURL = baseUri.ToString(),
        Locale = "en-US",
        ViewportSize = new() { Width = 1280, Height = 900 },
        ReducedMotion = reducedMotion ? ReducedMotion.Reduce : null,
    });

    private static HashSet<int> ChromiumPids()
    {
        var pids = new HashSet<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                if (comm.StartsWith("chrom", StringComparison.Ordinal)) pids.Add(pid);
            }
            catch (IOException)
            {
            }
        }

        return pids;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
