using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Emulator;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>
/// An in-process emulator that can be stopped and started again on the same ports and the same data directory (as a
/// restarted backend would be: same URL, same job table, same signing key). The first start takes free ports; a
/// restart binds the ports it got.
/// </summary>
public sealed class EmulatorHandle : IAsyncDisposable
{
    private readonly EmulatorOptions _options;
    private readonly string _dataDirectory;
    private RunningEmulator? _running;

    private EmulatorHandle(EmulatorOptions options, string dataDirectory)
    {
        _options = options;
        _dataDirectory = dataDirectory;
    }

    /// <summary>The test-side tap (per-job GET counts, the mangling proxy, held POSTs); it survives restarts.</summary>
    public EmulatorTap Tap { get; } = new();

    /// <summary>Holds jobs at their render (mid-job on demand); it survives restarts.</summary>
    public RenderGate Render { get; } = new();

    public Uri ApiBaseUri { get; private set; } = default!;

    public Uri StorageBaseUri { get; private set; } = default!;

    public bool IsRunning => _running is not null;

    public RunningEmulator Current => _running ?? throw new InvalidOperationException("The emulator is stopped.");

    public FaultController Faults => Current.Faults;

    public RequestCounters Counters => Current.Counters;

    public JobEventLog Events => Current.Events;

    /// <summary>
    /// Starts an emulator with test timings (jobs take about two seconds, most of it ffmpeg), adjusted by
    /// <paramref name="configure"/>.
    /// </summary>
    public static async Task<EmulatorHandle> StartAsync(Action<EmulatorOptions>? configure, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "i2v-e2e-emulator", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDirectory);
        var options = new EmulatorOptions
        {
            // The journeys read the DB badge and Lost, which only the legacy API's status carries; the VideoGen
            // journeys (BackendProfileTests) choose their profile.
            ApiProfile = EmulatorApiProfile.Legacy,
            DataDirectory = dataDirectory,
            // Fixed for the handle's life, so presigned URLs survive a restart.
            SigningSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            // Long enough to watch PENDING/SUBMITTED at a 150 ms poll, short enough for a fast suite.
            QueueDelay = TimeSpan.FromMilliseconds(600),
            StageDelay = TimeSpan.FromMilliseconds(100),
            StepDuration = TimeSpan.FromMilliseconds(150),
            WarmUpDelay = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        var handle = new EmulatorHandle(options, dataDirectory);
        await handle.StartCoreAsync(cancellationToken);
        handle.ApiBaseUri = handle.Current.ApiBaseUri;
        handle.StorageBaseUri = handle.Current.StorageBaseUri;
        // From now on the same ports: a restart is the same backend coming back.
        options.ApiUrl = handle.ApiBaseUri.GetLeftPart(UriPartial.Authority);
        options.StorageUrl = handle.StorageBaseUri.GetLeftPart(UriPartial.Authority);
        return handle;
    }

    /// <summary>
    /// Waits (event-driven, no polling) until the running emulator writes <paramref name="status"/> for
    /// <paramref name="jobId"/> to <paramref name="source"/>, or fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitForStatusAsync(string jobId, JobEventSource source, string status, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await Events.WaitForStatusAsync(jobId, source, status, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seen = string.Join(", ", Events.ForJob(jobId).Select(e => $"{e.Source}:{e.Status}"));
            throw new TimeoutException($"Job {jobId} did not reach {source} {status} within {timeout.TotalSeconds:0} s; it went through: [{seen}].");
        }
    }

    /// <summary>Waits until the job's Celery state is final (SUCCESS or FAILURE) in the running emulator.</summary>
    public async Task<string> WaitForFinishAsync(string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var finished = await Events.WaitForFinishAsync(jobId, limit.Token);
        return finished.Status;
    }

    /// <summary>
    /// Keeps the emulator's one worker busy: holds the render gate and posts a job straight to the API (no card in the
    /// studio), then waits until that job is at its render. Jobs submitted now stay PENDING until
    /// <see cref="RenderGate.Release"/>, so "queued" is a state the test holds rather than a 600 ms window.
    /// </summary>
    public async Task<string> OccupyWorkerAsync(CancellationToken cancellationToken)
    {
        Render.Hold();
        using var http = new HttpClient { BaseAddress = ApiBaseUri };
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Png(64, 64)) { Headers = { ContentType = new("image/png") } }, "image", "busy.png" },
            { new StringContent("keeps the worker busy"), "prompt" },
            { new StringContent("1"), "seed" },
            { new StringContent("1"), "num_steps" },
            { new StringContent("true"), "quantized" },
        };
        var route = _options.ApiProfile == EmulatorApiProfile.VideoGen ? "v1/videogen/wan22-i2v/jobs" : "v1/turbodiffusion/wan22-i2v/jobs";
        using var response = await http.PostAsync(new Uri(route, UriKind.Relative), form, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var jobId = body.RootElement.GetProperty("job_id").GetString()!;
        await WaitForStatusAsync(jobId, JobEventSource.Database, "RUNNING", Timeouts.JobSpan, cancellationToken);
        return jobId;
    }

    /// <summary>Stops the emulator (workers cancelled, ports closed); its data directory stays.</summary>
    public async Task StopAsync()
    {
        var running = Interlocked.Exchange(ref _running, null);
        if (running is not null)
        {
            await running.DisposeAsync();
        }
    }

    /// <summary>Starts it again on the same ports and data directory (restart recovery runs).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync();
        await StartCoreAsync(cancellationToken);
    }

    /// <summary>Faults off, counters zero: what every test starts from.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        if (_running is null)
        {
            await StartCoreAsync(cancellationToken);
        }

        Faults.Reset();
        Counters.Reset();
        Tap.Reset();
        Render.Release();
        await DrainAsync(cancellationToken);
    }

    /// <summary>
    /// Lets the jobs an earlier test left queued or running finish: the emulator has one worker, and a test that holds
    /// the render gate would hold such a job there, its own jobs queued behind it. Bounded: a job an injected fault
    /// stranded does not hold the suite up.
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            foreach (var jobId in Events.QueuedOrRunning()) await Events.WaitForFinishAsync(jobId, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stranded: the test starts anyway.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans /tmp.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        _running = await TurboDiffusionEmulatorServer.StartAsync(
            _options,
            services =>
            {
                services.AddSingleton<IStartupFilter>(new EmulatorTap.StartupFilter(Tap));
                // The emulator's engine (ffmpeg), behind the test's render gate.
                var engine = services.Last(d => d.ServiceType == typeof(IVideoEngine));
                services.Remove(engine);
                services.AddSingleton<IVideoEngine>(sp => new RenderGate.GatedEngine(
                    engine.ImplementationType is { } type
                        ? (IVideoEngine)ActivatorUtilities.CreateInstance(sp, type)
                        : (IVideoEngine)(engine.ImplementationInstance ?? engine.ImplementationFactory!(sp)),
                    Render));
            },
            cancellationToken);
    }
}
