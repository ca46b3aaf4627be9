using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>What one scheduled action of a job did, read from the tracker and its scheduler once the job was idle again.</summary>
/// <param name="Id">The record's local id.</param>
/// <param name="Work">The action.</param>
/// <param name="At">When it was applied.</param>
/// <param name="Record">The record after it, or null when the record is gone.</param>
/// <param name="Fault">The GET's failure, if any.</param>
/// <param name="NextDueAt">When the next action is due, or null when tracking stopped.</param>
internal sealed record PollReport(string Id, ScheduledWork Work, DateTimeOffset At, JobRecord? Record, Exception? Fault,
    DateTimeOffset? NextDueAt);

/// <summary>
/// A tracker on a fake clock with in-memory stores and a scripted job type. Waits are bounded real-time guards
/// on signals (a job's scheduled actions were applied, a call arrived), never sleeps.
/// </summary>
internal sealed class TrackerHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);
    public const string BlobKey = "blob-cat";
    public static readonly byte[] ImageBytes = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

    private readonly ConcurrentQueue<JobChange> _changes = new();
    private readonly Dictionary<string, ScheduledRun?> _reported = new(StringComparer.Ordinal);
    private JobTracker? _tracker;
    private PollScheduler? _scheduler;

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

    /// <summary>When set, every save the tracker starts calls it first and reaches <see cref="Store"/> when its task
    /// completes (a store whose answer takes a while, as the browser's does over the circuit).</summary>
    public Func<JobRecord, Task>? BeforeSave { get; set; }

    public InMemoryJobBlobStore Blobs { get; } = new();

    /// <summary>When set before the tracker is created, the job type the tracker submits with instead of <see cref="JobType"/>
    /// (e.g. the real <see cref="I2VJobType"/> over a recording HTTP handler).</summary>
    public IJobTypeDefinition? Submitter { get; set; }

    /// <summary>When set before the tracker is created, the blob store the tracker opens images from instead of <see cref="Blobs"/>.</summary>
    public IJobBlobStore? BlobStore { get; set; }

    public TurboDiffusionOptions Options { get; }

    public int Seed { get; }

    /// <summary>The tracker, created on first use (so a test can seed the store first).</summary>
    public JobTracker Tracker => _tracker ??= CreateTracker();

    /// <summary>The tracker's scheduler: when each job's next action is due and what its last one did.</summary>
    public PollScheduler Scheduler
    {
        get
        {
            _ = Tracker;
            return _scheduler!;
        }
    }

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

    /// <summary>
    /// Waits until <paramref name="id"/> has nothing in flight or due, then reports its last action, which must be
    /// one not reported before (a poll, expiry or orphan check that happened, not one assumed).
    /// </summary>
    public async Task<PollReport> NextReportAsync(string id)
    {
        await Scheduler.WhenIdleAsync(id, Ct).WaitAsync(ScriptedJobType.Guard, Ct);
        var run = Scheduler.LastRun(id);
        if (run is null || (_reported.TryGetValue(id, out var reported) && ReferenceEquals(run, reported)))
        {
            throw new InvalidOperationException($"No scheduled action of {id} was applied.");
        }

        _reported[id] = run;
        return new PollReport(id, run.Work, run.At, Tracker.Find(id), run.Fault, Scheduler.DueAt(id));
    }

    /// <summary>Moves the clock exactly to the job's next due time and waits until that action has been applied.</summary>
    public async Task<PollReport> AdvanceToNextPollAsync(string id)
    {
        var due = Scheduler.DueAt(id) ?? throw new InvalidOperationException($"Nothing is scheduled for {id}.");
        _reported[id] = Scheduler.LastRun(id);
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
        _scheduler = new PollScheduler(Time, Options.Polling.MaxConcurrentRequests);
        var tracker = new JobTracker([Submitter ?? JobType], new HeldStore(this), BlobStore ?? Blobs, Microsoft.Extensions.Options.Options.Create(Options), Time,
            NullLogger<JobTracker>.Instance, new Random(Seed), _scheduler);
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

    /// <summary><see cref="Store"/> behind <see cref="BeforeSave"/>.</summary>
    private sealed class HeldStore(TrackerHarness harness) : IJobStore
    {
        public Task<IReadOnlyList<JobRecord>> LoadAllAsync(CancellationToken cancellationToken) => harness.Store.LoadAllAsync(cancellationToken);

        public async Task SaveAsync(JobRecord record, CancellationToken cancellationToken)
        {
            if (harness.BeforeSave is { } before) await before(record);
            await harness.Store.SaveAsync(record, cancellationToken);
        }

        public Task RemoveAsync(string id, CancellationToken cancellationToken) => harness.Store.RemoveAsync(id, cancellationToken);

        public IDisposable WatchExternalChanges(Func<IReadOnlyCollection<string>, Task> onChanged) => harness.Store.WatchExternalChanges(onChanged);
    }
}
