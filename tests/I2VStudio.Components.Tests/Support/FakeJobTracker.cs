using System.Collections.Immutable;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.Support;

/// <summary>An <see cref="IJobTracker"/> test double: jobs set by hand, every call recorded, subscriptions counted.</summary>
internal sealed class FakeJobTracker : IJobTracker
{
    private readonly List<Func<JobChange, Task>> _handlers = [];
    private int _counter;

    /// <summary>The records, newest first.</summary>
    public List<JobRecord> Records { get; } = [];

    /// <summary>Handlers currently subscribed.</summary>
    public int ActiveSubscriptions => _handlers.Count;

    public int InitializeCalls { get; private set; }

    public List<JobRequest> Submitted { get; } = [];

    /// <summary>When set, SubmitAsync waits for it after adding the record (a POST in flight).</summary>
    public TaskCompletionSource? SubmitGate { get; set; }

    /// <summary>When set, SubmitAsync ends the record in SubmitFailed with this error.</summary>
    public JobError? SubmitError { get; set; }

    public List<string> SubmittedAgain { get; } = [];

    public List<(string Id, long? Seed)> Retries { get; } = [];

    public List<(string JobId, string JobType)> Adopted { get; } = [];

    public List<string> KeptChecking { get; } = [];

    public List<string> Refreshed { get; } = [];

    public List<string> MarkedSeen { get; } = [];

    public List<string> Removed { get; } = [];

    /// <summary>What RefreshOutputUrlAsync answers.</summary>
    public string? NextOutputUrl { get; set; } = "https://storage.example/out.mp4?sig=fresh";

    public DateTimeOffset? NextOutputUrlExpiresAt { get; set; }

    public Exception? AdoptError { get; set; }

    public IReadOnlyList<JobRecord> Jobs => Records;

    public JobRecord? Find(string id) => Records.Find(r => r.Id == id);

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        InitializeCalls++;
        return Task.CompletedTask;
    }

    public async Task<JobRecord> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        Submitted.Add(request);
        var record = new JobRecord
        {
            Id = "new-" + ++_counter,
            JobType = request.JobType,
            Inputs = request.Inputs,
            Params = request.Params,
            Status = JobStatus.Submitting,
            CreatedAt = TestJobs.Epoch,
        };
        await AddAsync(record);
        if (SubmitGate is { } gate) await gate.Task;
        if (SubmitError is { } error)
        {
            record = record with { Status = new JobStatus(null, null, JobPhase.SubmitFailed), Error = error };
        }
        else
        {
            record = record with { JobId = "job-" + record.Id, Status = new JobStatus(null, null, JobPhase.Queued) };
        }
        await ChangeAsync(record);
        return record;
    }

    public Task<JobRecord> SubmitAgainAsync(string id, CancellationToken cancellationToken)
    {
        SubmittedAgain.Add(id);
        return Task.FromResult(Find(id)!);
    }

    /// <summary>When set, RetryAsync waits for it after recording the call (a POST in flight).</summary>
    public TaskCompletionSource? RetryGate { get; set; }

    public async Task<JobRecord> RetryAsync(string id, long? newSeed, CancellationToken cancellationToken)
    {
        Retries.Add((id, newSeed));
        if (RetryGate is { } gate) await gate.Task;
        var original = Find(id)!;
        var record = original with
        {
            Id = "retry-" + ++_counter,
            JobId = null,
            ParentId = id,
            Status = JobStatus.Submitting,
            Timeline = ImmutableList<JobStatusChange>.Empty,
            CompletedAt = null,
        };
        await AddAsync(record);
        return record;
    }

    public async Task<JobRecord> AdoptAsync(string jobId, string jobType, CancellationToken cancellationToken)
    {
        Adopted.Add((jobId, jobType));
        if (AdoptError is { } error) throw error;
        var record = new JobRecord { Id = "adopted-" + ++_counter, JobId = jobId, JobType = jobType, CreatedAt = TestJobs.Epoch,
            Status = new JobStatus(null, null, JobPhase.Queued) };
        await AddAsync(record);
        return record;
    }

    public Task KeepCheckingAsync(string id, CancellationToken cancellationToken)
    {
        KeptChecking.Add(id);
        return Task.CompletedTask;
    }

    public Task<string?> RefreshOutputUrlAsync(string id, CancellationToken cancellationToken)
    {
        Refreshed.Add(id);
        if (NextOutputUrl is { } url && Find(id) is { } record)
        {
            var index = Records.IndexOf(record);
            Records[index] = record with { OutputUrl = url, OutputUrlExpiresAt = NextOutputUrlExpiresAt ?? record.OutputUrlExpiresAt };
        }
        return Task.FromResult(NextOutputUrl);
    }

    public Task MarkSeenAsync(string id, CancellationToken cancellationToken)
    {
        MarkedSeen.Add(id);
        if (Find(id) is { } record) Records[Records.IndexOf(record)] = record with { Seen = true };
        return Task.CompletedTask;
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        Removed.Add(id);
        var record = Find(id);
        if (record is null) return;
        Records.Remove(record);
        await RaiseAsync(new JobChange(JobChangeKind.Removed, id, null, record));
    }

    public IDisposable Subscribe(Func<JobChange, Task> handler)
    {
        _handlers.Add(handler);
        return new Subscription(() => _handlers.Remove(handler));
    }

    /// <summary>Adds a record first (newest) and tells the subscribers.</summary>
    public async Task AddAsync(JobRecord record)
    {
        Records.Insert(0, record);
        await RaiseAsync(new JobChange(JobChangeKind.Added, record.Id, record, null));
    }

    /// <summary>Replaces a record and tells the subscribers, as a poll would.</summary>
    public async Task ChangeAsync(JobRecord record)
    {
        var index = Records.FindIndex(r => r.Id == record.Id);
        var before = index >= 0 ? Records[index] : null;
        if (index >= 0) Records[index] = record; else Records.Insert(0, record);
        await RaiseAsync(new JobChange(before is null ? JobChangeKind.Added : JobChangeKind.Updated, record.Id, record, before));
    }

    private async Task RaiseAsync(JobChange change)
    {
        foreach (var handler in _handlers.ToArray()) await handler(change);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Subscription(Action onDispose) : IDisposable
    {
        private Action? _onDispose = onDispose;

        public void Dispose()
        {
            _onDispose?.Invoke();
            _onDispose = null;
        }
    }
}
