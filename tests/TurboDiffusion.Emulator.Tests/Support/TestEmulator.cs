using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace TurboDiffusion.Emulator.Tests.Support;

/// <summary>
/// An emulator started for one test with millisecond timings, an HttpClient on its API, and the
/// test's own data directory (deleted afterwards unless the test keeps it for a restart).
/// </summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    private readonly bool ownsDataDirectory;

    private TestEmulator(RunningEmulator emulator, string dataDirectory, bool ownsDataDirectory)
    {
        Emulator = emulator;
        DataDirectory = dataDirectory;
        this.ownsDataDirectory = ownsDataDirectory;
        Http = new HttpClient { BaseAddress = emulator.ApiBaseUri };
    }

    public RunningEmulator Emulator { get; }

    public HttpClient Http { get; }

    public string DataDirectory { get; }

    public static Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null) =>
        StartAsync(configure, clock: null, dataDirectory: null);

    public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure, FakeTimeProvider? clock, string? dataDirectory)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= NewDataDirectory();
        var options = FastOptions(dataDirectory);
        if (clock is not null)
        {
            // A fake clock only moves when the test advances it: no simulated waits at all.
            options.StepDuration = TimeSpan.Zero;
        }

        configure?.Invoke(options);
        Action<IServiceCollection>? services = clock is null ? null : s => s.AddKeyedSingleton<TimeProvider>(EmulatorServiceKeys.Clock, clock);
        var emulator = await TurboDiffusionEmulatorServer.StartAsync(options, services, TestContext.Current.CancellationToken);
        return new TestEmulator(emulator, dataDirectory, owns);
    }

    public static string NewDataDirectory() =>
        Path.Combine(Path.GetTempPath(), "turbodiffusion-emulator-tests", Guid.NewGuid().ToString("N")[..12]);

    /// <summary>No queue wait, no stage pauses, 5 ms per step: a job takes about as long as its render.</summary>
    public static EmulatorOptions FastOptions(string dataDirectory) => new()
    {
        // Most tests check the legacy contract's payloads; VideoGenContractTests choose VideoGen.
        ApiProfile = EmulatorApiProfile.Legacy,
        DataDirectory = dataDirectory,
        QueueDelay = TimeSpan.Zero,
        StageDelay = TimeSpan.Zero,
        StepDuration = TimeSpan.FromMilliseconds(5),
    };

    /// <summary>POSTs a job and returns its id (the POST must succeed).</summary>
    public async Task<string> SubmitAsync(MultipartFormDataContent? form = null)
    {
        using var content = form ?? JobForms.Create(durationSeconds: "0.5");
        using var response = await Http.PostAsync(Routes.Jobs, content, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("job_id").GetString()!;
    }

    public async Task<JsonElement> GetJobAsync(string jobId) =>
        await Http.GetFromJsonAsync<JsonElement>(Routes.Job(jobId), TestContext.Current.CancellationToken);

    /// <summary>Waits, without polling, until the job's Celery state is final; fails the test after <paramref name="seconds"/>.</summary>
    public async Task<JobStatusEvent> WaitForFinishAsync(string jobId, int seconds = 30)
    {
        using var timeout = Timeouts.After(seconds);
        return await Emulator.Events.WaitForFinishAsync(jobId, timeout.Token);
    }

    public async Task WaitForDbStatusAsync(string jobId, string status, int seconds = 30)
    {
        using var timeout = Timeouts.After(seconds);
        await Emulator.Events.WaitForStatusAsync(jobId, JobEventSource.Database, status, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
        if (ownsDataDirectory)
        {
            DeleteDirectory(DataDirectory);
        }
    }

    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

internal static class Routes
{
    public static readonly Uri Jobs = new("v1/turbodiffusion/wan22-i2v/jobs", UriKind.Relative);
    public static readonly Uri Models = new("v1/turbodiffusion/models", UriKind.Relative);
    public static readonly Uri Health = new("health", UriKind.Relative);
    public static readonly Uri Paths = new("paths", UriKind.Relative);
    public static readonly Uri Faults = new("_emulator/faults", UriKind.Relative);
    public static readonly Uri Counters = new("_emulator/counters", UriKind.Relative);
    public static readonly Uri Reset = new("_emulator/reset", UriKind.Relative);

    public static Uri Job(string jobId) => new("v1/turbodiffusion/jobs/" + Uri.EscapeDataString(jobId), UriKind.Relative);
}

internal static class Timeouts
{
    /// <summary>A token that fires after <paramref name="seconds"/> or when the test run is cancelled.</summary>
    public static CancellationTokenSource After(int seconds)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source;
    }
}
