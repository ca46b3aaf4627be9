using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using I2VStudio.Bench.Infrastructure;
using I2VStudio.Testing;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.Bench.Scenarios;

/// <summary>
/// Scenario 3: a 20 MB PNG. Studio: click Generate → the result shows the backend's job id. In Server mode the image goes
/// from the browser's IndexedDB to the host when it is picked (one HTTP POST into an upload slot, kept in a file), and the
/// job POST streams from that copy: measured with the copy already there, and with Generate clicked at once after the
/// pick. In WebAssembly mode the browser posts through the host's proxy. Baseline: the same file POSTed directly
/// with HttpClient, once just before each "already on the host" click (paired: until 2026-12-05 the five direct POSTs
/// ran back to back before any studio round, and their median moved 0.07-0.12 s between runs). The emulator runs in its
/// own process (jobs never start, so no render competes for the CPU); the host runs in this process, so this process's
/// memory during the upload is the host's. Both sides are measured alike: one warm-up that is not counted (the direct
/// POST's first request; the studio's first Generate, the host's first job POST on a cold connection to the backend),
/// then <see cref="Rounds"/> counted rounds; the warm-ups are reported.
/// </summary>
public static class UploadScenario
{
    private const string S = "3";
    private const int Rounds = 5;

    public static async Task RunAsync(Report report, Chromium chromium, CancellationToken cancellationToken)
    {
        await using var emulator = await EmulatorProcess.StartAsync(new Dictionary<string, string>
        {
            ["QueueDelay"] = "01:00:00",
        }, cancellationToken);

        // Random pixels do not compress: 2580 × 2580 × 3 ≈ 20.0 MB, under the 20 MiB cap.
        const int side = 2580;
        var png = NoisePng(side, side);
        if (png.Length > 20 * 1024 * 1024) throw new InvalidOperationException($"The PNG is {png.Length} bytes, over the cap.");

        // Baseline: HttpClient multipart straight to the backend, one POST just before each "already on the host" click
        // (paired, so both sides meet the machine in the same state; the first pair is the warm-up, not counted).
        using var http = new HttpClient { BaseAddress = emulator.ApiBaseUri, Timeout = TimeSpan.FromMinutes(5) };
        var directMarks = new List<Span>();
        async Task<double> DirectAsync()
        {
            var start = Monotonic.Now();
            await PostAsync(http, png, cancellationToken);
            var span = new Span(start, Monotonic.Now());
            directMarks.Add(span);
            return span.End - span.Start;
        }

        var server = await StudioRoundsAsync(chromium, emulator.ApiBaseUri, png, side, "Server", DirectAsync, cancellationToken);
        var (direct, directCold) = (server.Direct, server.DirectWarmUp);
        var floor = await FloorRoundsAsync(chromium, emulator.ApiBaseUri, png, DirectAsync, cancellationToken);
        UploadRounds? wasm = null;
        var wasmWarmUp = double.NaN;
        try
        {
            var wasmRounds = await StudioRoundsAsync(chromium, emulator.ApiBaseUri, png, side, "WebAssembly", null, cancellationToken);
            (wasm, wasmWarmUp) = (wasmRounds.AtOnce, wasmRounds.WarmUp);
        }
        catch (Exception e) when (e is TimeoutException or Microsoft.Playwright.PlaywrightException)
        {
            report.Note(S, "The WebAssembly render mode's upload could not be measured: " + e.Message.Split('\n')[0]);
        }

        var mb = png.Length / 1e6;
        var staged = server.Staged!;
        var atOnce = server.AtOnce!;
        var (studio, heapPeaks, rssPeaks, allocated, requestTimes) = (atOnce.Studio, atOnce.HeapPeaks, atOnce.RssPeaks, atOnce.Allocated, atOnce.RequestTimes);
        var peaks = atOnce.Peaks;
        report.Add(new Figure
        {
            Scenario = S, Metric = $"upload {mb:0.0} MB PNG: Generate → job id (image picked, already on the host)", Unit = "s", Ours = Stats.Median(staged.InPage),
            BaselineName = "direct HttpClient POST", Baseline = Stats.Median(direct), Target = "≤ 1.5×",
            Met = Stats.Median(staged.InPage) / Stats.Median(direct) <= 1.5,
            Note = $"median of {Rounds}, each a fresh pick; page clock, from the click event to the frame after the job id is in the DOM: " +
                   $"{string.Join(" ", staged.InPage.Select(F))} s (Playwright's click → id seen: {string.Join(" ", staged.Studio.Select(F))} s); " +
                   $"direct, each just before the round's click: {string.Join(" ", direct.Select(F))} s; warm-ups, not counted (the first POST of each side, on a cold connection): " +
                   $"studio {F(server.WarmUp)} s, direct {F(directCold)} s; the image went to the host when picked (one POST into an upload slot, " +
                   $"{string.Join(" ", staged.StagingTimes.Select(F))} s, before the click; {Stats.Median(staged.UploadsInWindow):0} uploads " +
                   "between click and job id), so the job POST streams from the host's copy; where the time went, per round (ms): " +
                   PhasesNote(staged.Phases, direct),
        });
        report.Add(new Figure
        {
            Scenario = S, Metric = "floor: the same upload from a plain page, no framework (its click has a bare server POST the staged copy)", Unit = "s",
            Ours = Stats.Median(floor.InPage), BaselineName = "direct HttpClient POST", Baseline = Stats.Median(floor.Direct),
            Note = $"what the least browser-driven submission costs on this machine, to read the ratio above against; median of {Rounds} after a warm-up, " +
                   $"each a fresh pick copied to the bare server before the click; page clock as above: {string.Join(" ", floor.InPage.Select(F))} s; " +
                   $"direct, each just before the round's click: {string.Join(" ", floor.Direct.Select(F))} s; the bare server's POST " +
                   $"{Ms(floor.Marks.Select(m => (m.Answered - m.Sent) * 1000))} ms",
        });
        report.Add(new Figure
        {
            Scenario = S, Metric = "same upload, Generate at once after the pick (image still on its way to the host)", Unit = "s", Ours = Stats.Median(atOnce.InPage),
            BaselineName = "direct HttpClient POST", Baseline = Stats.Median(direct),
            Note = $"median of {Rounds}, each a fresh pick, clicked as soon as the image shows; page clock {string.Join(" ", atOnce.InPage.Select(F))} s " +
                   $"(Playwright's click → id seen: {string.Join(" ", studio.Select(F))} s); the submission waits for the copy the pick started " +
                   "(browser IndexedDB → one HTTP POST into an upload slot → a file on the host), then posts it" +
                   (requestTimes.Count == 0 ? "" : $"; that upload request ran {string.Join(" ", requestTimes.Select(F))} s"),
        });
        if (wasm is not null)
        {
            report.Add(new Figure
            {
                Scenario = S, Metric = "same upload, render mode WebAssembly", Unit = "s", Ours = Stats.Median(wasm.InPage),
                BaselineName = "direct HttpClient POST", Baseline = Stats.Median(direct),
                Note = $"median of {Rounds} after a warm-up Generate ({F(wasmWarmUp)} s, not counted); page clock {string.Join(" ", wasm.InPage.Select(F))} s (Playwright's click → id seen: {string.Join(" ", wasm.Studio.Select(F))} s); " +
                       "the browser posts through the host's same-origin proxy" +
                       (wasm.RequestTimes.Count == 0 ? "" : $" (that request ran {string.Join(" ", wasm.RequestTimes.Select(F))} s)") +
                       $"; host peak extra memory {Stats.Median(wasm.Peaks) / 1e6:0.0} MB",
            });
        }

        report.Add(new Figure
        {
            Scenario = S, Metric = "host peak extra memory during the upload", Unit = "MB", Ours = Stats.Median(peaks) / 1e6,
            BaselineName = "file size", Baseline = mb, Target = "≤ 3× file", Met = Stats.Median(peaks) / 1e6 <= 3 * mb,
            Note = $"the Generate-at-once rounds (copy to the host and job POST in the window); median of {Rounds} of the larger of: managed heap peak over the heap after a full GC before the click " +
                   $"(+{string.Join(" ", heapPeaks.Select(h => F(h / 1e6)))} MB, sampled every 2 ms) and peak RSS (VmHWM) over RSS before " +
                   $"(+{string.Join(" ", rssPeaks.Select(r => F(r / 1e6)))} MB); {Stats.Median(allocated) / 1e6:0} MB allocated per upload",
        });
        report.Detail("upload", new { bytes = png.Length, direct, directWarmUp = directCold, directMarks, staged, floor, studioWarmUp = server.WarmUp, atOnce, wasm, wasmWarmUp });
    }

