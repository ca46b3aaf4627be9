using Bunit;
using I2VStudio.Components.Tests.Support;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.JobCard;

public class JobStatusBadgesTests : StudioTestContext
{
    // Every Celery/DB combination in the contract's status examples, read with the client's DTOs.
    public static TheoryData<string, string, string?, string, string?> Examples => new()
    {
        { "job-pending-queued", "PENDING", "SUBMITTED", "badge-neutral", "Submitted" },
        { "job-pending-unknown", "PENDING", null, "badge-neutral", null },
        { "job-started-running", "STARTED", "RUNNING", "badge-active", "Generating" },
        { "job-success", "SUCCESS", "SUCCEEDED", "badge-success", "Succeeded" },
        { "job-failure", "FAILURE", "FAILED", "badge-error", "Failed" },
        { "job-db-down", "STARTED", null, "badge-active", null },
        { "job-expired-result", "PENDING", "SUCCEEDED", "badge-neutral", "Succeeded" },
    };

    private IRenderedComponent<I2VStudio.Components.JobCard> RenderExample(string example)
    {
        var payload = TestJobs.Example(example);
        var record = TestJobs.Make("j1", JobPhase.Running) with
        {
            Status = new JobStatus(payload.Status, payload.Db?.Status, JobPhase.Running),
        };
        return Render<I2VStudio.Components.JobCard>(p => p.Add(c => c.Record, record));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void JobCard_ContractExample_ShowsCeleryBadgeAsSentWithItsLabel(string example, string celery, string? db, string tone, string? dbWord)
    {
        _ = db;
        _ = dbWord;

        var cut = RenderExample(example);

        var badge = cut.Find("[data-kind=celery]");
        Assert.Equal(celery, badge.GetAttribute("data-state"));
        Assert.Equal(celery, badge.QuerySelector(".badge-value")!.TextContent);
        Assert.Contains("Queue status", badge.TextContent, StringComparison.Ordinal);
        Assert.Contains(tone, badge.ClassList);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void JobCard_ContractExample_ShowsDbBadgeOnlyWhenPresentWithGlossaryWordInItsTooltip(string example, string celery, string? db, string tone, string? dbWord)
    {
        _ = celery;
        _ = tone;

        var cut = RenderExample(example);

        var badges = cut.FindAll("[data-kind=db]");
        if (db is null)
        {
            Assert.Empty(badges);
            return;
        }
        var badge = Assert.Single(badges);
        Assert.Equal(db, badge.QuerySelector(".badge-value")!.TextContent);
        Assert.Equal($"Job record status {db}", string.Join(' ', badge.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal($"Job record status: {db} ({dbWord})", badge.GetAttribute("title"));
    }

    [Theory]
    [InlineData("SUCCESS", "badge-success")]
    [InlineData("FAILURE", "badge-error")]
    [InlineData("REVOKED", "badge-error")]
    [InlineData("RETRY", "badge-warning")]
    [InlineData("STARTED", "badge-active")]
    [InlineData("SOMETHING_NEW", "badge-neutral")]
    public void Badges_CeleryState_ColouredByState(string celery, string expectedClass)
    {
        var cut = Render<JobStatusBadges>(p => p.Add(c => c.Status, new JobStatus(celery, null, JobPhase.Running)));

        var badge = cut.Find("[data-kind=celery]");
        Assert.Contains(expectedClass, badge.ClassList);
        Assert.Equal(celery, badge.QuerySelector(".badge-value")!.TextContent);
    }

    [Theory]
    [InlineData("FAILED", "badge-error")]
    [InlineData("SUBMIT_FAILED", "badge-error")]
    [InlineData("UPLOADED", "badge-active")]
    [InlineData("CREATED", "badge-neutral")]
    public void Badges_DbState_ColouredByState(string db, string expectedClass)
    {
        var cut = Render<JobStatusBadges>(p => p.Add(c => c.Status, new JobStatus("PENDING", db, JobPhase.Queued)));

        Assert.Contains(expectedClass, cut.Find("[data-kind=db]").ClassList);
    }

    [Fact]
    public void Badges_UnknownDbState_ShownAsSentWithoutWord()
    {
        var cut = Render<JobStatusBadges>(p => p.Add(c => c.Status, new JobStatus("PENDING", "ARCHIVED", JobPhase.Queued)));

        var badge = cut.Find("[data-kind=db]");
        Assert.Equal("ARCHIVED", badge.QuerySelector(".badge-value")!.TextContent);
        Assert.Equal("Job record status: ARCHIVED", badge.GetAttribute("title"));
    }

    [Fact]
    public void Badges_NoCeleryStateYet_SaysNotYetKnown()
    {
        var cut = Render<JobStatusBadges>(p => p.Add(c => c.Status, JobStatus.Submitting));

        Assert.Equal("not yet known", cut.Find("[data-kind=celery] .badge-value").TextContent);
    }

    [Fact]
    public void Badges_KnownDbState_OneLabelWithoutTheStageWordRepeatingTheCode()
    {
        var cut = Render<JobStatusBadges>(p => p.Add(c => c.Status, new JobStatus("STARTED", "SUCCEEDED", JobPhase.Running)));

        var badge = cut.Find("[data-kind=db]");
        Assert.Equal(["badge-label", "badge-value"], badge.Children.Select(c => c.ClassName ?? ""));
        Assert.DoesNotContain("Succeeded", badge.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Badges_CeleryState_FullTextInTheTooltip()
    {
        var cut = Render<JobStatusBadges>(p => p.Add(c => c.Status, new JobStatus("STARTED", null, JobPhase.Running)));

        Assert.Equal("Queue status: STARTED", cut.Find("[data-kind=celery]").GetAttribute("title"));
    }

    [Fact]
    public void Badges_Chinese_FullTextInTheTooltipWithFullWidthPunctuation()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");

        var cut = Render<JobStatusBadges>(p => p.Add(c => c.Status, new JobStatus("STARTED", "RUNNING", JobPhase.Running)));

        Assert.Equal("任务记录状态：RUNNING（生成中）", cut.Find("[data-kind=db]").GetAttribute("title"));
    }

    [Theory]
    [InlineData("celery", "Queue status STARTED")]
    [InlineData("db", "Job record status RUNNING")]
    public void Badges_Label_SeparatedFromTheCodeByASpace(string kind, string expected)
    {
        var cut = Render<JobStatusBadges>(p => p.Add(c => c.Status, new JobStatus("STARTED", "RUNNING", JobPhase.Running)));

        var text = cut.Find($"[data-kind={kind}]").TextContent;

        Assert.Equal(expected, string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }
}
