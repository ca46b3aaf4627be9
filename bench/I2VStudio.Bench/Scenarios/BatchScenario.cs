using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using I2VStudio.Bench.Infrastructure;
using I2VStudio.Testing;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Batches;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Services;
using I2VStudio.Workspace.Takes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace I2VStudio.Bench.Scenarios;

/// <summary>
/// Scenario 8 (issue 13): a 100-shot batch ("Generate chapter") against the emulator, with real ffmpeg renders and no
/// queue, stage or step time. The emulator runs in a child process with a data folder of its own, so the bench
/// process's memory is the host's (no browser in this scenario) and the emulator's own job table can be read after the
/// run. Two batch runners share the workspace database: the host's own and a second one started beside it, as a second
/// host instance would run it. Figures: total time, the host's extra memory (peak managed heap and peak RSS over the
/// values after a full GC before the start) and, from the emulator's job table and request counter, that every shot was
/// submitted exactly once.
/// </summary>
public static class BatchScenario
{
    private const string S = "8";
    private const int Scenes = 20;
    private const int ShotsPerScene = 5;
    private const int Shots = Scenes * ShotsPerScene;
    private const int MaxInFlight = BatchService.MaxInFlightLimit;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(Report report, string work, CancellationToken cancellationToken)
    {
        var emulatorData = Path.Combine(work, "batch-emulator");
        await using var emulator = await EmulatorProcess.StartAsync(new Dictionary<string, string>
        {
            ["QueueDelay"] = "00:00:00", ["StageDelay"] = "00:00:00", ["StepDuration"] = "00:00:00",
            ["DataDirectory"] = emulatorData,
        }, cancellationToken);
        await using var host = new StudioHost(emulator.ApiBaseUri, new Dictionary<string, string?>
        {
            ["Workspace:DataDirectory"] = Path.Combine(work, "batch-workspace"),
        });
        host.Start();
        var services = host.Services;
        var projects = services.GetRequiredService<ProjectService>();
        var takes = services.GetRequiredService<TakeService>();
        var batches = services.GetRequiredService<BatchService>();
        var contexts = services.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>();

        // One chapter of 20 scenes × 5 shots, every shot with a prompt of its own and the same source image.
        var project = await projects.CreateProjectAsync("Bench batch 100", cancellationToken);
        await projects.ImportNovelAsync(project.Id, Chapter(), "Prologue", cancellationToken);
        var tree = await projects.GetTreeAsync(project.Id, cancellationToken);
        var chapter = tree.Chapters.Single();
        foreach (var scene in chapter.Scenes)
        {
            for (var k = 2; k <= ShotsPerScene; k++) await projects.AddShotAsync(scene.Id, $"{scene.Title} Shot {k} pans slowly to the right.", cancellationToken);
        }

        var image = (await services.GetRequiredService<AssetStore>()
            .AddFileAsync(new MemoryStream(Pngs.Gradient(832, 480, CompressionLevel.Optimal)), "harbour.png", cancellationToken)).Asset;
        tree = await projects.GetTreeAsync(project.Id, cancellationToken);
        var shotIds = tree.Chapters.Single().Scenes.SelectMany(s => s.Shots).Select(s => s.Id).ToList();
        if (shotIds.Count != Shots) throw new InvalidOperationException($"Seeded {shotIds.Count} shots, not {Shots}.");
        foreach (var shot in shotIds) await takes.SetSourceImageAsync(shot, image.Id, cancellationToken);

        var estimate = await batches.EstimateAsync(TreeNodeKind.Chapter, chapter.Id, MaxInFlight, cancellationToken);
        if (estimate.Shots != Shots) throw new InvalidOperationException($"The estimate covers {estimate.Shots} shots, not {Shots}.");

        // A second runner beside the host's own, on the same database (as another host instance would be).
        var second = ActivatorUtilities.CreateInstance<BatchRunner>(services);
        var first = services.GetServices<IHostedService>().OfType<BatchRunner>().Single();
        await second.StartAsync(cancellationToken);
        try
        {
            // The host idles for a moment (its runners tick every second) before the baseline.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var self = Environment.ProcessId;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heapBefore = GC.GetTotalMemory(false);
            var rssBefore = ProcStats.Rss(self);
            var peakReset = ProcStats.ResetPeak(self);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = ProcStats.CpuTime(self);
            var emulatorCpuBefore = ProcStats.CpuTime(emulator.Pid);
            var postsBefore = (await emulator.CountersAsync(cancellationToken)).PostJob;

            var watch = Stopwatch.StartNew();
            double? doneAt = null;
            using var sampler = new PeakSampler(self, SampleEvery);
            var batch = await batches.StartAsync(TreeNodeKind.Chapter, chapter.Id, MaxInFlight, cancellationToken);
            BatchProgress progress;
            var captured = 0;
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                limit.CancelAfter(TimeSpan.FromMinutes(15));
                while (true)
                {
                    progress = (await batches.ListAsync(project.Id, limit.Token)).Single(b => b.Id == batch.Id);
                    if (progress.IsFinished) doneAt ??= watch.Elapsed.TotalSeconds;
                    await using (var db = await contexts.CreateDbContextAsync(limit.Token))
                    {
                        captured = await db.Takes.CountAsync(t => t.VideoAssetId != null, limit.Token);
                    }

                    if (progress.IsFinished && (captured >= progress.Done || watch.Elapsed.TotalSeconds - doneAt > 120)) break;
                    await Task.Delay(TimeSpan.FromMilliseconds(500), limit.Token);
                }
            }

            var capturedAt = watch.Elapsed.TotalSeconds;
            var (heapPeak, rssPeak) = sampler.Stop();
            var hwm = peakReset ? ProcStats.PeakRss(self) : rssPeak;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var cpu = (ProcStats.CpuTime(self) - cpuBefore).TotalSeconds;
            var emulatorCpu = (ProcStats.CpuTime(emulator.Pid) - emulatorCpuBefore).TotalSeconds;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heapAfter = GC.GetTotalMemory(false);
            var posts = (await emulator.CountersAsync(cancellationToken)).PostJob - postsBefore;

            // Who sent what, from the workspace database.
            List<(Guid Shot, string? ClaimedBy, Guid? Take)> items;
            List<(Guid Shot, string? JobId, string Prompt)> takeRows;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                items = [.. (await db.BatchItems.AsNoTracking().Where(i => i.BatchId == batch.Id).Select(i => new { i.ShotId, i.ClaimedBy, i.TakeId }).ToListAsync(cancellationToken))
                    .Select(i => (i.ShotId, i.ClaimedBy, i.TakeId))];
                takeRows = [.. (await db.Takes.AsNoTracking().Select(t => new { t.ShotId, t.JobId, t.PromptSent }).ToListAsync(cancellationToken))
                    .Select(t => (t.ShotId, t.JobId, t.PromptSent))];
            }

