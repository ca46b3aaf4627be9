using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Tests.Http;

namespace TurboDiffusion.Client.Tests.I2V;

/// <summary>The i2v job type over the real registration: the form it posts and the snapshots it reads.</summary>
public sealed class I2VJobTypeTests
{
    private static readonly byte[] PngBytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobRequest Request(I2VParams? parameters = null, string? imageName = "cat.png", string? contentType = "image/png") =>
        new(I2VParams.JobTypeName,
            new JobInputs { Prompt = "A cat walks\nslowly", ImageName = imageName, ImageContentType = contentType },
            (parameters ?? new I2VParams { Seed = 42, NumSteps = 3, Quantized = false }).ToJson());

    private static IJobTypeDefinition JobType(TestApi api) =>
        Assert.Single(api.Services.GetServices<IJobTypeDefinition>(), t => t.Name == "i2v");

    /// <summary>What the fake backend saw of one multipart POST.</summary>
    private sealed record PostedForm(string Method, string Path, Dictionary<string, string> Fields, string? FileName,
        string? ImageContentType, byte[] Image, long ImagePositionWhenSent);

    private static (FakeHandler Handler, Func<PostedForm?> Posted) CapturingBackend(TrackingStream? image, string answer)
    {
        PostedForm? posted = null;
        var handler = new FakeHandler(async (request, _, ct) =>
        {
            var positionWhenSent = image?.Position ?? -1;
            var fields = new Dictionary<string, string>();
            string? fileName = null, contentType = null;
            byte[] bytes = [];
            foreach (var part in (MultipartFormDataContent)request.Content!)
            {
                var disposition = part.Headers.ContentDisposition!;
                var name = disposition.Name!.Trim('"');
                if (name == "image")
                {
                    fileName = disposition.FileName?.Trim('"');
                    contentType = part.Headers.ContentType?.MediaType;
                    bytes = await part.ReadAsByteArrayAsync(ct);
                }
                else
                {
                    fields[name] = await part.ReadAsStringAsync(ct);
                }
            }

            posted = new PostedForm(request.Method.Method, request.RequestUri!.AbsolutePath, fields, fileName, contentType, bytes, positionWhenSent);
            return Responses.Json(HttpStatusCode.OK, answer);
        });
        return (handler, () => posted);
    }

    [Fact]
    public async Task SubmitAsync_Request_PostsTheFormFieldsAsFastApiReadsThem()
    {
        using var image = new TrackingStream(PngBytes);
        var (handler, posted) = CapturingBackend(image, Responses.Example("create-200.json"));
        using var api = TestApi.Create(handler);

        var jobId = await JobType(api).SubmitAsync(Request(), image, Ct);

        Assert.Equal("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", jobId);
        var form = posted()!;
        Assert.Equal("POST", form.Method);
        Assert.Equal("/v1/turbodiffusion/wan22-i2v/jobs", form.Path);
        Assert.Equal("A cat walks\nslowly", form.Fields["prompt"]);
        Assert.Equal("42", form.Fields["seed"]);
        Assert.Equal("3", form.Fields["num_steps"]);
        Assert.Equal("false", form.Fields["quantized"]);
        Assert.False(form.Fields.ContainsKey("duration_seconds"));
    }

    [Theory]
    [InlineData("create-200.json", true)]
    [InlineData("create-200-db-down.json", false)]
    public async Task SubmitForReplyAsync_CreateReply_SaysWhetherTheDbRowWasWritten(string example, bool written)
    {
        using var image = new TrackingStream(PngBytes);
        var (handler, _) = CapturingBackend(image, Responses.Example(example));
        using var api = TestApi.Create(handler);

        var reply = await JobType(api).SubmitForReplyAsync(Request(), image, Ct);

        Assert.Equal("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", reply.JobId);
        Assert.Equal(written, reply.DbRowWritten);
    }

