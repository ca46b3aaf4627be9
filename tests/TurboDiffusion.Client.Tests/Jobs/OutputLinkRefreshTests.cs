using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>What the answer to a link refresh does to a Succeeded record.</summary>
public sealed class OutputLinkRefreshTests
{
    // The signed URL's X-Amz-Date is 14:00 with a 3600 s lifetime.
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 14, 30, 0, TimeSpan.Zero);

    private static readonly JobRecord Done = new()
    {
        Id = "a",
        JobId = "job-1",
        JobType = "i2v",
        Status = new JobStatus("SUCCESS", "SUCCEEDED", JobPhase.Succeeded),
        Timeline = [new JobStatusChange(Now.AddHours(-1), "SUCCESS", "SUCCEEDED", JobPhase.Succeeded)],
        OutputUrl = "http://127.0.0.1:9000/old.mp4",
        RawResult = "earlier",
    };

    [Fact]
    public void Apply_FreshSignedLink_StoredWithItsExpiry()
    {
        var next = OutputLinkRefresh.Apply(Done, Snapshots.Success(), Now);

        Assert.NotNull(next);
        Assert.Equal(Snapshots.SignedUrl, next.OutputUrl);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero), next.OutputUrlExpiresAt);
        Assert.False(next.OutputLinkGone);
        Assert.Null(next.RawResult);
        Assert.Single(next.Timeline);
    }

    [Fact]
    public void Apply_PendingWithRowSucceeded_LinkGoneJobStaysDone()
    {
        var next = OutputLinkRefresh.Apply(Done, Snapshots.Expired, Now);

        Assert.NotNull(next);
        Assert.True(next.OutputLinkGone);
        Assert.Null(next.OutputUrl);
        Assert.Equal(new JobStatus("PENDING", "SUCCEEDED", JobPhase.Succeeded), next.Status);
        Assert.Equal(new JobStatusChange(Now, "PENDING", "SUCCEEDED", JobPhase.Succeeded), next.Timeline[^1]);
    }

    [Fact]
    public void Apply_VideoGenResultExpired_LinkGone()
    {
        var next = OutputLinkRefresh.Apply(Done, new JobSnapshot { Celery = "PENDING", NoJobRecords = true }, Now);

        Assert.True(next?.OutputLinkGone);
        Assert.Equal(JobPhase.Succeeded, next?.Status.Phase);
    }

    [Fact]
    public void Apply_SucceededWithoutPlayableLink_RawResultKept()
    {
        var next = OutputLinkRefresh.Apply(Done, Snapshots.Success(url: "javascript:alert(1)"), Now);

        Assert.NotNull(next);
        Assert.Null(next.OutputUrl);
        Assert.False(next.OutputLinkGone);
        Assert.Equal(Snapshots.ResultJson, next.RawResult);
    }

    [Fact]
    public void Apply_DatabaseDown_RecordKeptAsItIs()
    {
        Assert.Null(OutputLinkRefresh.Apply(Done, Snapshots.DbDown, Now));
    }
}
