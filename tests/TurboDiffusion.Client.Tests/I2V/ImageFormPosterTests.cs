using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Jobs.Tracking;
using TurboDiffusion.Client.Tests.Http;

namespace TurboDiffusion.Client.Tests.I2V;

/// <summary>
/// The job POST of an image whose holder posts the form itself (<see cref="IImageFormPoster"/>: the browser's fetch in
/// WebAssembly): the same fields, the same route, and every answer read exactly as the network path reads it.
/// </summary>
public sealed class ImageFormPosterTests
{
    private static readonly byte[] PngBytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobRequest Request() =>
        new(I2VParams.JobTypeName,
            new JobInputs { Prompt = "A cat walks\nslowly", ImageName = "猫.png", ImageContentType = "image/png" },
            new I2VParams { Seed = 42, NumSteps = 3, Quantized = false, DurationSeconds = 2.5, EnhancePrompt = true }.ToJson());

    private static IJobTypeDefinition JobType(TestApi api) =>
        Assert.Single(api.Services.GetServices<IJobTypeDefinition>(), t => t.Name == "i2v");

    /// <summary>A form as a server would read it: the text fields and the image part's name, file name and type.</summary>
    private sealed record Form(string Path, List<KeyValuePair<string, string>> Fields, int ImagePosition, string ImageField, string FileName, string ContentType);

    private static async Task<Form> ReadMultipartAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var fields = new List<KeyValuePair<string, string>>();
        int position = -1;
        string field = "", fileName = "", contentType = "";
        foreach (var part in (MultipartFormDataContent)request.Content!)
        {
            var disposition = part.Headers.ContentDisposition!;
            if (disposition.FileName is { } name)
            {
                position = fields.Count;
                field = disposition.Name!.Trim('"');
                fileName = name.Trim('"');
                contentType = part.Headers.ContentType!.MediaType!;
            }
            else
            {
                fields.Add(new(disposition.Name!.Trim('"'), await part.ReadAsStringAsync(ct)));
            }
        }