    [Fact]
    public async Task SubmitAsync_Image_IsStreamedFromTheCallersStreamWithNameAndType()
    {
        using var image = new TrackingStream(PngBytes);
        var (handler, posted) = CapturingBackend(image, Responses.Example("create-200.json"));
        using var api = TestApi.Create(handler);

        await JobType(api).SubmitAsync(Request(), image, Ct);

        var form = posted()!;
        Assert.Equal("cat.png", form.FileName);
        Assert.Equal("image/png", form.ImageContentType);
        Assert.Equal(PngBytes, form.Image);
        // Nothing was read before the request reached the wire: the body streams from the caller's stream.
        Assert.Equal(0, form.ImagePositionWhenSent);
        Assert.False(image.Disposed);
    }

    [Fact]
    public async Task SubmitAsync_DurationAndQuantized_AreInvariantAndLowercase()
    {
        using var image = new TrackingStream(PngBytes);
        var (handler, posted) = CapturingBackend(image, Responses.Example("create-200.json"));
        using var api = TestApi.Create(handler);

        await JobType(api).SubmitAsync(Request(new I2VParams { Seed = 2147483647, DurationSeconds = 2.5 }), image, Ct);

        var form = posted()!;
        Assert.Equal("2.5", form.Fields["duration_seconds"]);
        Assert.Equal("true", form.Fields["quantized"]);
        Assert.Equal("4", form.Fields["num_steps"]);
        Assert.Equal("2147483647", form.Fields["seed"]);
    }

    [Fact]
    public async Task SubmitAsync_NonAsciiFileName_IsSentAsImageWithTheTypesSuffix()
    {
        using var image = new TrackingStream(PngBytes);
        var (handler, posted) = CapturingBackend(image, Responses.Example("create-200.json"));
        using var api = TestApi.Create(handler);

        await JobType(api).SubmitAsync(Request(imageName: "猫 照片.png"), image, Ct);

        Assert.Equal("image.png", posted()!.FileName);
    }

    [Theory]
    [InlineData("cat.png", "image/png", "cat.png")]
    [InlineData("photo", "image/jpeg", "photo.jpg")]
    [InlineData(null, "image/png", "image.png")]
    [InlineData(null, null, "image.jpg")]
    [InlineData("C:\\Users\\me\\shot.jpg", "image/jpeg", "shot.jpg")]
    [InlineData("say \"hi\".png", "image/png", "image.png")]
    public void WireFileName_Name_KeepsSafeNamesAndTheSuffix(string? name, string? contentType, string expected)
    {
        Assert.Equal(expected, I2VJobType.WireFileName(name?.Replace('\\', Path.DirectorySeparatorChar), contentType ?? "application/octet-stream"));
    }

    [Fact]
    public async Task SubmitAsync_DbDown_StillReturnsTheJobId()
    {
        using var image = new TrackingStream(PngBytes);
        var (handler, _) = CapturingBackend(image, Responses.Example("create-200-db-down.json"));
        using var api = TestApi.Create(handler);

        Assert.Equal("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", await JobType(api).SubmitAsync(Request(), image, Ct));
    }

    [Theory]
    [InlineData("""{"status": "submitted"}""")]
    [InlineData("""{"job_id": "", "status": "submitted"}""")]
    public async Task SubmitAsync_NoJobId_ThrowsProtocol(string answer)
    {
        using var image = new TrackingStream(PngBytes);
        var (handler, _) = CapturingBackend(image, answer);
        using var api = TestApi.Create(handler);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => JobType(api).SubmitAsync(Request(), image, Ct));