    /// <param name="Studio">Per round, seconds from Playwright's click to the job id seen by its polling.</param>
    /// <param name="InPage">Per round, seconds on the page's clock from the click event to the frame after the job id showed.</param>
    /// <param name="RequestTimes">Per round, seconds from an image upload request's start to its response's end (Chromium's timing).</param>
    /// <param name="StagingTimes">Per round, seconds the copy to the host took when the pick started it (waited for before the click).</param>
    /// <param name="UploadsInWindow">Per round, image upload requests started between the click and the job id.</param>
    /// <param name="Phases">Server, per round: where the page clock's time went (milliseconds).</param>
    /// <param name="Marks">Server, per round: the same moments on the monotonic clock, for a profile (bench/README).</param>
    private sealed record UploadRounds(List<double> Studio, List<double> InPage, List<double> HeapPeaks, List<double> RssPeaks, List<double> Allocated,
        List<double> RequestTimes, List<double> StagingTimes, List<double> UploadsInWindow, List<Phases> Phases, List<PhaseMarks> Marks)
    {
        /// <summary>Per round, the larger of the heap peak and the RSS peak.</summary>
        public List<double> Peaks => [.. HeapPeaks.Zip(RssPeaks, Math.Max)];

        public static UploadRounds Empty() => new([], [], [], [], [], [], [], [], [], []);
    }