        return new Form(request.RequestUri!.AbsolutePath, fields, position, field, fileName, contentType);
    }

    /// <summary>A form post that never answers until cancelled: when it started, and the token it was given.</summary>
    private sealed class HangingPost
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken Token { get; private set; }

        public PostedImage Image() => new(async (_, _, ct) =>
        {
            Token = ct;
            Started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });
    }

    /// <summary>A stream the test's poster answers for; reading it fails the test (the image must not pass through .NET).</summary>
    private sealed class PostedImage(Func<Uri, ImageForm, CancellationToken, Task<FormPostResponse>> post) : MemoryStream(PngBytes), IImageFormPoster
    {
        public List<(Uri Url, ImageForm Form)> Posts { get; } = [];

        public Task<FormPostResponse> PostFormAsync(Uri url, ImageForm form, CancellationToken cancellationToken)
        {
            Posts.Add((url, form));
            return post(url, form, cancellationToken);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The image was read in .NET.");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The image was read in .NET.");

        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("The image was read in .NET.");
    }

    private static FormPostResponse Answer(HttpStatusCode status, string body, string contentType = "application/json", string? retryAfter = null) =>
        new((int)status, body)
        {
            Headers = retryAfter is null
                ? [new("content-type", contentType), new("content-length", "999")]
                : [new("content-type", contentType), new("retry-after", retryAfter)],
        };

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string contentType = "application/json", string? retryAfter = null)
    {
        var response = Responses.Text(status, body, contentType);
        if (retryAfter is not null) response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return response;
    }

    [Fact]
    public async Task SubmitForReplyAsync_ImageFormPoster_PostsTheFieldsTheNetworkPathSendsAndNothingGoesToTheNetwork()
    {
        Form? sent = null;
        var network = new FakeHandler(async (request, _, ct) =>
        {
            sent = await ReadMultipartAsync(request, ct);
            return Responses.Json(HttpStatusCode.OK, Responses.Example("create-200.json"));
        });
        using (var api = TestApi.Create(network, o => o.Profile = BackendProfile.VideoGen))
        using (var stream = new MemoryStream(PngBytes))
        {
            await JobType(api).SubmitForReplyAsync(Request(), stream, Ct);
        }

        var untouched = FakeHandler.Always(() => throw new InvalidOperationException("the network was used"));
        using var posterApi = TestApi.Create(untouched, o => o.Profile = BackendProfile.VideoGen);
        using var image = new PostedImage((_, _, _) => Task.FromResult(Answer(HttpStatusCode.OK, Responses.Example("create-200.json"))));

        var reply = await JobType(posterApi).SubmitForReplyAsync(Request(), image, Ct);

        Assert.Equal("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", reply.JobId);
        Assert.Equal(0, untouched.Calls);
        var (url, form) = Assert.Single(image.Posts);
        Assert.Equal(new Uri(TestApi.BaseUrl, "v1/videogen/wan22-i2v/jobs"), url);
        Assert.NotNull(sent);
        Assert.Equal(sent.Path, url.AbsolutePath);
        Assert.Equal(sent.Fields, form.Fields);
        Assert.Equal(["prompt", "seed", "num_steps", "quantized", "duration_seconds", "enhance_prompt"], form.Fields.Select(f => f.Key));
        Assert.Equal((sent.ImagePosition, sent.ImageField, sent.FileName, sent.ContentType), (form.ImagePosition, form.ImageField, form.FileName, form.ContentType));
        Assert.Equal((0, "image", "image.png", "image/png"), (form.ImagePosition, form.ImageField, form.FileName, form.ContentType));
    }

    public static TheoryData<string, HttpStatusCode, string, string, string?> Answers => new()
    {
        { "created", HttpStatusCode.OK, Responses.Example("create-200.json"), "application/json", null },
        { "created, DB down", HttpStatusCode.OK, Responses.Example("create-200-db-down.json"), "application/json", null },
        { "no job id", HttpStatusCode.OK, """{"status":"PENDING"}""", "application/json", null },
        { "not JSON", HttpStatusCode.OK, "<html>proxy login</html>", "text/html", null },
        { "422 field list", HttpStatusCode.UnprocessableEntity, """{"detail":[{"loc":["body","num_steps"],"msg":"Input should be less than or equal to 4","type":"less_than_equal"}]}""", "application/json", null },
        { "422 text", HttpStatusCode.UnprocessableEntity, """{"detail":"prompt cannot be empty"}""", "application/json", null },
        { "413", HttpStatusCode.RequestEntityTooLarge, "The upload is larger than this server accepts (22020096 bytes).", "text/plain", null },
        { "500", HttpStatusCode.InternalServerError, """{"detail":"Failed to submit Celery task: broker down"}""", "application/json", null },
        { "502 page", HttpStatusCode.BadGateway, "<html><head><title>502 Bad Gateway</title></head></html>", "text/html", null },
        { "503 LLM", HttpStatusCode.ServiceUnavailable, """{"detail":"LLM prompt enhancement unavailable: timeout"}""", "application/json", "30" },
        { "429", HttpStatusCode.TooManyRequests, "", "text/plain", "12" },
        { "404", HttpStatusCode.NotFound, """{"detail":"Not Found"}""", "application/json", null },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task SubmitForReplyAsync_ImageFormPosterAnswer_ReadExactlyAsTheNetworkPathReadsIt(
        string answer, HttpStatusCode status, string body, string contentType, string? retryAfter)
    {
        Assert.NotEmpty(answer);
        var overNetwork = await OutcomeAsync(FakeHandler.Always(() => Response(status, body, contentType, retryAfter)), new MemoryStream(PngBytes));
        using var image = new PostedImage((_, _, _) => Task.FromResult(Answer(status, body, contentType, retryAfter)));

        var byPoster = await OutcomeAsync(FakeHandler.Always(() => throw new InvalidOperationException("the network was used")), image);

        Assert.Single(image.Posts);
        Assert.Equal(overNetwork, byPoster);
    }

    [Fact]
    public async Task SubmitForReplyAsync_ImageFormPosterNetworkFailure_ReadAsTheNetworkPathReadsIt()
    {
        var overNetwork = await OutcomeAsync(FakeHandler.Always(() => throw new HttpRequestException("TypeError: Failed to fetch")), new MemoryStream(PngBytes));
        using var image = new PostedImage((_, _, _) => throw new HttpRequestException("TypeError: Failed to fetch"));

        var byPoster = await OutcomeAsync(FakeHandler.Always(() => throw new InvalidOperationException("the network was used")), image);

        Assert.Equal(overNetwork, byPoster);
        Assert.Contains("may have been submitted: True", byPoster, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitForReplyAsync_ImageFormPosterOnAutoAnswers404_DetectsTheProfileAgainAsTheNetworkPathDoes()
    {
        const string legacy = """{"openapi":"3.1.0","paths":{"/v1/turbodiffusion/wan22-i2v/jobs":{},"/v1/turbodiffusion/jobs/{job_id}":{}}}""";
        const string videoGen = """{"openapi":"3.1.0","paths":{"/v1/videogen/wan22-i2v/jobs":{},"/v1/videogen/jobs/{job_id}":{},"/v1/capabilities/status":{}}}""";
        var detections = 0;
        var openApi = new FakeHandler((request, _, _) => request.RequestUri!.AbsolutePath == "/openapi.json"
            ? Task.FromResult(Responses.Json(HttpStatusCode.OK, Interlocked.Increment(ref detections) == 1 ? legacy : videoGen))
            : throw new InvalidOperationException("the network was used for " + request.RequestUri));
        using var api = TestApi.Create(openApi, o => o.Profile = BackendProfile.Auto);
        using var image = new PostedImage((url, _, _) => Task.FromResult(url.AbsolutePath.StartsWith("/v1/turbodiffusion/", StringComparison.Ordinal)
            ? Answer(HttpStatusCode.NotFound, """{"detail":"Not Found"}""")
            : Answer(HttpStatusCode.OK, Responses.Example("create-200.json"))));

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => JobType(api).SubmitForReplyAsync(Request(), image, Ct));
        var reply = await JobType(api).SubmitForReplyAsync(Request(), image, Ct);

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(2, detections);
        // The POST is not repeated on the new route by itself (its body is gone); the next one goes there.
        Assert.Equal(["/v1/turbodiffusion/wan22-i2v/jobs", "/v1/videogen/wan22-i2v/jobs"], image.Posts.Select(p => p.Url.AbsolutePath));
        Assert.Equal("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", reply.JobId);
    }

    [Fact(Timeout = 30_000)]
    public async Task SubmitForReplyAsync_ImageFormPosterHangs_SubmitTimeoutCancelsThePostAndReadsAsATimeout()
    {
        var clock = new ObservableTimeProvider();
        var hanging = new HangingPost();
        using var image = hanging.Image();
        using var api = TestApi.Create(null, o => o.SubmitTimeout = TimeSpan.FromMinutes(5), clock);

        var call = JobType(api).SubmitForReplyAsync(Request(), image, Ct);
        await hanging.Started.Task.WaitAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(hanging.Token.IsCancellationRequested);
        clock.Advance(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => call);
        Assert.True(hanging.Token.IsCancellationRequested);
        Assert.Equal(ApiFailureKind.Timeout, error.Kind);
        Assert.Equal($"The backend at {TestApi.BaseUrl} did not answer within 5 min.", error.Message);
        Assert.True(SubmitFailures.Describe(error).MayHaveBeenSubmitted);
    }

    [Fact(Timeout = 30_000)]
    public async Task SubmitForReplyAsync_CallerCancelsDuringTheImageFormPost_CancelsThePost()
    {
        var hanging = new HangingPost();
        using var image = hanging.Image();
        using var api = TestApi.Create(null);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = JobType(api).SubmitForReplyAsync(Request(), image, caller.Token);
        await hanging.Started.Task.WaitAsync(TestContext.Current.CancellationToken);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(hanging.Token.IsCancellationRequested);
    }

    /// <summary>What the tracker would keep of one submission: the reply, or the error as <see cref="SubmitFailures"/> describes it.</summary>
    private static async Task<string> OutcomeAsync(FakeHandler network, Stream image)
    {
        using var api = TestApi.Create(network);
        try
        {
            var reply = await JobType(api).SubmitForReplyAsync(Request(), image, Ct);
            return $"job {reply.JobId}, DB row written: {reply.DbRowWritten}";
        }
        catch (Exception e) when (e is not OperationCanceledException || !Ct.IsCancellationRequested)
        {
            var error = SubmitFailures.Describe(e);
            var api2 = e as TurboDiffusionApiException;
            return $"{e.GetType().Name} {api2?.Kind} {error.HttpStatus}: {error.Message}; fields: "
                   + string.Join(" | ", error.FieldProblems.Select(p => p.Field + "=" + p.Message))
                   + $"; retry after: {api2?.RetryAfter}; may have been submitted: {error.MayHaveBeenSubmitted}";
        }
        finally
        {
            await image.DisposeAsync();
        }
    }
}
