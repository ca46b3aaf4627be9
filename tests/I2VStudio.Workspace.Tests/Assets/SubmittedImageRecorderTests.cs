using I2VStudio.Testing;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Tests.Assets;

public sealed class SqliteSubmittedImageRecorderTests() : SubmittedImageRecorderTests(TestProvider.Sqlite);

public sealed class PostgresSubmittedImageRecorderTests() : SubmittedImageRecorderTests(TestProvider.Postgres);

/// <summary>Every image submitted from /tools/i2v becomes an asset, once per content, when the backend accepts the job.</summary>
public abstract class SubmittedImageRecorderTests(TestProvider provider) : IAsyncLifetime
{
    private readonly InMemoryJobBlobStore images = new();
    private TestWorkspace workspace = default!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private SubmittedImageRecorder Recorder => workspace.Services.GetRequiredService<SubmittedImageRecorder>();

    public async ValueTask InitializeAsync() => workspace = await TestWorkspace.StartAsync(provider, Ct);

    public async ValueTask DisposeAsync()
    {
        if (workspace is not null) await workspace.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The tracker's change when the backend accepts the submission of an image stored under <paramref name="blobKey"/>.</summary>
    private static JobChange Accepted(string blobKey, string imageName, JobContext? context = null)
    {
        var submitting = new JobRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            JobType = "i2v",
            Inputs = new JobInputs { Prompt = "雨落下", ImageName = imageName, ImageBlobKey = blobKey, ImageContentType = "image/png", Context = context },
        };
        var queued = submitting with { JobId = "job-" + submitting.Id, Status = new JobStatus("PENDING", "SUBMITTED", JobPhase.Queued) };
        return new JobChange(JobChangeKind.Updated, submitting.Id, queued, submitting);
    }

    [Fact]
    public async Task Record_SameImageSubmittedTwice_OneImageAssetSecondAlreadyStored()
    {
        var png = Pngs.Gradient(40, 24);
        images.Put("img-a", png);
        images.Put("img-b", [.. png]);

        var first = await Recorder.RecordAsync(Accepted("img-a", "harbour.png"), images, Ct);
        var second = await Recorder.RecordAsync(Accepted("img-b", "harbour-again.png"), images, Ct);

        Assert.NotNull(first);
        Assert.Equal(("harbour.png", AssetKind.Image, false), (first.Asset.Name, first.Asset.Kind, first.AlreadyStored));
        Assert.Equal((first.Asset.Id, true), (second!.Asset.Id, second.AlreadyStored));
        Assert.Single(await workspace.Assets.SearchAsync(null, AssetKind.Image, Ct));
    }

    [Fact]
    public async Task Watch_ImageReadBlocks_SubscriberReturnsBeforeTheCopyThenTheCopyIsKept()
    {
        using var image = new BlockingImageStore(Pngs.Gradient(40, 24));
        var tracker = new SubscriberOnlyTracker();
        using var watch = Recorder.Watch(tracker, image);

        // The tracker tells its subscribers one after the other and shows the job id only after all of them: the
        // recorder's callback must return while the image is still being read (here: blocked inside the store).
        var told = Task.Run(() => tracker.Tell(Accepted("img", "harbour.png")), Ct);
        try
        {
            await told.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.False(image.Closed.IsCompleted);
        }
        finally
        {
            image.Release();
        }

        await image.Closed.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("harbour.png", Assert.Single(await workspace.Assets.SearchAsync(null, AssetKind.Image, Ct)).Name);
    }

    [Fact]
    public async Task Record_NotTheMomentOfAcceptance_NothingStored()
    {
        images.Put("img", Pngs.Gradient(16, 16));
        var accepted = Accepted("img", "a.png");
        var stillSubmitting = accepted with { Record = accepted.Previous };
        var acceptedEarlier = accepted with { Previous = accepted.Record };
        var added = accepted with { Kind = JobChangeKind.Added, Previous = null };
        var take = Accepted("img", "a.png", new JobContext("p", "s", "t"));
        var gone = Accepted("evicted", "a.png");

        foreach (var change in new[] { stillSubmitting, acceptedEarlier, added, take, gone })
            Assert.Null(await Recorder.RecordAsync(change, images, Ct));

        Assert.Empty(await workspace.Assets.SearchAsync(null, null, Ct));
    }

    /// <summary>An image store whose read blocks its caller's thread until <see cref="Release"/>, as a read that
    /// completes synchronously would; <see cref="Closed"/> completes when the stream it gave is disposed.</summary>
    private sealed class BlockingImageStore(byte[] bytes) : IJobBlobStore, IDisposable
    {
        private readonly ManualResetEventSlim _gate = new();
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Closed => _closed.Task;

        public void Release() => _gate.Set();

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
        {
            _gate.Wait(cancellationToken);
            return Task.FromResult<Stream?>(new ClosingStream(bytes, _closed));
        }

        public void Dispose() => _gate.Dispose();

        private sealed class ClosingStream(byte[] bytes, TaskCompletionSource closed) : MemoryStream(bytes, writable: false)
        {
            protected override void Dispose(bool disposing)
            {
                base.Dispose(disposing);
                closed.TrySetResult();
            }
        }
    }

    /// <summary>A tracker that only takes subscriptions; <see cref="Tell"/> calls the subscriber as the tracker does.</summary>
    private sealed class SubscriberOnlyTracker : IJobTracker
    {
        private Func<JobChange, Task>? _handler;

        public Task Tell(JobChange change) => _handler!(change);

        public IDisposable Subscribe(Func<JobChange, Task> handler)
        {
            _handler = handler;
            return new Unsubscribe(() => _handler = null);
        }

        public IReadOnlyList<JobRecord> Jobs => [];
        public JobRecord? Find(string id) => null;
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

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }
}
