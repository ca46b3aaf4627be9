using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>
/// A tracker on a fake clock with in-memory stores and a scripted job type. Waits are bounded real-time guards
/// on signals (a poll was applied, a call arrived), never sleeps.
/// </summary>
internal sealed class TrackerHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);
    public const string BlobKey = "blob-cat";
    public static readonly byte[] ImageBytes = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

    private readonly Channel<JobTracker.PollReport> _reports = Channel.CreateUnbounded<JobTracker.PollReport>();
    private readonly ConcurrentQueue<JobChange> _changes = new();
    private JobTracker? _tracker;

    public TrackerHarness(Action<PollingOptions>? polling = null, int seed = 12345, Action<TurboDiffusionOptions>? options = null)
    {
        Time = new FakeTimeProvider(Start);
        JobType = new ScriptedJobType(Time);
        Options = new TurboDiffusionOptions { BaseUrl = new Uri("http://backend.test:8000/") };
        polling?.Invoke(Options.Polling);
        options?.Invoke(Options);
        Seed = seed;
        Blobs.Put(BlobKey, ImageBytes);
    }

    public FakeTimeProvider Time { get; }

    public ScriptedJobType JobType { get; }

    public InMemoryJobStore Store { get; } = new();

    public InMemoryJobBlobStore Blobs { get; } = new();

    public TurboDiffusionOptions Options { get; }

    public int Seed { get; }

    /// <summary>The tracker, created on first use (so a test can seed the store first).</summary>
    public JobTracker Tracker => _tracker ??= CreateTracker();

    /// <summary>Every change announced so far, in order.</summary>
    public IReadOnlyList<JobChange> Changes => [.. _changes];

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static JobRequest Request(string prompt = "A cat walks\nslowly", long seed = 42, string? blobKey = BlobKey) =>
        new(I2VParams.JobTypeName,
            new JobInputs { Prompt = prompt, ImageName = "cat.png", ImageBlobKey = blobKey, ImageContentType = "image/png", ImageSize = 7 },
            new I2VParams { Seed = seed, NumSteps = 4, Quantized = true }.ToJson());

    /// <summary>Submits a request whose POST answers <paramref name="jobId"/>; the record is Queued.</summary>
    public async Task<JobRecord> SubmitQueuedAsync(string jobId = "job-1", JobRequest? request = null)
    {
        JobType.SubmitReturns(jobId);
        var record = await Tracker.SubmitAsync(request ?? Request(), Ct);
        Assert.Equal(JobPhase.Queued, record.Status.Phase);
        return record;
    }

    /// <summary>Waits for the next applied poll (or expiry / orphan check) of <paramref name="id"/>.</summary>
    public async Task<JobTracker.PollReport> NextReportAsync(string id)
    {
        while (true)
        {
            var report = await _reports.Reader.ReadAsync(Ct).AsTask().WaitAsync(ScriptedJobType.Guard);
            if (report.Id == id) return report;
        }
    }

    /// <summary>Moves the clock exactly to the job's next due time and waits until that poll has been applied.</summary>
    public async Task<JobTracker.PollReport> AdvanceToNextPollAsync(string id)
    {
        var due = Tracker.NextDueAt(id) ?? throw new InvalidOperationException($"Nothing is scheduled for {id}.");
        var wait = due - Time.GetUtcNow();
        Time.Advance(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        return await NextReportAsync(id);
    }

    /// <summary>Runs <paramref name="count"/> polls and returns the time between each poll and the previous one.</summary>
    public async Task<IReadOnlyList<TimeSpan>> IntervalsAsync(string id, int count)
    {
        var intervals = new List<TimeSpan>();
        var last = Time.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            var report = await AdvanceToNextPollAsync(id);
            intervals.Add(report.At - last);
            last = report.At;
        }

        return intervals;
    }

    /// <summary>Waits until a change matching <paramref name="predicate"/> was announced.</summary>
    public async Task<JobChange> WaitForChangeAsync(Func<JobChange, bool> predicate)
    {
        var signal = new TaskCompletionSource<JobChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Tracker.Subscribe(change =>
        {
            if (predicate(change)) signal.TrySetResult(change);
            return Task.CompletedTask;
        });
        var already = Changes.FirstOrDefault(predicate);
        if (already is not null) return already;
        return await signal.Task.WaitAsync(ScriptedJobType.Guard, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_tracker is not null) await _tracker.DisposeAsync();
    }

    private JobTracker CreateTracker()
    {
        var tracker = new JobTracker([JobType], Store, Blobs, Microsoft.Extensions.Options.Options.Create(Options), Time,
            NullLogger<JobTracker>.Instance, new Random(Seed));
        tracker.PollCompleted = report => _reports.Writer.TryWrite(report);
        tracker.Subscribe(change =>
        {
            _changes.Enqueue(change);
            return Task.CompletedTask;
        });
        return tracker;
    }

    /// <summary>A record as a store would hold it for a job submitted at <paramref name="createdAt"/>.</summary>
    public JobRecord StoredRecord(string id, string? jobId, JobPhase phase, DateTimeOffset createdAt, long revision = 1) => new()
    {
        Id = id,
        JobId = jobId,
        JobType = I2VParams.JobTypeName,
        Inputs = Request().Inputs,
        Params = Request().Params,
        Status = new JobStatus(jobId is null ? null : "PENDING", jobId is null ? null : "SUBMITTED", phase),
        Timeline = [new JobStatusChange(createdAt, null, null, phase)],
        CreatedAt = createdAt,
        LastChangeAt = createdAt,
        Deadline = createdAt + Options.Polling.Deadline,
        TrackedSince = createdAt,
        Revision = revision,
        UpdatedAt = createdAt,
    };
}