    /// <summary>
    /// One round's moments in seconds on the monotonic clock (CLOCK_MONOTONIC on Linux, the clock of
    /// <c>perf record -k CLOCK_MONOTONIC</c>): the click event, the job POST sent and answered, the id in the DOM and the
    /// frame after it. bench/tools/perf-phases.py splits a profile's samples by them.
    /// </summary>
    private sealed record PhaseMarks(double Click, double Sent, double Answered, double Seen, double Frame);

    /// <summary>A direct POST's start and end, seconds on the monotonic clock.</summary>
    private sealed record Span(double Start, double End);

    /// <summary>One Server round's page-clock time in parts (milliseconds, wall clock on one machine).</summary>
    /// <param name="ToPost">From the click event to the host sending its job POST to the backend.</param>
    /// <param name="Post">The host's job POST, sent to response headers.</param>
    /// <param name="ToDom">From the POST's response to the job id in the page's DOM (tracker, render, SignalR, the browser).</param>
    /// <param name="ToFrame">From the id in the DOM to the next frame.</param>
    private sealed record Phases(double ToPost, double Post, double ToDom, double ToFrame);

    /// <summary>The two kinds of Server-mode rounds, measured alternately on one page, and the warm-up before them.</summary>
    /// <param name="WarmUp">The first Generate's page-clock seconds (not counted): the host's first job POST, on a cold connection.</param>
    /// <param name="Direct">Per "already on the host" round, the direct POST made just before its click (seconds).</param>
    /// <param name="DirectWarmUp">The direct POST before the warm-up round (not counted): the first, on a cold connection.</param>
    private sealed record ServerRounds(UploadRounds? Staged, UploadRounds? AtOnce, double WarmUp, List<double> Direct, double DirectWarmUp);

