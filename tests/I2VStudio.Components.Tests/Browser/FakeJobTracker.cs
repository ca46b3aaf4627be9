using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.Browser;

/// <summary>A tracker whose jobs and changes the test sets by hand.</summary>
internal sealed class FakeJobTracker : IJobTracker
{
    private readonly List<Func<JobChange, Task>> _handlers = [];

    public List<JobRecord> Records { get; } = [];

    public int Subscribers => _handlers.Count;

    public IReadOnlyList<JobRecord> Jobs => Records;

    /// <summary>Replaces (or adds) the record and tells the subscribers, as the tracker does after a poll.</summary>
    public async Task ChangeAsync(JobRecord now)
    {
        var index = Records.FindIndex(r => r.Id == now.Id);
        var before = index >= 0 ? Records[index] : null;
        if (index >= 0) Records[index] = now; else Records.Insert(0, now);
        var change = new JobChange(before is null ? JobChangeKind.Added : JobChangeKind.Updated, now.Id, now, before);
        foreach (var handler in _handlers.ToArray()) await handler(change);
    }

    public IDisposable Subscribe(Func<JobChange, Task> handler)
    {
        _handlers.Add(handler);
        return new Unsubscriber(() => _handlers.Remove(handler));
    }

    public JobRecord? Find(string id) => Records.Find(r => r.Id == id);
    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task<JobRecord> SubmitAsync(JobRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<JobRecord> SubmitAgainAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<JobRecord> RetryAsync(string id, long? newSeed, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<JobRecord> AdoptAsync(string jobId, string jobType, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task KeepCheckingAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<string?> RefreshOutputUrlAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task MarkSeenAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task RemoveAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Unsubscriber(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
