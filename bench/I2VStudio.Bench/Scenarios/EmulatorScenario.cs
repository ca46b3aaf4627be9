using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using I2VStudio.Bench.Infrastructure;
using I2VStudio.Testing;
using TurboDiffusion.Emulator;

namespace I2VStudio.Bench.Scenarios;

/// <summary>Scenario 6: the emulator's render time for an 81-frame clip, and its status GET latency while it renders.</summary>
public static class EmulatorScenario
{
    private const string S = "6";
    private const int Renders = 3;

    public static async Task RunAsync(Report report, string workDirectory, CancellationToken cancellationToken)
    {
        await using var emulator = await TurboDiffusionEmulatorServer.StartAsync(new EmulatorOptions
        {
            // The bench measures the legacy API it was written against.
            ApiProfile = EmulatorApiProfile.Legacy,
            QueueDelay = TimeSpan.Zero, StageDelay = TimeSpan.Zero, StepDuration = TimeSpan.Zero, WarmUpDelay = TimeSpan.Zero,
        }, cancellationToken);
        using var http = new HttpClient { BaseAddress = emulator.ApiBaseUri };
        var png = Pngs.Gradient(1280, 720, CompressionLevel.Optimal);

        // Idle GET latency first (the same id, answered from the job table), as the baseline.
        var probeId = await SubmitAsync(http, png, seed: 1, cancellationToken);
        await emulator.Events.WaitForFinishAsync(probeId, cancellationToken);
        _ = await HammerAsync(http, probeId, TimeSpan.FromSeconds(1), cancellationToken); // warm-up (JIT, connection)
        var idle = await HammerAsync(http, probeId, TimeSpan.FromSeconds(3), cancellationToken);

        var renders = new List<double>();
        var jobs = new List<double>();
        var busy = new List<double>();
        for (var i = 0; i < Renders; i++)
        {
            var id = await SubmitAsync(http, png, seed: 10 + i, cancellationToken);
            var running = await emulator.Events.WaitForStatusAsync(id, JobEventSource.Database, "RUNNING", cancellationToken);
            // Status GETs of another job for as long as this one renders.
            using var stop = new CancellationTokenSource();
            var hammer = HammerUntilAsync(http, probeId, stop.Token);
            var finished = await emulator.Events.WaitForFinishAsync(id, cancellationToken);
            await stop.CancelAsync();
            busy.AddRange(await hammer);
            var uploaded = emulator.Events.ForJob(id).FirstOrDefault(e => e.Status == "UPLOADED") ?? finished;
            if (finished.Status != "SUCCESS") throw new InvalidOperationException($"The render failed: {string.Join(", ", emulator.Events.ForJob(id).Select(e => e.Status))}");
            renders.Add((uploaded.At - running.At).TotalSeconds);
            var started = emulator.Events.ForJob(id).First(e => e.Status == "STARTED");
            jobs.Add((finished.At - started.At).TotalSeconds);
        }

        // Baseline: ffmpeg encoding the same image into 81 frames of 1280×720 H.264, without the camera move.
        var input = Path.Combine(workDirectory, "render-input.png");
        await File.WriteAllBytesAsync(input, png, cancellationToken);
        var bare = new List<double>();
        for (var i = 0; i < Renders; i++) bare.Add(await BareEncodeAsync(input, Path.Combine(workDirectory, "bare.mp4"), cancellationToken));

        report.Add(new Figure
        {
            Scenario = S, Metric = "render of an 81-frame clip (1280×720 input)", Unit = "s", Ours = Stats.Median(renders),
            BaselineName = "bare ffmpeg encode", Baseline = Stats.Median(bare), Target = "≤ 10 s", Met = Stats.Median(renders) <= 10,
            Note = $"median of {Renders}; DB RUNNING → UPLOADED with zero step time; whole job STARTED → SUCCESS {Stats.Median(jobs):0.00} s",
        });
        report.Add(new Figure
        {
            Scenario = S, Metric = "status GET p95 while a render runs", Unit = "ms", Ours = Stats.Percentile(busy, 0.95),
            BaselineName = "idle", Baseline = Stats.Percentile(idle, 0.95), Target = "≤ 5 ms", Met = Stats.Percentile(busy, 0.95) <= 5,
            Note = $"{busy.Count} sequential GETs during renders (p50 {Stats.Median(busy):0.00} ms, max {busy.DefaultIfEmpty().Max():0.0} ms); idle p50 {Stats.Median(idle):0.00} ms",
        });
        report.Detail("emulator", new { renders, jobs, bare, idleP50 = Stats.Median(idle), busyCount = busy.Count });
    }

    private static async Task<string> SubmitAsync(HttpClient http, byte[] png, int seed, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var image = new ByteArrayContent(png);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(image, "image", "still.png");
        form.Add(new StringContent("a slow dolly-in over a gradient"), "prompt");
        form.Add(new StringContent(seed.ToString(CultureInfo.InvariantCulture)), "seed");
        form.Add(new StringContent("4"), "num_steps");
        form.Add(new StringContent("true"), "quantized");
        using var response = await http.PostAsync("v1/turbodiffusion/wan22-i2v/jobs", form, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("job_id").GetString()!;
    }

    private static async Task<List<double>> HammerAsync(HttpClient http, string jobId, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource(duration);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, cancellationToken);
        return await HammerUntilAsync(http, jobId, linked.Token);
    }

    /// <summary>Sequential status GETs until <paramref name="stop"/>; returns each latency in ms.</summary>
    private static async Task<List<double>> HammerUntilAsync(HttpClient http, string jobId, CancellationToken stop)
    {
        await Task.Yield();
        var latencies = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync("v1/turbodiffusion/jobs/" + jobId, HttpCompletionOption.ResponseContentRead, stop);
                _ = await response.Content.ReadAsByteArrayAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }

    private static async Task<double> BareEncodeAsync(string input, string output, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[]
                 {
                     "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-i", input,
                     "-vf", "scale=1280:720,format=yuv420p", "-frames:v", "81", "-r", "16",
                     "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-an", output,
                 })
        {
            info.ArgumentList.Add(a);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + errors);
        return watch.Elapsed.TotalSeconds;
    }
}
