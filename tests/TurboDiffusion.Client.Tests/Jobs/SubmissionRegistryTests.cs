using System.Net;
using System.Net.Sockets;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>The POSTs in flight (double clicks join the first) and what a failed POST says about the backend.</summary>
public sealed class SubmissionRegistryTests
{
    private static JobRequest Request(string prompt = "A cat", long seed = 42) =>
        new(I2VParams.JobTypeName, new JobInputs { Prompt = prompt, ImageBlobKey = "blob" }, new I2VParams { Seed = seed }.ToJson());

    private static JobRecord RecordOf(string id, JobRequest request) => new()
    {
        Id = id,
        JobType = request.JobType,
        Inputs = request.Inputs,
        Params = request.Params,
        Status = JobStatus.Submitting,
    };

    [Fact]
    public void FindSame_EqualRequestInFlight_ReturnsFirstCompletion()
    {
        var registry = new SubmissionRegistry();
        var first = new TaskCompletionSource<JobRecord>().Task;
        registry.Start(RecordOf("a", Request()), first);

        Assert.Same(first, registry.FindSame(Request()));
        Assert.Same(first, registry.Find("a"));
        Assert.True(registry.IsSubmitting("a"));
    }

    [Fact]
    public void FindSame_OtherSeedOrPrompt_Null()
    {
        var registry = new SubmissionRegistry();
        registry.Start(RecordOf("a", Request()), new TaskCompletionSource<JobRecord>().Task);

        Assert.Null(registry.FindSame(Request(seed: 43)));
        Assert.Null(registry.FindSame(Request(prompt: "A dog")));
    }

    [Fact]
    public void Finish_AfterPost_EqualRequestIsANewJob()
    {
        var registry = new SubmissionRegistry();
        registry.Start(RecordOf("a", Request()), new TaskCompletionSource<JobRecord>().Task);

        registry.Finish("a");

        Assert.Null(registry.FindSame(Request()));
        Assert.False(registry.IsSubmitting("a"));
        Assert.Null(registry.Find("a"));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void Start_SameRecordAgain_ReplacesItsEntry()
    {
        var registry = new SubmissionRegistry();
        var record = RecordOf("a", Request());
        registry.Start(record, new TaskCompletionSource<JobRecord>().Task);
        var again = new TaskCompletionSource<JobRecord>().Task;

        registry.Start(record, again);

        Assert.Equal(1, registry.Count);
        Assert.Same(again, registry.Find("a"));
    }

    public static TheoryData<Exception, bool> Failures() => new()
    {
        { new TurboDiffusionApiException(ApiFailureKind.Timeout, "slow"), true },
        { new TurboDiffusionApiException(ApiFailureKind.Http, "bad gateway", HttpStatusCode.BadGateway), true },
        { new TurboDiffusionApiException(ApiFailureKind.Http, "bad request", HttpStatusCode.BadRequest), false },
        { new TurboDiffusionApiException(ApiFailureKind.Network, "refused",
            innerException: new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused))), false },
        { new TurboDiffusionApiException(ApiFailureKind.Network, "reset", innerException: new IOException("connection reset")), true },
        { new TaskCanceledException(), true },
        { new ArgumentException("No image.", "image"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void MayHaveReachedBackend_Failure_OnlyWhenTheRequestMayHaveBeenRead(Exception failure, bool expected)
    {
        Assert.Equal(expected, SubmitFailures.MayHaveReachedBackend(failure));
        Assert.Equal(expected, SubmitFailures.Describe(failure).MayHaveBeenSubmitted);
    }

    [Fact]
    public void Describe_JobTypeRejectsRequest_ItsOwnWordsWithoutParameterName()
    {
        var error = SubmitFailures.Describe(new ArgumentException("An image is required.", "image"));

        Assert.Equal(JobErrorSource.Submit, error.Source);
        Assert.Equal("The job could not be submitted: An image is required.", error.Message);
    }

    [Fact]
    public void Interrupted_PageClosedMidPost_MayHaveBeenSubmitted()
    {
        var error = SubmitFailures.Interrupted();

        Assert.True(error.MayHaveBeenSubmitted);
        Assert.Equal(SubmitFailures.InterruptedSubmitMessage, error.Message);
    }
}