            // What the emulator itself received: its job table (one row per accepted POST).
            var emulatorJobs = EmulatorJobs(Path.Combine(emulatorData, "emulator.db"));
            var expectedPrompts = takeRows.Select(t => t.Prompt).ToHashSet(StringComparer.Ordinal);
            var distinctPrompts = emulatorJobs.Select(j => j.Prompt).Distinct(StringComparer.Ordinal).Count();
            var duplicates = emulatorJobs.GroupBy(j => j.Prompt, StringComparer.Ordinal).Count(g => g.Count() > 1);
            // The job table's own word for a finished render.
            var succeeded = emulatorJobs.Count(j => j.Status == "SUCCEEDED");
            var exactlyOnce = posts == Shots && emulatorJobs.Count == Shots && distinctPrompts == Shots && duplicates == 0
                && emulatorJobs.All(j => expectedPrompts.Contains(j.Prompt))
                && takeRows.Count == Shots && takeRows.Select(t => t.Shot).Distinct().Count() == Shots;
            var byRunner = items.GroupBy(i => i.ClaimedBy == first.InstanceId ? "host's runner" : i.ClaimedBy == second.InstanceId ? "second runner" : "none")
                .ToDictionary(g => g.Key, g => g.Count());

            var heapRise = heapPeak - heapBefore;
            var rssRise = Math.Max(hwm, rssPeak) - rssBefore;
            var extra = Math.Max(heapRise, rssRise) / 1e6;
            var runners = string.Join(", ", byRunner.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));
            report.Add(new Figure
            {
                Scenario = S, Metric = $"{Shots}-shot batch (Generate chapter): host peak extra memory", Unit = "MB", Ours = extra,
                Target = "≤ 100 MB", Met = extra <= 100,
                Note = $"the larger of the managed heap's peak (+{heapRise / 1e6:0.0} MB; GC.GetTotalMemory, garbage included) and RSS's peak " +
                       $"(+{rssRise / 1e6:0.0} MB; VmRSS sampled every {SampleEvery.TotalMilliseconds:0} ms ({sampler.Samples} samples) and the kernel's VmHWM{(peakReset ? " reset before the start" : ", not resettable here")}) " +
                       $"over the values after a full GC before the start (heap {heapBefore / 1e6:0.0} MB, RSS {rssBefore / 1e6:0} MB); " +
                       $"{allocated / 1e6:0} MB allocated; after the run and a full GC the heap was {(heapAfter - heapBefore) / 1e6:+0.0;-0.0} MB over the start; " +
                       $"bench process = host (no browser; the emulator in its own process)",
            });
            report.Add(new Figure
            {
                Scenario = S, Metric = $"{Shots}-shot batch: every shot submitted exactly once", Unit = "", Ours = emulatorJobs.Count,
                Target = "no job submitted twice", Met = exactlyOnce,
                Note = $"the emulator's own record: {posts} job POSTs counted, {emulatorJobs.Count} rows in its job table with {distinctPrompts} distinct prompts " +
                       $"(every shot's prompt is unique), {duplicates} prompts seen twice, {succeeded} SUCCEEDED in its table; the workspace: {takeRows.Count} takes for " +
                       $"{takeRows.Select(t => t.Shot).Distinct().Count()} shots; items claimed by {runners} (two runners on one SQLite workspace); " +
                       $"batch {progress.Done} done, {progress.Failed} failed",
            });
            report.Add(new Figure
            {
                Scenario = S, Metric = $"{Shots}-shot batch: start → all done", Unit = "s", Ours = doneAt ?? capturedAt,
                Note = $"at most {MaxInFlight} in flight; emulator: 1 worker, no queue/stage/step time, real ffmpeg renders of an 832×480 PNG (81 frames); " +
                       $"all {captured} videos captured into the asset store at {capturedAt:0} s; host CPU {cpu:0} s, emulator process {emulatorCpu:0} s (its ffmpeg children not counted)",
            });
            report.Detail("batch", new
            {
                shots = Shots, posts, emulatorRows = emulatorJobs.Count, distinctPrompts, duplicates, doneSeconds = doneAt, capturedSeconds = capturedAt,
                heapBefore, heapPeak, heapAfter, rssBefore, rssPeak, hwm, allocated, byRunner, samples = sampler.Samples,
            });
        }
        finally
        {
            await second.StopAsync(CancellationToken.None);
            second.Dispose();
        }
    }

    private static List<(string Prompt, string Status)> EmulatorJobs(string databaseFile)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT prompt, status FROM turbodiffusion_jobs";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }

    /// <summary>One "Chapter 1" heading and 20 scenes split by <c>---</c>; every first sentence is unique.</summary>
    private static string Chapter()
    {
        var text = new StringBuilder("Chapter 1 The harbour\n");
        for (var s = 1; s <= Scenes; s++)
        {
            if (s > 1) text.Append("---\n");
            text.Append(CultureInfo.InvariantCulture, $"Scene {s} opens on the harbour at dawn. Boats rock gently.\n");
        }

        return text.ToString();
    }
}
