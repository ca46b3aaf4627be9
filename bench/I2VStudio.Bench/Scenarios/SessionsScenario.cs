using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using I2VStudio.Bench.Infrastructure;
using I2VStudio.Testing;
using Microsoft.Playwright;

namespace I2VStudio.Bench.Scenarios;

/// <summary>
/// Scenario 5: 20 browser contexts (20 circuits), each tracking 50 active jobs the backend has queued (1,000 in all).
/// The emulator runs in its own process with jobs that never start within the run; the host runs in this process, so
/// the managed heap and CPU measured here are the host's (plus the idle Playwright client).
/// </summary>
public static class SessionsScenario
{
    private const string S = "5";
    private const int Contexts = 20;
    private const int JobsPerContext = 50;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(Report report, Chromium chromium, CancellationToken cancellationToken)
    {
        await using var emulator = await EmulatorProcess.StartAsync(new Dictionary<string, string>
        {
            ["QueueDelay"] = "01:00:00", ["QueueCapacity"] = "5000",
        }, cancellationToken);
        var jobIds = await CreateJobsAsync(emulator.ApiBaseUri, Contexts * JobsPerContext, cancellationToken);

        await using var host = new StudioHost(emulator.ApiBaseUri);
        host.Start();
        // Warm the host's rendering path without opening a circuit (a closed circuit would linger in the baseline).
        using (var http = new HttpClient { BaseAddress = host.BaseUri })
        {
            _ = await http.GetStringAsync("tools/i2v", cancellationToken);
        }

        var self = Environment.ProcessId;
        var heapBefore = FullGcHeap();
        var rssBefore = ProcStats.Rss(self);

        var contexts = new List<IBrowserContext>();
        var now = DateTimeOffset.UtcNow;
        var opened = Stopwatch.StartNew();
        try
        {
            for (var c = 0; c < Contexts; c++)
            {
                var context = await chromium.NewContextAsync(host.BaseUri);
                contexts.Add(context);
                await context.AddInitScriptAsync(StudioUi.ProbeScript);
                var page = await context.NewPageAsync();
                page.SetDefaultTimeout(60_000);
                await page.GotoAsync("favicon.svg");
                var records = Enumerable.Range(0, JobsPerContext).Select(j =>
                    StoredJobs.Queued(jobIds[(c * JobsPerContext) + j], j, now.AddSeconds(-120 + j)));
                await StoredJobs.PutAsync(page, StoredJobs.Items(records));
                await page.GotoAsync("tools/i2v");
                await new StudioUi(page).WaitReadyAsync(120_000);
                await page.WaitForFunctionAsync("() => window.__bench.firstCard !== null", null, new() { Timeout = 120_000 });
            }

            var openSeconds = opened.Elapsed.TotalSeconds;
            await Task.Delay(Settle, cancellationToken);

            var getsBefore = (await emulator.CountersAsync(cancellationToken)).GetJob;
            var cpuBefore = ProcStats.CpuTime(self);
            var browserCpuBefore = chromium.Pid is { } b ? ProcStats.TreeCpuTime(b) : TimeSpan.Zero;
            var emulatorCpuBefore = ProcStats.CpuTime(emulator.Pid);
            var window = Stopwatch.StartNew();
            await Task.Delay(Window, cancellationToken);
            var seconds = window.Elapsed.TotalSeconds;
            var gets = (await emulator.CountersAsync(cancellationToken)).GetJob - getsBefore;
            var cpu = (ProcStats.CpuTime(self) - cpuBefore).TotalSeconds / seconds;
            var browserCpu = chromium.Pid is { } b2 ? (ProcStats.TreeCpuTime(b2) - browserCpuBefore).TotalSeconds / seconds : double.NaN;
            var emulatorCpu = (ProcStats.CpuTime(emulator.Pid) - emulatorCpuBefore).TotalSeconds / seconds;

            // Circuits still connected at the end (a closed WebSocket means that page's tracker stopped).
            var alive = 0;
            foreach (var context in contexts)
            {
                if (await context.Pages[0].EvaluateAsync<bool>("() => window.__bench.wsOpen !== null && window.__bench.wsClosed === null")) alive++;
            }

            var heapAfter = FullGcHeap();
            var rssAfter = ProcStats.Rss(self);
            var perCircuitHeap = (heapAfter - heapBefore) / (double)Contexts;
            var perCircuitRss = (rssAfter - rssBefore) / (double)Contexts;
            var rate = gets / seconds;
            // The spec's schedule for 1,000 queued jobs: every job every 5 s.
            var naiveRate = Contexts * JobsPerContext / 5.0;

            report.Add(new Figure
            {
                Scenario = S, Metric = "host memory per circuit (managed heap after full GC)", Unit = "MB", Ours = perCircuitHeap / 1e6,
                Target = "≤ 2 MB", Met = perCircuitHeap / 1e6 <= 2,
                Note = $"{Contexts} circuits × {JobsPerContext} active jobs; heap {heapBefore / 1e6:0.0} → {heapAfter / 1e6:0.0} MB; RSS per circuit {perCircuitRss / 1e6:0.00} MB",
            });
            report.Add(new Figure
            {
                Scenario = S, Metric = "emulator status GET rate", Unit = "GET/s", Ours = rate, BaselineName = "spec schedule (5 s per queued job)", Baseline = naiveRate,
                Note = $"over {seconds:0} s after {Settle.TotalSeconds:0} s settling; {Contexts * JobsPerContext} jobs queued behind each other, " +
                       $"so the policy's nominal rate is {Contexts * JobsPerContext / 10.0:0} GET/s (each every 10 s); {alive} of {Contexts} circuits still connected at the end",
            });
            report.Add(new Figure
            {
                Scenario = S, Metric = "host CPU while tracking", Unit = "% of one core", Ours = cpu * 100,
                Note = $"bench process (host + idle Playwright client); Chromium {browserCpu * 100:0} %, emulator {emulatorCpu * 100:0} % of one core; {Environment.ProcessorCount} cores; opening the {Contexts} contexts took {openSeconds:0} s",
            });
            report.Detail("sessions", new { heapBefore, heapAfter, rssBefore, rssAfter, gets, seconds, cpu, browserCpu, emulatorCpu, alive });
        }
        finally
        {
            foreach (var context in contexts) await context.DisposeAsync();
        }
    }

    private static long FullGcHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task<List<string>> CreateJobsAsync(Uri api, int count, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = api };
        var png = Pngs.Gradient(64, 36, CompressionLevel.Optimal);
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var form = new MultipartFormDataContent();
            var image = new ByteArrayContent(png);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(image, "image", "tiny.png");
            form.Add(new StringContent("job " + i.ToString(CultureInfo.InvariantCulture)), "prompt");
            form.Add(new StringContent(i.ToString(CultureInfo.InvariantCulture)), "seed");
            form.Add(new StringContent("4"), "num_steps");
            form.Add(new StringContent("true"), "quantized");
            using var response = await http.PostAsync("v1/turbodiffusion/wan22-i2v/jobs", form, ct);
            response.EnsureSuccessStatusCode();
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            ids[i] = json.RootElement.GetProperty("job_id").GetString()!;
        });
        return [.. ids];
    }
}