        Assert.Equal(ApiFailureKind.Protocol, error.Kind);
        Assert.Contains("no job id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_422Missing_ThrowsValidationWithBothFields()
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.UnprocessableEntity, Responses.Example("create-422-missing.json")));
        using var api = TestApi.Create(handler);
        using var image = new TrackingStream(PngBytes);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => JobType(api).SubmitAsync(Request(), image, Ct));

        Assert.Equal(ApiFailureKind.Validation, error.Kind);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Equal([new FieldProblem("prompt", "Field required"), new FieldProblem("image", "Field required")], error.FieldProblems);
        Assert.Equal("The backend rejected the request: prompt: Field required; image: Field required", error.Message);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task SubmitAsync_422Int_ThrowsValidationNamingSeed()
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.UnprocessableEntity, Responses.Example("create-422-int.json")));
        using var api = TestApi.Create(handler);
        using var image = new TrackingStream(PngBytes);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => JobType(api).SubmitAsync(Request(), image, Ct));

        var problem = Assert.Single(error.FieldProblems);
        Assert.Equal("seed", problem.Field);
        Assert.Equal("Input should be a valid integer, unable to parse string as an integer", problem.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task SubmitAsync_500Broker_ThrowsHttpWithTheDetail()
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.InternalServerError, Responses.Example("create-500-broker.json")));
        using var api = TestApi.Create(handler);
        using var image = new TrackingStream(PngBytes);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => JobType(api).SubmitAsync(Request(), image, Ct));

        Assert.Equal(ApiFailureKind.Http, error.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("Failed to submit Celery task: Error 111 connecting to localhost:6379. Connection refused.", error.Message);
        Assert.True(error.IsTransient);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task GetStatusAsync_Success_MapsEverything()
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, Responses.Example("job-success.json")));
        using var api = TestApi.Create(handler);

        var snapshot = await JobType(api).GetStatusAsync("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", Ct);

        Assert.Equal("SUCCESS", snapshot.Celery);
        Assert.Equal("SUCCEEDED", snapshot.Db);
        Assert.False(snapshot.DbUnavailable);
        Assert.StartsWith("http://127.0.0.1:9000/turbo-super-novel/", snapshot.OutputUrl, StringComparison.Ordinal);
        Assert.Null(snapshot.Error);
        using var raw = JsonDocument.Parse(snapshot.RawResult!);
        Assert.Equal("turbodiffusion/outputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.mp4", raw.RootElement.GetProperty("output_key").GetString());
    }

    [Fact]
    public async Task GetStatusAsync_Request_GetsTheJobRoute()
    {
        string? path = null;
        var handler = new FakeHandler((request, _, _) =>
        {
            path = request.RequestUri!.AbsolutePath;
            return Task.FromResult(Responses.Json(HttpStatusCode.OK, Responses.Example("job-pending-queued.json")));
        });
        using var api = TestApi.Create(handler);

        await JobType(api).GetStatusAsync("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", Ct);

        Assert.Equal("/v1/turbodiffusion/jobs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", path);
    }

    [Theory]
    [InlineData("job-pending-queued.json", "PENDING", "SUBMITTED", false)]
    [InlineData("job-pending-unknown.json", "PENDING", null, false)]
    [InlineData("job-started-running.json", "STARTED", "RUNNING", false)]
    [InlineData("job-db-down.json", "STARTED", null, true)]
    [InlineData("job-expired-result.json", "PENDING", "SUCCEEDED", false)]
    [InlineData("job-failure.json", "FAILURE", "FAILED", false)]
    public async Task GetStatusAsync_Example_MapsCeleryDbAndDbAvailability(string example, string celery, string? db, bool dbUnavailable)
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, Responses.Example(example)));
        using var api = TestApi.Create(handler);

        var snapshot = await JobType(api).GetStatusAsync("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", Ct);

        Assert.Equal(celery, snapshot.Celery);
        Assert.Equal(db, snapshot.Db);
        Assert.Equal(dbUnavailable, snapshot.DbUnavailable);
        Assert.Null(snapshot.OutputUrl);
        Assert.Null(snapshot.RawResult);
    }

    [Fact]
    public async Task GetStatusAsync_Failure_CarriesTheWorkersErrorVerbatim()
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, Responses.Example("job-failure.json")));
        using var api = TestApi.Create(handler);

        var snapshot = await JobType(api).GetStatusAsync("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", Ct);

        Assert.StartsWith("CUDA out of memory. Tried to allocate 2.81 GiB.", snapshot.Error, StringComparison.Ordinal);
        Assert.EndsWith("reserved by PyTorch but unallocated.", snapshot.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatusAsync_ErrorOnlyOnTheRow_UsesTheRowsError()
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK,
            """{"status": "PENDING", "db": {"status": "SUBMIT_FAILED", "error": "broker refused"}}"""));
        using var api = TestApi.Create(handler);

        var snapshot = await JobType(api).GetStatusAsync("j1", Ct);

        Assert.Equal("SUBMIT_FAILED", snapshot.Db);
        Assert.Equal("broker refused", snapshot.Error);
    }

    [Fact]
    public async Task GetStatusAsync_UnknownStates_AreKept()
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, """{"status": "RECEIVED", "db": {"status": "PAUSED"}, "extra": 1}"""));
        using var api = TestApi.Create(handler);

        var snapshot = await JobType(api).GetStatusAsync("j1", Ct);

        Assert.Equal("RECEIVED", snapshot.Celery);
        Assert.Equal("PAUSED", snapshot.Db);
    }

    [Theory]
    [InlineData("""{"job_id": "j1", "db": {"status": "RUNNING"}}""")]
    [InlineData("""{"job_id": "j1", "status": null}""")]
    [InlineData("""{"job_id": "j1", "status": ""}""")]
    public async Task GetStatusAsync_NoStatus_ThrowsProtocol(string answer)
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, answer));
        using var api = TestApi.Create(handler);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => JobType(api).GetStatusAsync("j1", Ct));

        Assert.Equal(ApiFailureKind.Protocol, error.Kind);
        Assert.Equal("The backend's answer for job j1 has no 'status' field, so its state is unknown.", error.Message);
    }

    [Theory]
    [InlineData("{\"status\": \"PENDING\"")]
    [InlineData("<html><body>Login required</body></html>")]
    [InlineData("[1, 2, 3]")]
    public async Task GetStatusAsync_MalformedJson_ThrowsProtocol(string answer)
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, answer));
        using var api = TestApi.Create(handler);

        var error = await Assert.ThrowsAsync<TurboDiffusionApiException>(() => JobType(api).GetStatusAsync("j1", Ct));

        Assert.Equal(ApiFailureKind.Protocol, error.Kind);
        Assert.StartsWith("The backend's answer to GET /v1/turbodiffusion/jobs/j1 could not be read:", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task SubmitAsync_NoImage_ThrowsWithoutCallingTheBackend()
    {
        var handler = FakeHandler.Always(() => Responses.Json(HttpStatusCode.OK, Responses.Example("create-200.json")));
        using var api = TestApi.Create(handler);

        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => JobType(api).SubmitAsync(Request(), null, Ct));

        Assert.StartsWith("An image-to-video job needs its input image.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public void WithSeed_Params_ReplacesOnlyTheSeed()
    {
        var type = new I2VJobType(null!);
        var original = new I2VParams { Seed = 1, NumSteps = 2, Quantized = false, DurationSeconds = 3.5 }.ToJson();

        var changed = I2VParams.FromJson(type.WithSeed(original, 777));

        Assert.Equal(new I2VParams { Seed = 777, NumSteps = 2, Quantized = false, DurationSeconds = 3.5 }, changed);
    }

    [Fact]
    public void Name_IsI2V()
    {
        Assert.Equal("i2v", new I2VJobType(null!).Name);
    }
}

/// <summary>A readable stream that reports how far it was read and whether it was disposed.</summary>
internal sealed class TrackingStream(byte[] bytes) : MemoryStream(bytes)
{
    public bool Disposed { get; private set; }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
