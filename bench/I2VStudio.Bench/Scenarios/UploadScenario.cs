using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using I2VStudio.Bench.Infrastructure;
using I2VStudio.Testing;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.Bench.Scenarios;

/// <summary>
/// Scenario 3: a 20 MB PNG. Studio: click Generate → the result shows the backend's job id (the image travels from the
/// browser's IndexedDB as one HTTP POST into the circuit's upload slot on the host, and on to the backend as it arrives). Baseline: the same file POSTed directly
/// with HttpClient. The emulator runs in its own process (jobs never start, so no render competes for the CPU); the
/// host runs in this process, so this process's memory during the upload is the host's.
/// </summary>
public static class UploadScenario
{
    private const string S = "3";
    private const int Rounds = 3;

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

        // Baseline: HttpClient multipart straight to the backend (one warm-up, then the rounds).
        using var http = new HttpClient { BaseAddress = emulator.ApiBaseUri, Timeout = TimeSpan.FromMinutes(5) };
        await PostAsync(http, png, cancellationToken);
        var direct = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            await PostAsync(http, png, cancellationToken);
            direct.Add(watch.Elapsed.TotalSeconds);
        }

        var server = await StudioRoundsAsync(chromium, emulator.ApiBaseUri, png, side, "Server", cancellationToken);
        UploadRounds? wasm = null;
        try
        {
            wasm = await StudioRoundsAsync(chromium, emulator.ApiBaseUri, png, side, "WebAssembly", cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or Microsoft.Playwright.PlaywrightException)
        {
            report.Note(S, "The WebAssembly render mode's upload could not be measured: " + e.Message.Split('\n')[0]);
        }

        var (studio, heapPeaks, rssPeaks, allocated, requestTimes) = server;
        var peaks = server.Peaks;
        var mb = png.Length / 1e6;
        report.Add(new Figure
        {
            Scenario = S, Metric = $"upload {mb:0.0} MB PNG: Generate → job id", Unit = "s", Ours = Stats.Median(studio),
            BaselineName = "direct HttpClient POST", Baseline = Stats.Median(direct), Target = "≤ 1.5×",
            Met = Stats.Median(studio) / Stats.Median(direct) <= 1.5,
            Note = $"median of {Rounds}; studio {string.Join(" ", studio.Select(F))} s ({mb / Stats.Median(studio):0.0} MB/s), direct {string.Join(" ", direct.Select(F))} s; " +
                   "the studio's image goes browser IndexedDB → one HTTP POST into the circuit's upload slot → host → backend, streamed through" +
                   (requestTimes.Count == 0 ? "; NO upload request seen (the image crossed the circuit)" :
                       $"; of that, the upload request ran {string.Join(" ", requestTimes.Select(F))} s (browser → host → backend, until the backend answered the host), " +
                       $"the rest ({string.Join(" ", studio.Zip(requestTimes, (t, r) => F(t - r)))} s) is the click, the circuit's calls to the browser before it and the job id's render after"),
        });
        if (wasm is not null)
        {
            report.Add(new Figure
            {
                Scenario = S, Metric = "same upload, render mode WebAssembly", Unit = "s", Ours = Stats.Median(wasm.Studio),
                BaselineName = "direct HttpClient POST", Baseline = Stats.Median(direct),
                Note = $"median of {Rounds}; {string.Join(" ", wasm.Studio.Select(F))} s; the browser posts through the host's same-origin proxy" +
                       (wasm.RequestTimes.Count == 0 ? "" : $" (that request ran {string.Join(" ", wasm.RequestTimes.Select(F))} s)") +
                       $"; host peak extra memory {Stats.Median(wasm.Peaks) / 1e6:0.0} MB",
            });
        }

        report.Add(new Figure
        {
            Scenario = S, Metric = "host peak extra memory during the upload", Unit = "MB", Ours = Stats.Median(peaks) / 1e6,
            BaselineName = "file size", Baseline = mb, Target = "≤ 3× file", Met = Stats.Median(peaks) / 1e6 <= 3 * mb,
            Note = $"median of {Rounds} of the larger of: managed heap peak over the heap after a full GC before the click " +
                   $"(+{string.Join(" ", heapPeaks.Select(h => F(h / 1e6)))} MB, sampled every 2 ms) and peak RSS (VmHWM) over RSS before " +
                   $"(+{string.Join(" ", rssPeaks.Select(r => F(r / 1e6)))} MB); {Stats.Median(allocated) / 1e6:0} MB allocated per upload",
        });
        report.Detail("upload", new { bytes = png.Length, studio, direct, heapPeaks, rssPeaks, allocated, requestTimes, wasm });
    }

    /// <param name="RequestTimes">Per round, seconds from the upload request's start to its response's end (Chromium's timing).</param>
    private sealed record UploadRounds(List<double> Studio, List<double> HeapPeaks, List<double> RssPeaks, List<double> Allocated, List<double> RequestTimes)
    {
        /// <summary>Per round, the larger of the heap peak and the RSS peak.</summary>
        public List<double> Peaks => [.. HeapPeaks.Zip(RssPeaks, Math.Max)];
    }

    /// <summary>Three uploads through the studio in <paramref name="renderMode"/> (I2VStudio:RenderMode).</summary>
    private static async Task<UploadRounds> StudioRoundsAsync(Chromium chromium, Uri backend, byte[] png, int side, string renderMode, CancellationToken cancellationToken)
    {
        await using var host = new StudioHost(backend, new Dictionary<string, string?> { ["I2VStudio:RenderMode"] = renderMode });
        host.Start();
        await using var context = await chromium.NewContextAsync(host.BaseUri);
        await context.AddInitScriptAsync(StudioUi.ProbeScript);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        var ui = new StudioUi(page);
        await page.GotoAsync("tools/i2v");
        await ui.WaitReadyAsync();
        await ui.PickPngAsync("noise.png", png, side, side);
        await ui.Prompt.FillAsync("Static on an old television, slowly resolving into a face");

        // The upload request's own timing, from Chromium.
        var uploads = new List<Microsoft.Playwright.IRequest>();
        page.RequestFinished += (_, request) =>
        {
            // Server: the image's POST into the upload slot; WebAssembly: the job POST through the host's proxy.
            if (request.Method == "POST" && (request.Url.Contains("/_i2v/upload/", StringComparison.Ordinal) || request.Url.EndsWith("/jobs", StringComparison.Ordinal)))
            {
                lock (uploads) uploads.Add(request);
            }
        };
        var requestTimes = new List<double>();
        var studio = new List<double>();
        var heapPeaks = new List<double>();
        var rssPeaks = new List<double>();
        var allocated = new List<double>();
        string? previous = null;
        var self = Environment.ProcessId;
        for (var i = 0; i < Rounds; i++)
        {
            await Expect(ui.Generate).ToBeEnabledAsync();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heapBefore = GC.GetTotalMemory(false);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var rssBefore = ProcStats.Rss(self);
            var peakReset = ProcStats.ResetPeak(self);
            using var sampler = new PeakSampler(self, TimeSpan.FromMilliseconds(2));

            var watch = Stopwatch.StartNew();
            await ui.Generate.ClickAsync();
            previous = await ui.WaitForJobIdAsync(previous);
            studio.Add(watch.Elapsed.TotalSeconds);
            Microsoft.Playwright.IRequest? upload;
            lock (uploads) upload = uploads.Count > i ? uploads[i] : null;
            if (upload is not null) requestTimes.Add(upload.Timing.ResponseEnd / 1000);

            var (heapPeak, rssPeak) = sampler.Stop();
            var hwm = peakReset ? ProcStats.PeakRss(self) : rssPeak;
            heapPeaks.Add(heapPeak - heapBefore);
            rssPeaks.Add(Math.Max(hwm, rssPeak) - rssBefore);
            allocated.Add(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
        }

        return new UploadRounds(studio, heapPeaks, rssPeaks, allocated, requestTimes);
    }

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static async Task PostAsync(HttpClient http, byte[] png, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var image = new ByteArrayContent(png);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(image, "image", "noise.png");
        form.Add(new StringContent("Static on an old television, slowly resolving into a face"), "prompt");
        form.Add(new StringContent("0"), "seed");
        form.Add(new StringContent("4"), "num_steps");
        form.Add(new StringContent("true"), "quantized");
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
