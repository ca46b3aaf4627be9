using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>Output URL expiry and the tracker's link refresh.</summary>
public sealed class OutputUrlTests
{
    private static readonly DateTimeOffset FetchedAt = new(2025, 12, 21, 14, 7, 35, TimeSpan.Zero);

    private static CancellationToken Ct => TrackerHarness.Ct;

    private const string ExampleUrl =
        "http://127.0.0.1:9000/turbo-super-novel/turbodiffusion/outputs/3f1c2a9e.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=minioadmin%2F20251221%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20251221T140731Z"
        + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=5b0a3d7c";

    [Fact]
    public void Compute_SigV4Url_SigningDatePlusExpires()
    {
        var expiry = OutputUrlExpiry.Compute(ExampleUrl, FetchedAt);

        Assert.Equal(new DateTimeOffset(2025, 12, 21, 15, 7, 31, TimeSpan.Zero), expiry);
    }

    [Fact]
    public void Compute_ShortExpiresAndLowercaseNames_Honoured()
    {
        var expiry = OutputUrlExpiry.Compute("https://s3.example/v.mp4?x-amz-date=20251221T140731Z&x-amz-expires=600", FetchedAt);

        Assert.Equal(new DateTimeOffset(2025, 12, 21, 14, 17, 31, TimeSpan.Zero), expiry);
    }

    [Theory]
    [InlineData("http://storage/v.mp4")]
    [InlineData("http://storage/v.mp4?X-Amz-Expires=3600")]
    [InlineData("http://storage/v.mp4?X-Amz-Date=20251221T140731Z")]
    [InlineData("http://storage/v.mp4?X-Amz-Date=yesterday&X-Amz-Expires=3600")]
    [InlineData("http://storage/v.mp4?X-Amz-Date=20251221T140731Z&X-Amz-Expires=0")]
    [InlineData("http://storage/v.mp4?X-Amz-Date=20251221T140731Z&X-Amz-Expires=-5")]
    [InlineData("http://storage/v.mp4?X-Amz-Date=20251221T140731Z&X-Amz-Expires=abc")]
    [InlineData("http://storage/v.mp4?X-Amz-Date=20251221T140731Z&X-Amz-Expires=99999999")]
    [InlineData("http://storage/v.mp4?X-Amz-Date=20200101T000000Z&X-Amz-Expires=3600")]
    [InlineData("not a url")]
    [InlineData("")]
    public void Compute_MissingOrNonsenseSignature_FetchTimePlusOneHour(string url)
    {
        var expiry = OutputUrlExpiry.Compute(url, FetchedAt);

        Assert.Equal(FetchedAt + TimeSpan.FromHours(1), expiry);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000/v.mp4", true)]
    [InlineData("https://cdn.example/v.mp4", true)]
    [InlineData("s3://bucket/v.mp4", false)]
    [InlineData("file:///srv/v.mp4", false)]
    [InlineData("/relative/v.mp4", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsPlayableUrl_OnlyAbsoluteHttp(string? url, bool expected)
    {
        Assert.Equal(expected, OutputUrlExpiry.IsPlayableUrl(url));
    }

    [Fact]
    public async Task RefreshOutputUrl_SucceededJob_FreshUrlAndExpiryStored()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-1", Snapshots.Success());
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);
        h.Time.Advance(TimeSpan.FromMinutes(58));
        const string fresh = "http://127.0.0.1:9000/b/v.mp4?X-Amz-Date=20261128T150000Z&X-Amz-Expires=3600&X-Amz-Signature=new";
        h.JobType.Returns("job-1", Snapshots.Success(fresh));

        var url = await h.Tracker.RefreshOutputUrlAsync(record.Id, Ct);

        Assert.Equal(fresh, url);
        var stored = h.Store.Find(record.Id)!;
        Assert.Equal(fresh, stored.OutputUrl);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 16, 0, 0, TimeSpan.Zero), stored.OutputUrlExpiresAt);
        Assert.Equal(JobChangeKind.Updated, h.Changes[^1].Kind);
    }

    [Fact]
    public async Task RefreshOutputUrl_CeleryResultExpired_LinkGoneAndNull()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-1", Snapshots.Success());
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);
        h.JobType.Returns("job-1", Snapshots.Expired);

        var url = await h.Tracker.RefreshOutputUrlAsync(record.Id, Ct);

        Assert.Null(url);
        var after = h.Tracker.Find(record.Id)!;
        Assert.True(after.OutputLinkGone);
        Assert.Null(after.OutputUrl);
        Assert.Equal(JobPhase.Succeeded, after.Status.Phase);
        Assert.Equal(("PENDING", "SUCCEEDED"), (after.Timeline[^1].Celery, after.Timeline[^1].Db));
    }

    [Fact]
    public async Task RefreshOutputUrl_BackendDown_ThrowsAndKeepsRecord()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-1", Snapshots.Success());
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);
        var before = h.Tracker.Find(record.Id);
        h.JobType.Throws("job-1", Faults.ConnectionRefused());

        var thrown = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => h.Tracker.RefreshOutputUrlAsync(record.Id, Ct));

        Assert.Equal(ApiFailureKind.Network, thrown.Kind);
        Assert.Same(before, h.Tracker.Find(record.Id));
    }

    [Fact]
    public async Task RefreshOutputUrl_JobNotFinished_NoCall()
    {
        await using var h = new TrackerHarness();
        var record = await h.SubmitQueuedAsync();

        var url = await h.Tracker.RefreshOutputUrlAsync(record.Id, Ct);

        Assert.Null(url);
        Assert.Equal(0, h.JobType.StatusCallCount);
        Assert.Null(await h.Tracker.RefreshOutputUrlAsync("missing", Ct));
    }

    [Fact]
    public async Task RefreshOutputUrl_ConcurrentCalls_OneRequest()
    {
        await using var h = new TrackerHarness();
        h.JobType.Returns("job-1", Snapshots.Success());
        var record = await h.SubmitQueuedAsync();
        await h.AdvanceToNextPollAsync(record.Id);
        var held = h.JobType.Holds("job-1");
        h.JobType.ForgetCalls();

        var first = h.Tracker.RefreshOutputUrlAsync(record.Id, Ct);
        var second = h.Tracker.RefreshOutputUrlAsync(record.Id, Ct);
        await h.JobType.NextStatusCallAsync();
        held.SetResult(Snapshots.Success());
        var urls = await Task.WhenAll(first, second);

        Assert.Equal(2, h.JobType.StatusCallCount);
        Assert.Equal([Snapshots.SignedUrl, Snapshots.SignedUrl], urls);
    }
}
