using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// The studio page as the bench drives it (roles and labels of the English UI, as the E2E tests use them), plus a
/// probe script that records, in the page's own clock, the moments the figures are made of.
/// </summary>
public sealed partial class StudioUi(IPage page)
{
    /// <summary>
    /// Runs before the page's scripts. <c>window.__bench</c> gets: <c>fcp</c> (first contentful paint),
    /// <c>wsOpen</c> (the circuit's WebSocket opened), <c>ready</c> (the image intake wired its document paste
    /// listener: the circuit is up and the input panel's after-render work is done — our "input usable" moment),
    /// <c>firstCard</c> (a job card is in the DOM), <c>wsClosed</c> (the circuit's WebSocket closed), all as
    /// <c>performance.now()</c>; <c>videos</c> (each video's
    /// <c>loadeddata</c>, i.e. readyState ≥ 2, with its URL and <c>Date.now()</c>); <c>phases</c> (per card, when
    /// each phase first showed, <c>Date.now()</c>).
    /// </summary>
    public const string ProbeScript = """
        (() => {
          const b = window.__bench = { fcp: null, wsOpen: null, wsClosed: null, ready: null, firstCard: null, videos: [], phases: {} };
          const add = EventTarget.prototype.addEventListener;
          EventTarget.prototype.addEventListener = function (type, listener, options) {
            if (type === 'paste' && this === document && b.ready === null) b.ready = performance.now();
            return add.call(this, type, listener, options);
          };
          const NativeWebSocket = window.WebSocket;
          window.WebSocket = class extends NativeWebSocket {
            constructor(...args) {
              super(...args);
              add.call(this, 'open', () => { if (b.wsOpen === null) b.wsOpen = performance.now(); });
              add.call(this, 'close', () => { b.wsClosed = performance.now(); });
            }
          };
          add.call(document, 'loadeddata', e => {
            const v = e.target;
            if (v && v.tagName === 'VIDEO') b.videos.push({ src: v.currentSrc, at: Date.now(), readyState: v.readyState });
          }, true);
          try {
            new PerformanceObserver(list => {
              for (const e of list.getEntries()) if (e.name === 'first-contentful-paint' && b.fcp === null) b.fcp = e.startTime;
            }).observe({ type: 'paint', buffered: true });
          } catch (e) { }
          const scan = () => {
            const cards = document.querySelectorAll('article.job-card');
            if (cards.length > 0 && b.firstCard === null) b.firstCard = performance.now();
            for (const card of cards) {
              const id = card.getAttribute('data-job'), phase = card.getAttribute('data-phase');
              if (!id || !phase) continue;
              const seen = b.phases[id] || (b.phases[id] = {});
              if (!(phase in seen)) seen[phase] = Date.now();
            }
          };
          const start = () => new MutationObserver(scan).observe(document.documentElement,
            { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
          if (document.documentElement) start(); else add.call(document, 'DOMContentLoaded', start);
        })();
        """;

    public IPage Page { get; } = page;

    public ILocator DropZone => Page.GetByRole(AriaRole.Button, new() { NameRegex = DropZoneName() });

    public ILocator Prompt => Page.GetByLabel("Prompt", new() { Exact = true });

    public ILocator Generate => Page.GetByRole(AriaRole.Button, new() { Name = "Generate video" });

    public ILocator ImageSection => Page.GetByRole(AriaRole.Region, new() { Name = "Image", Exact = true });

    public ILocator Result => Page.GetByRole(AriaRole.Region, new() { Name = "Result" });

    public Task WaitReadyAsync(float timeout = 60_000) =>
        Page.WaitForFunctionAsync("() => window.__bench && window.__bench.ready !== null", null, new() { Timeout = timeout });

    /// <summary>
    /// Picks an image through the file chooser and waits until the studio shows it: its name (so a pick that replaces
    /// another of the same size is seen) and its pixel size.
    /// </summary>
    public async Task PickPngAsync(string name, byte[] png, int width, int height)
    {
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => DropZone.ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = name, MimeType = "image/png", Buffer = png });
        await Expect(ImageSection).ToContainTextAsync(name, new() { Timeout = 120_000 });
        await Expect(ImageSection).ToContainTextAsync($"{width} × {height} px", new() { Timeout = 120_000 });
    }

    /// <summary>The backend job id the result panel shows, once it differs from <paramref name="previous"/>.</summary>
    public async Task<string> WaitForJobIdAsync(string? previous, float timeout = 120_000)
    {
        var handle = await Page.WaitForFunctionAsync("""
            previous => { const e = document.querySelector('.result-panel [data-part=job-id]');
                          const t = e && e.textContent.trim();
                          return t && /^[0-9a-f-]{36}$/.test(t) && t !== previous ? t : null; }
            """, previous ?? "", new() { Timeout = timeout, PollingInterval = 5 });
        return (await handle.JsonValueAsync<string>()).Trim();
    }

    /// <summary>Epoch milliseconds when the video of <paramref name="jobId"/> reached readyState ≥ 2.</summary>
    public async Task<double> WaitForVideoReadyAsync(string jobId, float timeout = 60_000)
    {
        var handle = await Page.WaitForFunctionAsync("""
            id => { const v = window.__bench.videos.find(v => v.src.includes(id)); return v ? v.at : null; }
            """, jobId, new() { Timeout = timeout });
        return await handle.JsonValueAsync<double>();
    }

    public async Task<PageTimes> TimesAsync() => await Page.EvaluateAsync<PageTimes>(
        "() => ({ fcp: window.__bench.fcp, wsOpen: window.__bench.wsOpen, ready: window.__bench.ready, firstCard: window.__bench.firstCard })");

    [GeneratedRegex("^(Drop an image here|Preview of )")]
    private static partial Regex DropZoneName();
}

/// <summary>Moments of one page load, in ms since navigation start (null when not reached).</summary>
public sealed class PageTimes
{
    public double? Fcp { get; set; }

    public double? WsOpen { get; set; }

    public double? Ready { get; set; }

    public double? FirstCard { get; set; }
}
