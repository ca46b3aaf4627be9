using System.Net;
using System.Text.Json;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;
using TurboDiffusion.Client.Jobs.I2V;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>Submission: stored before the POST, failures keep everything, one job per double click, retries.</summary>
public sealed class JobTrackerSubmissionTests
{
    private static CancellationToken Ct => TrackerHarness.Ct;

    [Fact]
    public async Task Submit_BeforePost_RecordStoredAndAnnouncedAsSubmitting()
    {
        await using var h = new TrackerHarness();
        var held = h.JobType.SubmitHolds();

        var submit = h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);
        await h.JobType.NextSubmitCallAsync();
        var stored = Assert.Single(h.Store.Records);
        var added = Assert.Single(h.Changes);
        held.SetResult("job-7");
        var record = await submit;

        Assert.Equal(JobPhase.Submitting, stored.Status.Phase);
        Assert.Null(stored.JobId);
        Assert.Equal(JobRecord.CurrentSchemaVersion, stored.SchemaVersion);
        Assert.Equal(JobChangeKind.Added, added.Kind);
        Assert.Equal(stored.Id, record.Id);
        Assert.Equal(32, record.Id.Length);
        Assert.Equal("job-7", record.JobId);
        Assert.Equal(JobPhase.Queued, record.Status.Phase);
        Assert.Equal(TrackerHarness.Start + h.Options.Polling.Deadline, record.Deadline);
        Assert.Equal("job-7", h.Store.Find(record.Id)!.JobId);
    }

    [Fact]
    public async Task Submit_SubscriberSlowToHearTheNewRecord_PostStartsAnywayAndTheAnswerComesAfter()
    {
        await using var h = new TrackerHarness();
        var held = h.JobType.SubmitHolds();
        var addedHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // A page's subscriber marshals to its renderer, which may be busy with a whole render.
        using var subscription = h.Tracker.Subscribe(async change =>
        {
            if (change.Kind != JobChangeKind.Added)
            {
                heard.Enqueue(change.Kind.ToString());
                return;
            }
            heard.Enqueue("Added begun");
            await addedHandled.Task;
            heard.Enqueue("Added done");
        });

        var submit = h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);
        string[] heardWhenPosting;
        try
        {
            await h.JobType.NextSubmitCallAsync();
            heardWhenPosting = heard.ToArray();
            held.SetResult("job-7");
        }
        finally
        {
            // Released on failure too, or the tracker's disposal would wait for the held subscriber.
            addedHandled.TrySetResult();
            held.TrySetResult("job-7");
        }
        var record = await submit.WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal(["Added begun"], heardWhenPosting);
        Assert.Equal(["Added begun", "Added done", "Updated"], heard.ToArray());
        Assert.Equal("job-7", record.JobId);
    }

    [Fact]
    public async Task Submit_Answer_SubscribersHearItOnceItsSaveStartedWithoutWaitingForTheStore()
    {
        await using var h = new TrackerHarness();
        var storeAnswers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answerSavesStarted = 0;
        h.BeforeSave = record =>
        {
            if (record.JobId is null) return Task.CompletedTask;
            Interlocked.Increment(ref answerSavesStarted);
            return storeAnswers.Task;
        };
        var heard = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = h.Tracker.Subscribe(change =>
        {
            if (change.Record?.JobId is not null) heard.TrySetResult(Volatile.Read(ref answerSavesStarted));
            return Task.CompletedTask;
        });
        h.JobType.SubmitReturns("job-7");

        // The job id is shown as soon as the save is on its way (a browser store gets it first, over the same
        // connection), not a round trip later; the record was stored before the POST.
        var submit = h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);
        int savesStartedWhenHeard;
        JobRecord storedMeanwhile;
        bool completedMeanwhile;
        try
        {
            savesStartedWhenHeard = await heard.Task.WaitAsync(ScriptedJobType.Guard, Ct);
            storedMeanwhile = h.Store.Records.Single();
            completedMeanwhile = submit.IsCompleted;
        }
        finally
        {
            storeAnswers.TrySetResult();
        }
        var record = await submit.WaitAsync(ScriptedJobType.Guard, Ct);

        Assert.Equal(1, savesStartedWhenHeard);
        Assert.Equal((JobPhase.Submitting, (string?)null), (storedMeanwhile.Status.Phase, storedMeanwhile.JobId));
        Assert.False(completedMeanwhile);
        Assert.Equal("job-7", h.Store.Find(record.Id)!.JobId);
    }

    [Fact]
    public async Task Submit_Success_ImageFromBlobStoreAndRequestPassedThrough()
    {
        await using var h = new TrackerHarness();
        var request = TrackerHarness.Request(prompt: "line one\nline two", seed: 99);

        await h.SubmitQueuedAsync(request: request);
        var posted = Assert.Single(h.JobType.SubmitCalls);

        Assert.Equal(TrackerHarness.ImageBytes, posted.Image);
        Assert.Equal(request.Inputs, posted.Request.Inputs);
        Assert.Equal(99, I2VParams.FromJson(posted.Request.Params).Seed);
    }

    public static TheoryData<string> PostFailures => ["422-array", "422-string", "500-json", "500-text", "502-html", "refused", "timeout"];

    private static TurboDiffusionApiException PostFailure(string kind) => kind switch
    {
        "422-array" => new(ApiFailureKind.Validation, "The backend rejected the request: seed: Input should be a valid integer.",
            HttpStatusCode.UnprocessableEntity,
            [new FieldProblem("seed", "Input should be a valid integer, unable to parse string as an integer"), new FieldProblem("prompt", "Field required")]),
        "422-string" => new(ApiFailureKind.Validation, "duration_seconds too small: at least 1 frame is required",
            HttpStatusCode.UnprocessableEntity, [new FieldProblem("", "duration_seconds too small: at least 1 frame is required")]),
        "500-json" => new(ApiFailureKind.Http, "Failed to submit Celery task: Error 111 connecting to localhost:6379. Connection refused.",
            HttpStatusCode.InternalServerError),
        "500-text" => new(ApiFailureKind.Http, "The backend failed (500 Internal Server Error): Internal Server Error",
            HttpStatusCode.InternalServerError),
        "502-html" => new(ApiFailureKind.Http, "The backend failed (502 Bad Gateway): 502 Bad Gateway", HttpStatusCode.BadGateway),
        "refused" => Faults.ConnectionRefused(),
        _ => new(ApiFailureKind.Timeout, "The backend did not answer within 300 s."),
    };

    [Theory]
    [MemberData(nameof(PostFailures))]
    public async Task Submit_PostFails_OneRecordSubmitFailedWithMessageAndInputsIntact(string kind)
    {
        await using var h = new TrackerHarness();
        var failure = PostFailure(kind);
        h.JobType.SubmitThrows(failure);
        var request = TrackerHarness.Request();

        var record = await h.Tracker.SubmitAsync(request, Ct);

        var only = Assert.Single(h.Tracker.Jobs);
        var stored = Assert.Single(h.Store.Records);
        Assert.Equal(record.Id, only.Id);
        Assert.Equal(JobPhase.SubmitFailed, stored.Status.Phase);
        Assert.Null(stored.JobId);
        Assert.Equal(JobErrorSource.Submit, stored.Error!.Source);
        Assert.Equal(failure.Message, stored.Error.Message);
        Assert.Equal((int?)failure.StatusCode, stored.Error.HttpStatus);
        Assert.Equal(failure.FieldProblems, stored.Error.FieldProblems);
        Assert.Equal(request.Inputs, stored.Inputs);
        Assert.Equal(request.Params.GetRawText(), stored.Params.GetRawText());
        Assert.Equal(1, h.JobType.SubmitCount);
        Assert.Null(h.Scheduler.DueAt(record.Id));
    }

    [Theory]
    [InlineData("422-array", false)]
    [InlineData("422-string", false)]
    [InlineData("500-json", false)]
    [InlineData("500-text", false)]
    [InlineData("refused", false)]
    [InlineData("502-html", true)]
    [InlineData("504", true)]
    [InlineData("timeout", true)]
    [InlineData("reset-after-upload", true)]
    [InlineData("unreadable-2xx", true)]
    public async Task Submit_PostFails_SaysWhetherTheBackendMayHaveTheJob(string kind, bool mayHaveBeenSubmitted)
    {
        await using var h = new TrackerHarness();
        h.JobType.SubmitThrows(kind switch
        {
            "504" => new TurboDiffusionApiException(ApiFailureKind.Http, "The backend failed (504 Gateway Time-out)", HttpStatusCode.GatewayTimeout),
            "reset-after-upload" => new TurboDiffusionApiException(ApiFailureKind.Network, "Cannot reach the backend: the connection was reset.",
                innerException: new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")),
            "unreadable-2xx" => new TurboDiffusionApiException(ApiFailureKind.Protocol, "The backend's answer could not be read.", HttpStatusCode.OK),
            _ => PostFailure(kind),
        });

        var record = await h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);

        Assert.Equal(JobPhase.SubmitFailed, record.Status.Phase);
        Assert.Equal(mayHaveBeenSubmitted, record.Error!.MayHaveBeenSubmitted);
        Assert.Equal(mayHaveBeenSubmitted, h.Store.Find(record.Id)!.Error!.MayHaveBeenSubmitted);
    }

    [Fact]
    public async Task Submit_422WithFields_FieldProblemsKept()
    {
        await using var h = new TrackerHarness();
        h.JobType.SubmitThrows(PostFailure("422-array"));

        var record = await h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);

        Assert.Equal(422, record.Error!.HttpStatus);
        Assert.Equal(["seed", "prompt"], record.Error.FieldProblems.Select(p => p.Field));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("cancelled")]
    public async Task Submit_RawTransportException_SubmitFailedWithMessage(string kind)
    {
        await using var h = new TrackerHarness();
        h.JobType.SubmitThrows(kind == "http"
            ? new HttpRequestException("Connection refused (127.0.0.1:8000)")
            : new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout."));

        var record = await h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);

        Assert.Equal(JobPhase.SubmitFailed, record.Status.Phase);
        Assert.Equal(kind == "http" ? "Cannot reach the backend: Connection refused (127.0.0.1:8000)" : "The backend did not answer in time.",
            record.Error!.Message);
    }

    [Fact]
    public async Task Submit_ImageGoneFromBlobStore_SubmitFailedWithoutPost()
    {
        await using var h = new TrackerHarness();
        h.Blobs.Remove(TrackerHarness.BlobKey);

        var record = await h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);

        Assert.Equal(JobPhase.SubmitFailed, record.Status.Phase);
        Assert.Equal("The original image is no longer stored in this browser; choose it again.", record.Error!.Message);
        Assert.Equal(0, h.JobType.SubmitCount);
    }

    [Fact]
    public async Task Submit_DoubleClick_OnePostOneRecord()
    {
        await using var h = new TrackerHarness();
        var held = h.JobType.SubmitHolds();

        var first = h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);
        var second = h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);
        await h.JobType.NextSubmitCallAsync();
        held.SetResult("job-1");
        var records = await Task.WhenAll(first, second);

        Assert.Equal(1, h.JobType.SubmitCount);
        Assert.Equal(records[0].Id, records[1].Id);
        Assert.Single(h.Tracker.Jobs);
        Assert.Single(h.Store.Records);
    }

    [Fact]
    public async Task Submit_SameRequestAfterFirstFinished_SecondJob()
    {
        await using var h = new TrackerHarness();

        var first = await h.SubmitQueuedAsync("job-1");
        var second = await h.SubmitQueuedAsync("job-2");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, h.JobType.SubmitCount);
        Assert.Equal([second.Id, first.Id], h.Tracker.Jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task Submit_DifferentRequestsWhileInFlight_TwoPosts()
    {
        await using var h = new TrackerHarness();
        var held = h.JobType.SubmitHolds();

        var first = h.Tracker.SubmitAsync(TrackerHarness.Request(seed: 1), Ct);
        await h.JobType.NextSubmitCallAsync();
        var second = await h.Tracker.SubmitAsync(TrackerHarness.Request(seed: 2), Ct);
        held.SetResult("job-1");
        await first;

        Assert.Equal(2, h.JobType.SubmitCount);
        Assert.Equal(2, h.Tracker.Jobs.Count);
        Assert.Equal(JobPhase.Queued, second.Status.Phase);
    }

    [Fact]
    public async Task Submit_UnknownJobType_ThrowsAndStoresNothing()
    {
        await using var h = new TrackerHarness();
        var request = TrackerHarness.Request() with { JobType = "t2v" };

        await Assert.ThrowsAsync<ArgumentException>(() => h.Tracker.SubmitAsync(request, Ct));

        Assert.Empty(h.Store.Records);
    }

    [Fact]
    public async Task SubmitAgain_AfterFailedPost_SameRecordQueued()
    {
        await using var h = new TrackerHarness();
        h.JobType.SubmitThrows(Faults.ConnectionRefused()).SubmitReturns("job-9");
        var failed = await h.Tracker.SubmitAsync(TrackerHarness.Request(), Ct);
        h.Time.Advance(TimeSpan.FromMinutes(45));

        var again = await h.Tracker.SubmitAgainAsync(failed.Id, Ct);

        Assert.Equal(failed.Id, again.Id);
        Assert.Equal("job-9", again.JobId);
        Assert.Equal(JobPhase.Queued, again.Status.Phase);
        Assert.Null(again.Error);
        Assert.Equal(h.Time.GetUtcNow() + h.Options.Polling.Deadline, again.Deadline);
        Assert.Equal(
            [JobPhase.Submitting, JobPhase.SubmitFailed, JobPhase.Submitting, JobPhase.Queued],
            again.Timeline.Select(c => c.Phase));
        Assert.Equal(2, h.JobType.SubmitCount);
        Assert.Single(h.Tracker.Jobs);
        Assert.NotNull(h.Scheduler.DueAt(again.Id));
    }

    [Fact]
    public async Task SubmitAgain_RecordNotFailed_ReturnsItUnchanged()
    {
        await using var h = new TrackerHarness();
        var queued = await h.SubmitQueuedAsync();

        var again = await h.Tracker.SubmitAgainAsync(queued.Id, Ct);

        Assert.Same(h.Tracker.Find(queued.Id), again);
        Assert.Equal(1, h.JobType.SubmitCount);
    }

    [Fact]
    public async Task Retry_WithNewSeed_NewRecordWithParentAndSeed()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-1", Snapshots.Failure("CUDA out of memory."));
        var original = await h.SubmitQueuedAsync("job-1");
        await h.AdvanceToNextPollAsync(original.Id);
        h.JobType.SubmitReturns("job-2");

        var retry = await h.Tracker.RetryAsync(original.Id, 7, Ct);

        Assert.NotEqual(original.Id, retry.Id);
        Assert.Equal(original.Id, retry.ParentId);
        Assert.Equal("job-2", retry.JobId);
        Assert.Equal(7, I2VParams.FromJson(retry.Params).Seed);
        Assert.Equal(original.Inputs, retry.Inputs);
        Assert.Equal(JobPhase.Failed, h.Tracker.Find(original.Id)!.Status.Phase);
        Assert.Equal(42, I2VParams.FromJson(h.Tracker.Find(original.Id)!.Params).Seed);
        Assert.Equal(2, h.Tracker.Jobs.Count);
    }

    [Fact]
    public async Task Retry_WithoutSeed_SameParameters()
    {
        await using var h = new TrackerHarness();
        var original = await h.SubmitQueuedAsync("job-1");
        h.JobType.SubmitReturns("job-2");

        var retry = await h.Tracker.RetryAsync(original.Id, null, Ct);

        Assert.Equal(original.Params.GetRawText(), retry.Params.GetRawText());
        Assert.Equal(original.Id, retry.ParentId);
    }

    [Fact]
    public async Task Retry_AdoptedJobWithoutImage_SubmitFailedWithJobTypesPlainMessage()
    {
        await using var h = new TrackerHarness();
        var adopted = await h.Tracker.AdoptAsync("job-x", "i2v", Ct);
        h.JobType.SubmitThrows(new ArgumentNullException("image", "An image-to-video job needs its input image."));

        var retry = await h.Tracker.RetryAsync(adopted.Id, null, Ct);

        Assert.Equal(JobPhase.SubmitFailed, retry.Status.Phase);
        Assert.Equal("The job could not be submitted: An image-to-video job needs its input image.", retry.Error!.Message);
        Assert.Equal(adopted.Id, retry.ParentId);
    }

    [Fact]
    public async Task Retry_UnknownId_Throws()
    {
        await using var h = new TrackerHarness();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Tracker.RetryAsync("missing", null, Ct));
    }

    [Fact]
    public async Task Remove_ActiveJob_GoneFromListStoreAndSchedule()
    {
        await using var h = new TrackerHarness();
        var record = await h.SubmitQueuedAsync();

        await h.Tracker.RemoveAsync(record.Id, Ct);
        h.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(h.Tracker.Jobs);
        var tombstone = Assert.Single(h.Store.Records);
        Assert.True(tombstone.Removed);
        Assert.Null(tombstone.Inputs.ThumbnailDataUrl);
        Assert.Null(h.Scheduler.DueAt(record.Id));
        Assert.Equal(0, h.JobType.StatusCallCount);
        Assert.Equal(JobChangeKind.Removed, h.Changes[^1].Kind);
    }

    [Fact]
    public async Task MarkSeen_FinishedJob_SavedAndAnnounced()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-1", Snapshots.Success());
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);

        await h.Tracker.MarkSeenAsync(record.Id, Ct);

        Assert.True(h.Tracker.Find(record.Id)!.Seen);
        Assert.True(h.Store.Find(record.Id)!.Seen);
        Assert.True(h.Changes[^1].Record!.Seen);
        Assert.False(h.Changes[^1].Previous!.Seen);
    }

    [Fact]
    public async Task Revision_EveryChange_Increments()
    {
        await using var h = new TrackerHarness();
        var record = await h.SubmitQueuedAsync();

        await h.Tracker.MarkSeenAsync(record.Id, Ct);

        Assert.Equal(record.Revision + 1, h.Store.Find(record.Id)!.Revision);
        Assert.Equal(2, record.Revision);
    }

    [Fact]
    public async Task Restore_SubmittingRecordLeftByClosedPage_SubmitFailedSoItCanBeSentAgain()
    {
        await using var h = new TrackerHarness();
        await h.Store.SaveAsync(h.StoredRecord("orphan", null, JobPhase.Submitting, TrackerHarness.Start - TimeSpan.FromMinutes(10)), Ct);

        await h.Tracker.InitializeAsync(Ct);
        var report = await h.NextReportAsync("orphan");

        Assert.Equal(ScheduledWork.OrphanCheck, report.Work);
        Assert.Equal(JobPhase.SubmitFailed, report.Record!.Status.Phase);
        Assert.Equal(JobErrorSource.Submit, report.Record.Error!.Source);
        Assert.True(report.Record.Error.MayHaveBeenSubmitted);
        Assert.Equal(JobPhase.SubmitFailed, h.Store.Find("orphan")!.Status.Phase);
    }

    [Fact]
    public async Task Restore_RecentSubmittingRecord_WaitsForSubmitTimeoutBeforeGivingUp()
    {
        await using var h = new TrackerHarness(options: o => o.SubmitTimeout = TimeSpan.FromMinutes(5));
        await h.Store.SaveAsync(h.StoredRecord("young", null, JobPhase.Submitting, TrackerHarness.Start - TimeSpan.FromMinutes(1)), Ct);

        await h.Tracker.InitializeAsync(Ct);
        var due = h.Scheduler.DueAt("young");
        var report = await h.AdvanceToNextPollAsync("young");

        Assert.Equal(TrackerHarness.Start + TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(5), due);
        Assert.Equal(JobPhase.SubmitFailed, report.Record!.Status.Phase);
        Assert.Equal(JobPhase.Submitting, Assert.Single(h.Changes, c => c.Kind == JobChangeKind.Added).Record!.Status.Phase);
    }

    [Fact]
    public async Task Params_Undefined_StoredAsEmptyObject()
    {
        await using var h = new TrackerHarness();
        var request = TrackerHarness.Request() with { Params = default };

        var record = await h.SubmitQueuedAsync(request: request);

        Assert.Equal(JsonValueKind.Object, record.Params.ValueKind);
    }
}
