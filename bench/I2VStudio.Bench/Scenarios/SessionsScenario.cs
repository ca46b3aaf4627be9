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
/// <remarks>
/// The contexts ask for reduced motion, so the page's one animation (the result panel's waiting bar, shown because
/// the selected job is queued) stops; one page more with motion is measured after the window to show what it costs.
/// When the bar was MudBlazor's (moved through left/right: a style recalculation, a layout and a paint every frame)
/// it cost about 22 % of a core per page in headless Chromium without a GPU, so 20 pages starved each other on two
/// cores and their circuits dropped; it now moves by transform. The figures count only if every circuit was still
/// connected, and still showed its 50 active jobs, at the end of the window.
/// </remarks>
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
        long heapAfterFirst = 0;
        try
        {
            // One after another: each page is up, has restored its 50 records and shows them as active before the next opens.
            for (var c = 0; c < Contexts; c++)
            {
                var ids = jobIds.Skip(c * JobsPerContext).Take(JobsPerContext).ToList();
                contexts.Add(await OpenAsync(chromium, host.BaseUri, ids, now, reducedMotion: true));
                if (c == 0) heapAfterFirst = FullGcHeap();
            }

            var openSeconds = opened.Elapsed.TotalSeconds;
            await Task.Delay(Settle, cancellationToken);
            var aliveBefore = (await LivenessAsync(contexts)).Count(l => l.Alive);

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

            // Circuits still connected at the end of the window, each still showing its 50 jobs as active.
            var liveness = await LivenessAsync(contexts);
            var alive = liveness.Count(l => l.Alive);
            var animations = liveness.Sum(l => l.Animations);
            var valid = alive == Contexts;

            var heapAfter = FullGcHeap();
            var rssAfter = ProcStats.Rss(self);
            var perCircuitHeap = (heapAfter - heapBefore) / (double)Contexts;
            var marginalHeap = (heapAfter - heapAfterFirst) / (double)(Contexts - 1);
            var perCircuitRss = (rssAfter - rssBefore) / (double)Contexts;
            var rate = gets / seconds;
            // The spec's schedule for 1,000 queued jobs: every job every 5 s.
            var naiveRate = Contexts * JobsPerContext / 5.0;
            var validity = valid
                ? $"all {Contexts} circuits connected, each with {JobsPerContext} active jobs, to the end"
                : $"NOT VALID: only {alive} of {Contexts} circuits still connected with {JobsPerContext} active jobs at the end";

            // For context, after the window: what one more page costs Chromium without reduced motion.
            var motion = await MotionCostAsync(chromium, host.BaseUri, jobIds.Take(JobsPerContext).ToList(), now, browserCpu, cancellationToken);

            report.Add(new Figure
            {
                Scenario = S, Metric = "host memory per circuit (managed heap after full GC)", Unit = "MB", Ours = perCircuitHeap / 1e6,
                Target = "≤ 2 MB", Met = valid && perCircuitHeap / 1e6 <= 2,
                Note = $"{validity}; heap {heapBefore / 1e6:0.0} → {heapAfter / 1e6:0.0} MB over {Contexts} circuits (each one after the first: " +
                       $"{marginalHeap / 1e6:0.00} MB); RSS per circuit {perCircuitRss / 1e6:0.00} MB",
            });
            report.Add(new Figure
            {
                Scenario = S, Metric = "emulator status GET rate", Unit = "GET/s", Ours = rate, BaselineName = "spec schedule (5 s per queued job)", Baseline = naiveRate,
                Note = $"{(valid ? "" : validity + "; ")}over {seconds:0} s after {Settle.TotalSeconds:0} s settling; {Contexts * JobsPerContext} jobs queued behind each other, " +
                       $"so the policy's nominal rate is {Contexts * JobsPerContext / 10.0:0} GET/s (each every 10 s); {alive} of {Contexts} circuits connected at the end ({aliveBefore} at the start of the window)",
            });
            report.Add(new Figure
            {
                Scenario = S, Metric = "host CPU while tracking", Unit = "% of one core", Ours = cpu * 100,
                Note = $"{(valid ? "" : validity + "; ")}bench process (host + idle Playwright client); Chromium {browserCpu * 100:0} % " +
                       $"({Contexts} pages with reduced motion, {animations} animations running), emulator {emulatorCpu * 100:0} % of one core; " +
                       $"{Environment.ProcessorCount} cores; opening the {Contexts} contexts took {openSeconds:0} s; " +
                       $"one page more without reduced motion: Chromium +{motion.ExtraCpu * 100:0} % ({motion.Animations} animations running, {motion.LayoutsPerSecond:0} layouts/s)",
            });
            if (!valid) report.Note(S, validity + ": the memory, GET rate and CPU figures describe dropped circuits, not live ones.");
            report.Detail("sessions", new
            {
                heapBefore, heapAfterFirst, heapAfter, rssBefore, rssAfter, gets, seconds, cpu, browserCpu, emulatorCpu, alive, aliveBefore, valid,
                animations, openSeconds, liveness, motion,
            });
        }
        finally
        {
            foreach (var context in contexts) await context.DisposeAsync();
        }
    }

    /// <summary>
    /// Opens <c>/tools/i2v</c> in a fresh context with <paramref name="ids"/> stored as queued records, and waits until
    /// the circuit is up and the list shows all of them as active.
    /// </summary>
    private static async Task<IBrowserContext> OpenAsync(Chromium chromium, Uri baseUri, IReadOnlyList<string> ids, DateTimeOffset now, bool reducedMotion)
    {
        var context = await chromium.NewContextAsync(baseUri, reducedMotion);
        await context.AddInitScriptAsync(StudioUi.ProbeScript);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("favicon.svg");
        var records = ids.Select((id, j) => StoredJobs.Queued(id, j, now.AddSeconds(-120 + j)));
        await StoredJobs.PutAsync(page, StoredJobs.Items(records));
        await page.GotoAsync("tools/i2v");
        await new StudioUi(page).WaitReadyAsync(120_000);
        await page.WaitForFunctionAsync(ActiveCount + " === " + ids.Count.ToString(CultureInfo.InvariantCulture), null, new() { Timeout = 120_000 });
        return context;
    }

    /// <summary>The count on the list's "Active" filter button (jobs queued or running, as the circuit last rendered it).</summary>
    private const string ActiveCount = "(() => { const e = document.querySelector('[data-filter=Active] .filter-count'); return e ? Number(e.textContent.trim()) : -1; })()";

    /// <summary>How many animations are running on the page.</summary>
    private const string RunningAnimations = "document.getAnimations().filter(a => a.playState === 'running').length";

    /// <summary>
    /// Per page: whether its circuit's WebSocket opened and never closed (Blazor would reconnect on a new socket,
    /// which still counts as dropped), the list's active count, and the animations running.
    /// </summary>
    private static async Task<List<Liveness>> LivenessAsync(List<IBrowserContext> contexts)
    {
        var all = new List<Liveness>();
        foreach (var context in contexts)
        {
            var l = await context.Pages[0].EvaluateAsync<Liveness>(
                "() => ({ wsOpen: window.__bench.wsOpen, wsClosed: window.__bench.wsClosed, active: " + ActiveCount + "," +
                " animations: " + RunningAnimations + " })");
            l.Alive = l.WsOpen is not null && l.WsClosed is null && l.Active == JobsPerContext;
            all.Add(l);
        }

        return all;
    }

    /// <summary>
    /// Opens one page more without reduced motion (tracking the first context's jobs again), lets it settle, and
    /// measures Chromium's CPU beside <paramref name="browserCpu"/> of the window, the animations running on it and
    /// its layouts per second (from the DevTools protocol's performance counters).
    /// </summary>
    private static async Task<MotionCost> MotionCostAsync(Chromium chromium, Uri baseUri, IReadOnlyList<string> ids, DateTimeOffset now, double browserCpu, CancellationToken cancellationToken)
    {
        if (chromium.Pid is not { } pid) return new MotionCost(double.NaN, 0, double.NaN);
        IBrowserContext context;
        try
        {
            context = await OpenAsync(chromium, baseUri, ids, now, reducedMotion: false);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            // Context only: the window's figures stand without it.
            Console.WriteLine("   the page with motion did not open: " + e.Message.Split('\n')[0]);
            return new MotionCost(double.NaN, 0, double.NaN);
        }

        try
        {
            var page = context.Pages[0];
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var cdp = await context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Performance.enable");
            var layouts0 = Layouts(await cdp.SendAsync("Performance.getMetrics"));
            var cpu0 = ProcStats.TreeCpuTime(pid);
            var watch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            var cpu = (ProcStats.TreeCpuTime(pid) - cpu0).TotalSeconds / watch.Elapsed.TotalSeconds;
            var layouts = (Layouts(await cdp.SendAsync("Performance.getMetrics")) - layouts0) / watch.Elapsed.TotalSeconds;
            var animations = await page.EvaluateAsync<int>("() => " + RunningAnimations);
            return new MotionCost(cpu - browserCpu, animations, layouts);
        }
        finally
        {
            await context.DisposeAsync();
        }

        static double Layouts(System.Text.Json.JsonElement? metrics) => metrics!.Value.GetProperty("metrics").EnumerateArray()
            .First(m => m.GetProperty("name").GetString() == "LayoutCount").GetProperty("value").GetDouble();
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

/// <summary>One page's circuit at a moment (see <c>SessionsScenario.LivenessAsync</c>).</summary>
internal sealed class Liveness
{
    public double? WsOpen { get; set; }

    public double? WsClosed { get; set; }

    public int Active { get; set; }

    public int Animations { get; set; }

    public bool Alive { get; set; }
}

/// <summary>What one page without reduced motion adds: Chromium CPU (fraction of one core), animations, layouts per second.</summary>
internal sealed record MotionCost(double ExtraCpu, int Animations, double LayoutsPerSecond);
