using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Polling;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>The state rules one answer at a time.</summary>
public sealed class JobStatusRulesTests
{
    [Theory]
    [InlineData("PENDING", "CREATED", false, JobPhase.Queued)]
    [InlineData("PENDING", "SUBMITTED", false, JobPhase.Queued)]
    [InlineData("PENDING", "STARTED", false, JobPhase.Running)]
    [InlineData("PENDING", "DOWNLOADED", false, JobPhase.Running)]
    [InlineData("PENDING", "RUNNING", false, JobPhase.Running)]
    [InlineData("PENDING", "UPLOADED", false, JobPhase.Running)]
    [InlineData("PENDING", "SUCCEEDED", false, JobPhase.Succeeded)]
    [InlineData("PENDING", "FAILED", false, JobPhase.Failed)]
    [InlineData("PENDING", "SUBMIT_FAILED", false, JobPhase.Failed)]
    [InlineData("PENDING", "SOMETHING_NEW", false, JobPhase.Queued)]
    [InlineData("PENDING", null, false, JobPhase.Queued)]
    [InlineData("PENDING", null, true, JobPhase.Queued)]
    [InlineData("STARTED", null, true, JobPhase.Running)]
    [InlineData("STARTED", "SUCCEEDED", false, JobPhase.Running)]
    [InlineData("RETRY", "RUNNING", false, JobPhase.Queued)]
    [InlineData("SUCCESS", "UPLOADED", false, JobPhase.Succeeded)]
    [InlineData("FAILURE", "RUNNING", false, JobPhase.Failed)]
    [InlineData("REVOKED", null, false, JobPhase.Failed)]
    [InlineData("WEIRD", null, false, JobPhase.Queued)]
    [InlineData("WEIRD", "RUNNING", false, JobPhase.Running)]
    [InlineData("WEIRD", "SUCCEEDED", false, JobPhase.Queued)]
    [InlineData(null, null, false, JobPhase.Queued)]
    [InlineData("started", "running", false, JobPhase.Running)]
    public void Derive_CeleryAndDb_Phase(string? celery, string? db, bool dbUnavailable, JobPhase expected)
    {
        var derived = JobStatusRules.Derive(new JobSnapshot { Celery = celery, Db = db, DbUnavailable = dbUnavailable });

        Assert.Equal(expected, derived.Phase);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Derive_PendingWithoutDbRow_LostCandidateOnlyWhenDbAnswered(bool dbUnavailable, bool expected)
    {
        var derived = JobStatusRules.Derive(new JobSnapshot { Celery = "PENDING", DbUnavailable = dbUnavailable });

        Assert.Equal(expected, derived.WithoutDbRow);
    }

    [Fact]
    public void Derive_PendingWithDbFailed_DbErrorIsTheMessage()
    {
        var derived = JobStatusRules.Derive(new JobSnapshot { Celery = "PENDING", Db = "FAILED", Error = "input download failed" });

        Assert.Equal("input download failed", derived.FailureMessage);
    }

    [Fact]
    public void Apply_UnknownCeleryState_KeptAsSent()
    {
        var record = new JobRecord { Id = "a", JobId = "j", Status = new JobStatus(null, null, JobPhase.Queued), CreatedAt = TrackerHarness.Start };

        var next = JobStatusRules.Apply(record, new JobSnapshot { Celery = "WEIRD" }, TrackerHarness.Start, new PollingOptions(), payloadChanged: true);

        Assert.Equal(new JobStatus("WEIRD", null, JobPhase.Queued), next.Status);
        Assert.Equal(TrackerHarness.Start, next.LastChangeAt);
    }

    [Fact]
    public void Apply_SameAnswerTwice_SameInstance()
    {
        var record = new JobRecord { Id = "a", JobId = "j", Status = new JobStatus(null, null, JobPhase.Queued), CreatedAt = TrackerHarness.Start };
        var once = JobStatusRules.Apply(record, Snapshots.Queued, TrackerHarness.Start, new PollingOptions(), payloadChanged: true);

        var twice = JobStatusRules.Apply(once, Snapshots.Queued, TrackerHarness.Start.AddSeconds(5), new PollingOptions(), payloadChanged: false);

        Assert.Same(once, twice);
    }

    [Fact]
    public void Apply_VideoGenFields_StoredOnTheRecordAndKeptWhenALaterAnswerLacksThem()
    {
        var record = new JobRecord { Id = "a", JobId = "j", Status = new JobStatus(null, null, JobPhase.Queued), CreatedAt = TrackerHarness.Start };
        var running = new JobSnapshot { Celery = "STARTED", NoJobRecords = true, Progress = 0.4, ProviderType = "local", DurationSeconds = 7.5 };

        var first = JobStatusRules.Apply(record, running, TrackerHarness.Start, new PollingOptions(), payloadChanged: true);
        var second = JobStatusRules.Apply(first, new JobSnapshot { Celery = "STARTED", NoJobRecords = true }, TrackerHarness.Start.AddSeconds(5),
            new PollingOptions(), payloadChanged: false);

        Assert.Equal((0.4, "local", 7.5), (first.Progress, first.ProviderType, first.DurationSeconds));
        Assert.Equal((0.4, "local", 7.5), (second.Progress, second.ProviderType, second.DurationSeconds));
    }

    [Fact]
    public void Apply_FourMegabyteTraceback_KeepsHeadAndTailAndSaysItWasCut()
    {
        var record = new JobRecord { Id = "a", JobId = "j", Status = new JobStatus(null, null, JobPhase.Running), CreatedAt = TrackerHarness.Start };
        var traceback = "Traceback (most recent call last):\n" + new string('x', 4 * 1024 * 1024) + "\ntorch.OutOfMemoryError: CUDA out of memory";

        var next = JobStatusRules.Apply(record, new JobSnapshot { Celery = "FAILURE", Error = traceback }, TrackerHarness.Start, new PollingOptions(), payloadChanged: true);

        var message = next.Error!.Message;
        Assert.InRange(message.Length, 8 * 1024 - 64, 8 * 1024 + 64);
        Assert.StartsWith("Traceback (most recent call last):", message, StringComparison.Ordinal);
        Assert.EndsWith("torch.OutOfMemoryError: CUDA out of memory", message, StringComparison.Ordinal);
        Assert.Matches(@"\[… [\d,]+ characters cut …\]", message);
    }

    [Fact]
    public void Apply_ShortError_KeptVerbatim()
    {
        var record = new JobRecord { Id = "a", JobId = "j", Status = new JobStatus(null, null, JobPhase.Running), CreatedAt = TrackerHarness.Start };

        var next = JobStatusRules.Apply(record, new JobSnapshot { Celery = "FAILURE", Error = "CUDA out of memory" }, TrackerHarness.Start, new PollingOptions(), payloadChanged: true);

        Assert.Equal("CUDA out of memory", next.Error!.Message);
    }
}
