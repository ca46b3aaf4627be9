using System.Net;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Tests.Http;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>
/// The record's save before the POST, off the critical path (bench scenario 3): a job with an image is POSTed at once
/// through the client's real pipeline, but the form's end waits for the save, so the backend (which takes a job only
/// once the whole form has arrived) can never accept a job whose record is not stored.
/// </summary>
public sealed class JobTrackerSaveGateTests
{
    private const string CreateReply = """{"job_id": "job-7", "status": "submitted"}""";

    private static CancellationToken Ct => TrackerHarness.Ct;

    [Fact]
    public async Task Submit_WithImage_PostStreamsBeforeTheSaveButTheFormEndsOnlyAfterIt()
    {
        await using var h = new TrackerHarness();
        var backend = new FormReadingBackend();
        using var api = TestApi.Create(backend);
        h.Submitter = new I2VJobType(api.Api);
        var save = HoldFirstSave(h);

        var submit = h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);
        int storedMeanwhile;
        int completeMeanwhile;
        try
        {
            await backend.ImageArrived.WaitAsync(ScriptedJobType.Guard, Ct);
            storedMeanwhile = h.Store.Records.Count;
            completeMeanwhile = backend.CompleteForms;
        }
        finally
        {
            save.TrySetResult();
        }

        var record = await submit.WaitAsync(ScriptedJobType.Guard, Ct);