    /// <summary>Stamps the click on Generate and the frame after a new job id shows, on the page's clock.</summary>
    private const string PageClockScript = """
        (() => {
          const c = window.__upload = { clicks: [], ids: [] };
          document.addEventListener('click', e => {
            const b = e.target.closest && e.target.closest('button');
            if (b && /Generate video/.test(b.textContent)) c.clicks.push(performance.now());
          }, true);
          const seen = () => {
            const e = document.querySelector('.result-panel [data-part=job-id]');
            const t = e && e.textContent.trim();
            if (t && /^[0-9a-f-]{36}$/.test(t) && (c.ids.length === 0 || c.ids[c.ids.length - 1].id !== t)) {
              const entry = { id: t, seen: performance.now(), at: null };
              c.ids.push(entry);
              requestAnimationFrame(() => { entry.at = performance.now(); });
            }
          };
          const start = () => new MutationObserver(seen).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
          if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
        })();
        """;

    /// <summary>
    /// Uploads through the studio in <paramref name="renderMode"/> (I2VStudio:RenderMode). Server: <see cref="Rounds"/>
    /// rounds of each kind, alternately, each with a fresh pick: waiting until the pick's copy reached the host, then
    /// Generate; and Generate as soon as the picked image shows. WebAssembly: one pick, <see cref="Rounds"/> Generates.
    /// Before them one warm-up round, measured like the first kind (Server) or like the others (WebAssembly) but not
    /// counted, as the direct POST's first request is not: the host's first job POST opens its connection to the backend.
    /// </summary>
    private static async Task<ServerRounds> StudioRoundsAsync(Chromium chromium, Uri backend, byte[] png, int side, string renderMode,
        Func<Task<double>>? directPost, CancellationToken cancellationToken)
    {
        await using var host = new StudioHost(backend, new Dictionary<string, string?> { ["I2VStudio:RenderMode"] = renderMode });
        host.Start();
        await using var context = await chromium.NewContextAsync(host.BaseUri);
        await context.AddInitScriptAsync(StudioUi.ProbeScript);
        await context.AddInitScriptAsync(PageClockScript);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        var ui = new StudioUi(page);
        await page.GotoAsync("tools/i2v");
        await ui.WaitReadyAsync();
        await ui.Prompt.FillAsync("Static on an old television, slowly resolving into a face");

        // The image's requests, with Chromium's timing: Server, the POSTs into upload slots; WebAssembly, the job POST
        // through the host's proxy.
        var uploads = new List<Microsoft.Playwright.IRequest>();
        page.RequestFinished += (_, request) =>
        {
            if (request.Method == "POST" && (request.Url.Contains("/_i2v/upload/", StringComparison.Ordinal) || request.Url.EndsWith("/jobs", StringComparison.Ordinal)))
            {
                lock (uploads) uploads.Add(request);
            }
        };
        int Uploads() { lock (uploads) return uploads.Count; }

        var server = renderMode == "Server";
        using var outgoing = new OutgoingRequests();
        var staged = UploadRounds.Empty();
        var atOnce = UploadRounds.Empty();
        var warmUp = UploadRounds.Empty();
        string? previous = null;
        var direct = new List<double>();
        var directWarmUp = double.NaN;
        if (!server) await ui.PickPngAsync("noise.png", png, side, side);
        // Round -1 is the warm-up (Server: a round of the "already on the host" kind).
        for (var i = -1; i < (server ? 2 * Rounds : Rounds); i++)
        {
            var waitForCopy = server && (i == -1 || i % 2 == 0);
            var rounds = i == -1 ? warmUp : !server || !waitForCopy ? atOnce : staged;
            if (server)
            {
                var before = Uploads();
                await ui.PickPngAsync($"noise-{i + 1}.png", png, side, side);
                if (waitForCopy)
                {
                    await WaitUntilAsync(() => Uploads() > before, TimeSpan.FromMinutes(1), cancellationToken);
                    Microsoft.Playwright.IRequest copy;
                    lock (uploads) copy = uploads[before];
                    rounds.StagingTimes.Add(copy.Timing.ResponseEnd / 1000);
                }
            }

            await Expect(ui.Generate).ToBeEnabledAsync();
            if (waitForCopy && directPost is not null)
            {
                var seconds = await directPost();
                if (i == -1) directWarmUp = seconds;
                else direct.Add(seconds);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var self = Environment.ProcessId;
            var heapBefore = GC.GetTotalMemory(false);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var rssBefore = ProcStats.Rss(self);
            var peakReset = ProcStats.ResetPeak(self);
            // Memory is reported from the rounds that copy the image in the window (at once, WebAssembly); in the others
            // the sampler's reads every 2 ms would only take CPU from the POST being timed.
            using var sampler = waitForCopy ? null : new PeakSampler(self, TimeSpan.FromMilliseconds(2));
            var uploadsBefore = Uploads();
            var clickedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

            var watch = Stopwatch.StartNew();
            await ui.Generate.ClickAsync();
            previous = await ui.WaitForJobIdAsync(previous);
            rounds.Studio.Add(watch.Elapsed.TotalSeconds);
            if (sampler is not null)
            {
                var (heapPeak, rssPeak) = sampler.Stop();
                var hwm = peakReset ? ProcStats.PeakRss(self) : rssPeak;
                rounds.HeapPeaks.Add(heapPeak - heapBefore);
                rounds.RssPeaks.Add(Math.Max(hwm, rssPeak) - rssBefore);
                rounds.Allocated.Add(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
            }

            var id = previous;
            var inPage = await page.WaitForFunctionAsync("""
                id => { const c = window.__upload; const e = c.ids.find(x => x.id === id);
                        return e && e.at !== null && c.clicks.length ? (e.at - c.clicks[c.clicks.length - 1]) / 1000 : null; }
                """, id);
            rounds.InPage.Add(await inPage.JsonValueAsync<double>());
            // The host's job POST of this round (the direct POSTs, from this process too, ran before the click).
            if (server && outgoing.Last(r => r.Method == "POST" && r.Url.EndsWith("/jobs", StringComparison.Ordinal)
                    && r.Start.ToUnixTimeMilliseconds() >= clickedAt) is { } post)
            {
                // Page-clock times of the click, the id seen and the frame after it, moved to the wall clock by timeOrigin.
                var times = await page.EvaluateAsync<double[]>("""
                    id => { const c = window.__upload; const e = c.ids.find(x => x.id === id);
                            return [c.clicks[c.clicks.length - 1], e.seen, e.at].map(t => performance.timeOrigin + t); }
                    """, id);
                var sent = (post.Start - DateTimeOffset.UnixEpoch).TotalMilliseconds;
                var answered = sent + post.Duration.TotalMilliseconds;
                rounds.Phases.Add(new Phases(sent - times[0], post.Duration.TotalMilliseconds, times[1] - answered, times[2] - times[1]));
                var toMonotonic = Monotonic.FromEpochMs();
                rounds.Marks.Add(new PhaseMarks(toMonotonic(times[0]), toMonotonic(sent), toMonotonic(answered), toMonotonic(times[1]), toMonotonic(times[2])));
            }

            Microsoft.Playwright.IRequest[] inWindow;
            lock (uploads) inWindow = [.. uploads.Skip(uploadsBefore).Where(r => r.Timing.StartTime >= clickedAt - 5)];
            // Server at once: the copy the pick started is the image's upload (it may have begun just before the click).
            var upload = inWindow.FirstOrDefault() ?? (server && !waitForCopy ? LastUpload() : null);
            if (upload is not null) rounds.RequestTimes.Add(upload.Timing.ResponseEnd / 1000);
            rounds.UploadsInWindow.Add(inWindow.Length);
        }

        return new ServerRounds(server ? staged : null, atOnce, warmUp.InPage[0], direct, directWarmUp);

        Microsoft.Playwright.IRequest? LastUpload()
        {
            lock (uploads) return uploads.Count > 0 ? uploads[^1] : null;
        }
    }

    /// <param name="InPage">Per counted round, page-clock seconds from the click event to the frame after the id showed.</param>
    /// <param name="Direct">Per counted round, the direct POST made just before its click (seconds).</param>
    /// <param name="Marks">Per counted round, the moments on the monotonic clock (the bare server's POST as the job POST).</param>
    private sealed record FloorRounds(List<double> InPage, List<double> Direct, List<PhaseMarks> Marks);

    /// <summary>
    /// The floor (<see cref="UploadFloorSite"/>): one warm-up and <see cref="Rounds"/> counted rounds, each a fresh pick
    /// copied to the bare server, then a direct POST, then the click, timed with the studio's page clock.
    /// </summary>
    private static async Task<FloorRounds> FloorRoundsAsync(Chromium chromium, Uri backend, byte[] png, Func<Task<double>> directPost,
        CancellationToken cancellationToken)
    {
        await using var site = UploadFloorSite.Start(backend);
        await using var context = await chromium.NewContextAsync(site.BaseUri);
        await context.AddInitScriptAsync(PageClockScript);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync("");
        var rounds = new FloorRounds([], [], []);
        string? previous = null;
        for (var i = -1; i < Rounds; i++)
        {
            var name = $"noise-{i + 1}.png";
            await page.SetInputFilesAsync("#image", new Microsoft.Playwright.FilePayload { Name = name, MimeType = "image/png", Buffer = png });
            await Expect(page.Locator("#staged")).ToHaveTextAsync("staged " + name);
            var direct = await directPost();
            var posts = site.Posts.Count;
            await page.ClickAsync("#generate");
            var handle = await page.WaitForFunctionAsync("""
                previous => { const c = window.__upload; const e = c.ids[c.ids.length - 1];
                              return e && e.id !== previous && e.at !== null && c.clicks.length
                                ? [e.id, ...[c.clicks[c.clicks.length - 1], e.seen, e.at].map(t => performance.timeOrigin + t)] : null; }
                """, previous ?? "");
            var seen = await handle.JsonValueAsync<System.Text.Json.JsonElement>();
            previous = seen[0].GetString();
            await WaitUntilAsync(() => site.Posts.Count > posts, TimeSpan.FromMinutes(1), cancellationToken);
            if (i < 0) continue;
            var (click, shown, frame) = (seen[1].GetDouble(), seen[2].GetDouble(), seen[3].GetDouble());
            var toMonotonic = Monotonic.FromEpochMs();
            var post = site.Posts[^1];
            rounds.InPage.Add((frame - click) / 1e3);
            rounds.Direct.Add(direct);
            rounds.Marks.Add(new PhaseMarks(toMonotonic(click), post.Start, post.End, toMonotonic(shown), toMonotonic(frame)));
        }

        return rounds;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"Not done within {timeout}: the picked image's copy to the host, or the floor's POST.");
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>The Server rounds' phases, with the direct POSTs beside the host's.</summary>
    private static string PhasesNote(List<Phases> phases, List<double> direct) =>
        $"click → the host's job POST sent {Ms(phases.Select(p => p.ToPost))}; that POST {Ms(phases.Select(p => p.Post))} " +
        $"(the direct POSTs: {Ms(direct.Select(d => d * 1000))}); its answer → the id in the DOM {Ms(phases.Select(p => p.ToDom))}; " +
        $"→ the next frame {Ms(phases.Select(p => p.ToFrame))}";

    private static string Ms(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)));

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static async Task PostAsync(HttpClient http, byte[] png, CancellationToken cancellationToken)
    {
        using var form = UploadFloorSite.JobForm(new ByteArrayContent(png));
        using var response = await http.PostAsync("v1/turbodiffusion/wan22-i2v/jobs", form, cancellationToken);
        response.EnsureSuccessStatusCode();
        _ = await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Seeded random pixels, stored without compression: the file is about 3 bytes per pixel.</summary>
    private static byte[] NoisePng(int width, int height)
    {
        var random = new Random(42);
        var row = new byte[width * 3];
        var y0 = -1;
        return Pngs.Encode(width, height, CompressionLevel.NoCompression, (x, y) =>
        {
            if (y != y0)
            {
                random.NextBytes(row);
                y0 = y;
            }

            return (row[x * 3], row[(x * 3) + 1], row[(x * 3) + 2]);
        });
    }
}
