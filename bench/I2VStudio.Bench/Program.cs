using System.Diagnostics;
using I2VStudio.Bench.Infrastructure;
using I2VStudio.Bench.Scenarios;
using I2VStudio.Testing;

namespace I2VStudio.Bench;

/// <summary>
/// Runs every scenario of the benchmark (bench/README.md) in one go and writes bench/results/latest.{md,json}.
/// Options: <c>--only 1,3</c> (scenario numbers 1–8, <c>u</c> for the micro-benchmark), <c>--out DIR</c>,
/// <c>--publish DIR</c> (a Release publish of the host). <c>--serve-emulator</c> is the child mode used internally.
/// </summary>
internal static class BenchProgram
{
    private static readonly string[] BrowserScenarios = ["2", "3", "4", "5", "7"];

    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--serve-emulator")) return await EmulatorProcess.ServeAsync(args);

        var repoRoot = FindRepoRoot();
        StudioHost.ContentRoot = Path.Combine(repoRoot, "samples", "I2VStudio.Host");
        var only = Value(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var output = Path.GetFullPath(Value(args, "--out") ?? Path.Combine(repoRoot, "bench", "results"));
        var publish = Value(args, "--publish") is { } p ? Path.GetFullPath(p) : Path.Combine(repoRoot, "bench", ".publish", "host");
        var work = Path.Combine(Path.GetTempPath(), "i2v-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        var machine = new MachineInfo();
        var report = new Report { Machine = machine, Command = Environment.GetEnvironmentVariable("BENCH_COMMAND") ?? "./bench.sh" };
        var failures = 0;
        bool Wanted(string id) => only is null || only.Contains(id);

        async Task Step(string id, string title, Func<Task> run)
        {
            if (!Wanted(id)) return;
            Console.WriteLine($"\n== {id}. {title} (load {MachineInfo.LoadAverage()})");
            var watch = Stopwatch.StartNew();
            try
            {
                await run();
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failures++;
                report.Note(id, $"FAILED to run: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                Console.WriteLine(e);
            }

            Console.WriteLine($"   ({watch.Elapsed.TotalSeconds:0} s)");
        }

        Console.WriteLine("I2V Studio benchmark");
        Console.WriteLine("machine: " + machine);

        if (BrowserScenarios.Any(Wanted))
        {
            Chromium? chromium = null;
            try
            {
                chromium = await Chromium.LaunchAsync();
                machine.Chromium = "Chromium " + chromium.Browser.Version;
            }
            catch (Exception e) when (e is InvalidOperationException or Microsoft.Playwright.PlaywrightException)
            {
                failures++;
                report.Note("2–5", "Chromium could not start, so the browser scenarios did not run: " + e.Message);
            }

            if (chromium is not null)
            {
                await using (chromium)
                {
                    // Sessions first: its figure is the host heap's growth per circuit, and after the other scenarios
                    // (hosts, BenchmarkDotNet runs) in this process it read half of what it reads in a fresh one
                    // (1.5 vs 2.9 MB), so it runs while the process is fresh.
                    await Step("5", "20 sessions × 50 active jobs", () => SessionsScenario.RunAsync(report, chromium, ct));
                    await Step("2", "Detection in the browser (real time)", () => DetectionScenario.RunAsync(report, chromium, ct));
                    await Step("3", "Upload of a 20 MB PNG", () => UploadScenario.RunAsync(report, chromium, ct));
                    await Step("4", "Page weight, first paint, input usable, 1,000 jobs", () => PageScenario.RunAsync(report, chromium, repoRoot, publish, ct));
                    await Step("7", "Workspace: a 50 × 20 × 5 project's tree in the browser", () => ProjectTreeScenario.RunAsync(report, chromium, ct));
                }
            }
        }

        await Step("1", "Polling efficiency (simulated, deterministic)", () => PollingScenario.RunAsync(report, ct));
        await Step("u", "Micro-benchmark: status JSON parsing", () =>
        {
            StatusParsingBenchmarks.Run(report, Path.Combine(work, "BenchmarkDotNet.Artifacts"));
            return Task.CompletedTask;
        });
        await Step("6", "Emulator: render time and GET latency", () => EmulatorScenario.RunAsync(report, work, ct));
        await Step("8", "Workspace: a 100-shot batch against the emulator", () => BatchScenario.RunAsync(report, work, ct));
        await Step("4", "Job list render, 1,000 jobs vs 1 (BenchmarkDotNet, server-side)", () =>
        {
            JobListRenderScenario.Run(report, Path.Combine(work, "BenchmarkDotNet.Artifacts"));
            return Task.CompletedTask;
        });

        machine.LoadAtEnd = MachineInfo.LoadAverage();
        machine.Elapsed = clock.Elapsed;
        await report.WriteAsync(output, CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine(report.Markdown());
        Console.WriteLine($"Written: {Path.Combine(output, "latest.md")} and latest.json ({clock.Elapsed.TotalMinutes:0.0} min).");
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }

        return failures == 0 ? 0 : 1;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindRepoRoot()
    {
        return RepositoryPaths.FindRoot(Environment.CurrentDirectory)
            ?? RepositoryPaths.FindRoot(AppContext.BaseDirectory)
            ?? Environment.CurrentDirectory;
    }
}