        // The image went out while the save was pending; the form's end did not.
        Assert.Equal(0, storedMeanwhile);
        Assert.Equal(0, completeMeanwhile);
        Assert.Equal(1, backend.CompleteForms);
        Assert.Equal(("job-7", JobPhase.Queued), (record.JobId, record.Status.Phase));
        Assert.Equal("job-7", h.Store.Find(record.Id)!.JobId);
    }

    [Fact]
    public async Task Submit_WithImage_SaveFailsMidUpload_NoJobAtTheBackendAndRecordKeptWithClearError()
    {
        await using var h = new TrackerHarness();
        var backend = new FormReadingBackend();
        using var api = TestApi.Create(backend);
        h.Submitter = new I2VJobType(api.Api);
        var save = HoldFirstSave(h);
        var request = TrackerHarness.Request();

        var submit = h.Tracker.SubmitAsync(request, Ct);
        try
        {
            await backend.ImageArrived.WaitAsync(ScriptedJobType.Guard, Ct);
            save.SetException(new InvalidOperationException("SecurityError: access to storage is denied"));
        }
        finally
        {
            save.TrySetResult();
        }

        var record = await submit.WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal(0, backend.CompleteForms);
        Assert.Equal(1, backend.Requests);
        Assert.Null(record.JobId);
        Assert.Equal(JobPhase.SubmitFailed, record.Status.Phase);
        Assert.Equal(JobErrorSource.Submit, record.Error!.Source);
        Assert.False(record.Error.MayHaveBeenSubmitted);
        Assert.StartsWith("Not sent: the job could not be saved in this browser", record.Error.Message, StringComparison.Ordinal);
        Assert.Contains("SecurityError: access to storage is denied", record.Error.Message, StringComparison.Ordinal);
        var kept = Assert.Single(h.Tracker.Jobs);
        Assert.Equal((record.Id, request.Inputs), (kept.Id, kept.Inputs));
    }

    [Fact]
    public async Task Submit_ImagePostedByItsHolder_HolderPostsOnlyOnceTheRecordIsStored()
    {
        await using var h = new TrackerHarness();
        using var api = TestApi.Create(FakeHandler.Always(() => throw new InvalidOperationException("The holder posts this form, not HttpClient.")));
        h.Submitter = new I2VJobType(api.Api);
        var holder = new PostingImageStore(h);
        h.BlobStore = holder;

        var record = await h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct).WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal("job-7", record.JobId);
        var storedWhenPosted = Assert.Single(holder.StoredWhenPosted);
        Assert.Equal((record.Id, JobPhase.Submitting), (storedWhenPosted!.Id, storedWhenPosted.Status.Phase));
    }

    [Fact]
    public async Task Submit_ImagePostedByItsHolder_SaveFails_HolderNeverPosts()
    {
        await using var h = new TrackerHarness();
        using var api = TestApi.Create(FakeHandler.Always(() => throw new InvalidOperationException("The holder posts this form, not HttpClient.")));
        h.Submitter = new I2VJobType(api.Api);
        var holder = new PostingImageStore(h);
        h.BlobStore = holder;
        h.BeforeSave = record => record.Status.Phase == JobPhase.Submitting
            ? Task.FromException(new InvalidOperationException("SecurityError: access to storage is denied"))
            : Task.CompletedTask;

        var record = await h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct).WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Empty(holder.StoredWhenPosted);
        Assert.Equal(JobPhase.SubmitFailed, record.Status.Phase);
        Assert.StartsWith("Not sent: the job could not be saved in this browser", record.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WithoutImage_SaveFails_NoPost()
    {
        await using var h = new TrackerHarness();
        h.BeforeSave = record => record.Status.Phase == JobPhase.Submitting
            ? Task.FromException(new InvalidOperationException("SecurityError: access to storage is denied"))
            : Task.CompletedTask;

        var record = await h.Tracker.SubmitAsync(TrackerHarness.Request(blobKey: null), Ct).WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal(0, h.JobType.SubmitCount);
        Assert.Equal(JobPhase.SubmitFailed, record.Status.Phase);
        Assert.False(record.Error!.MayHaveBeenSubmitted);
    }

    /// <summary>Holds the record's first save (Submitting) until the test completes the returned source.</summary>
    private static TaskCompletionSource HoldFirstSave(TrackerHarness h)
    {
        var save = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.BeforeSave = record => record.Status.Phase == JobPhase.Submitting ? save.Task : Task.CompletedTask;
        return save;
    }

    /// <summary>
    /// A backend as the network shows it: reads each job POST's body as it arrives and creates a job only for a form
    /// it read to its end (as FastAPI does); a body the sender aborts creates nothing.
    /// </summary>
    private sealed class FormReadingBackend : HttpMessageHandler
    {
        private int _requests;
        private int _completeForms;

        /// <summary>Set once the image's bytes have arrived in a request's body.</summary>
        public Task ImageArrived => _imageArrived.Task;

        private readonly TaskCompletionSource _imageArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Requests => Volatile.Read(ref _requests);

        /// <summary>Bodies read to their end: the jobs this backend created.</summary>
        public int CompleteForms => Volatile.Read(ref _completeForms);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var body = new ArrivalStream(this);
            await request.Content!.CopyToAsync(body, cancellationToken);
            Interlocked.Increment(ref _completeForms);
            return Responses.Json(HttpStatusCode.OK, CreateReply);
        }

        private sealed class ArrivalStream(FormReadingBackend backend) : MemoryStream
        {
            public override void Write(byte[] buffer, int offset, int count)
            {
                base.Write(buffer, offset, count);
                if (GetBuffer().AsSpan(0, (int)Length).IndexOf(TrackerHarness.ImageBytes) >= 0) backend._imageArrived.TrySetResult();
            }

            public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                Write(buffer, offset, count);
                return Task.CompletedTask;
            }

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                Write(buffer.Span);
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <summary>
    /// A blob store whose image its holder posts itself (as the browser's <c>fetch</c> does in WebAssembly); records what
    /// the tracker's store held for the job when each POST was made.
    /// </summary>
    private sealed class PostingImageStore(TrackerHarness harness) : IJobBlobStore
    {
        private TrackerHarness Harness => harness;

        private readonly List<JobRecord?> _storedWhenPosted = [];

        public IReadOnlyList<JobRecord?> StoredWhenPosted
        {
            get
            {
                lock (_storedWhenPosted) return [.. _storedWhenPosted];
            }
        }

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
            Task.FromResult<Stream?>(new PostingImage(this));

        private sealed class PostingImage(PostingImageStore store) : MemoryStream(TrackerHarness.ImageBytes), IImageFormPoster
        {
            public Task<FormPostResponse> PostFormAsync(Uri url, ImageForm form, CancellationToken cancellationToken)
            {
                lock (store._storedWhenPosted) store._storedWhenPosted.Add(store.Harness.Store.Records.SingleOrDefault());
                return Task.FromResult(new FormPostResponse(200, CreateReply) { Headers = [new("Content-Type", "application/json")] });
            }
        }
    }
}
