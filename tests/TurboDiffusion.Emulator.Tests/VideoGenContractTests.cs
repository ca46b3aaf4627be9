using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>The VideoGen profile (backend commit 5b75d5f) against the contract's VideoGen examples (tests/Fixtures/contract/videogen-*).</summary>
public class VideoGenContractTests
{
    private static readonly Uri Jobs = new("v1/videogen/wan22-i2v/jobs", UriKind.Relative);
    private static readonly Uri Models = new("v1/videogen/models", UriKind.Relative);
    private static readonly Uri Capabilities = new("v1/capabilities/status", UriKind.Relative);
    private static readonly Uri OpenApi = new("openapi.json", UriKind.Relative);
    private static readonly string[] SevenKeys = ["job_id", "status", "progress", "error", "provider_type", "video_url", "duration_seconds"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null) => TestEmulator.StartAsync(o =>
    {
        o.ApiProfile = EmulatorApiProfile.VideoGen;
        configure?.Invoke(o);
    });

    private static Uri Job(string id) => new("v1/videogen/jobs/" + Uri.EscapeDataString(id), UriKind.Relative);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(TestEmulator emulator, MultipartFormDataContent form)
    {
        using var response = await emulator.Http.PostAsync(Jobs, form, Cancel);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone());
    }

    private static async Task<string> SubmitAsync(TestEmulator emulator, MultipartFormDataContent form)
    {
        var (status, body) = await PostAsync(emulator, form);
        Assert.True(status == HttpStatusCode.OK, body.GetRawText());
        return body.GetProperty("job_id").GetString()!;
    }

    private static async Task<JsonElement> GetAsync(TestEmulator emulator, Uri route) =>
        JsonDocument.Parse(await emulator.Http.GetStringAsync(route, Cancel)).RootElement.Clone();

    private static string WithoutJobId(JsonElement status) =>
        JsonSerializer.Serialize(status.EnumerateObject().Where(p => p.Name != "job_id").ToDictionary(p => p.Name, p => p.Value));

    [Fact]
    public void Options_Default_ServesVideoGen()
    {
        Assert.Equal(EmulatorApiProfile.VideoGen, new EmulatorOptions().ApiProfile);
    }

    [Fact]
    public async Task Status_QueuedJob_IsExactlySevenKeysAndReadsLikeAnUnknownId()
    {
        await using var emulator = await StartAsync(o => o.QueueDelay = TimeSpan.FromHours(1));
        using var form = JobForms.Create(durationSeconds: "2.5");
        var jobId = await SubmitAsync(emulator, form);

        var queued = await GetAsync(emulator, Job(jobId));
        var unknown = await GetAsync(emulator, Job(Guid.NewGuid().ToString()));

        JsonShape.AssertSameShape(Examples.Load("videogen-job-pending"), queued);
        Assert.Equal(SevenKeys, queued.EnumerateObject().Select(p => p.Name));
        Assert.Equal(WithoutJobId(unknown), WithoutJobId(queued));
        Assert.Equal(jobId, queued.GetProperty("job_id").GetString());
    }

    [Fact]
    public async Task Status_Success_MatchesExampleWithAPlayableVideoUrlAndTheRequestedDuration()
    {
        await using var emulator = await StartAsync();
        using var form = JobForms.Create(durationSeconds: "0.5");
        var jobId = await SubmitAsync(emulator, form);
        await emulator.WaitForFinishAsync(jobId);

        var status = await GetAsync(emulator, Job(jobId));

        JsonShape.AssertSameShape(Examples.Load("videogen-job-success"), status);
        Assert.Equal(0.5, status.GetProperty("duration_seconds").GetDouble());
        Assert.Equal("local", status.GetProperty("provider_type").GetString());
        using var storage = new HttpClient();
        using var video = await storage.GetAsync(new Uri(status.GetProperty("video_url").GetString()!), Cancel);
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
    }

    [Fact]
    public async Task Worker_DurationAboveMax_FailsWithTheWorkersWords()
    {
        await using var emulator = await StartAsync(o => o.MaxVideoSeconds = 1);
        using var form = JobForms.Create(durationSeconds: "1.5");
        var jobId = await SubmitAsync(emulator, form);
        await emulator.WaitForFinishAsync(jobId);

        var status = await GetAsync(emulator, Job(jobId));

        JsonShape.AssertSameShape(Examples.Load("videogen-job-failure"), status);
        Assert.Equal("FAILURE", status.GetProperty("status").GetString());
        Assert.Equal("duration_seconds too large (max=1.0s), got 1.5", status.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Status_ResultExpired_FinishedJobReadsPendingAgainLikeAnUnknownId()
    {
        await using var emulator = await StartAsync();
        using var form = JobForms.Create(durationSeconds: "0.5");
        var jobId = await SubmitAsync(emulator, form);
        await emulator.WaitForFinishAsync(jobId);
        var unknown = await GetAsync(emulator, Job(Guid.NewGuid().ToString()));

        emulator.Emulator.Faults.Update(f => f with { ResultExpiry = TimeSpan.FromTicks(1) });
        var expired = await GetAsync(emulator, Job(jobId));

        Assert.Equal("PENDING", expired.GetProperty("status").GetString());
        Assert.Equal(WithoutJobId(unknown), WithoutJobId(expired));
    }

    [Fact]
    public async Task Create_WhitespacePrompt_EqualsTheEmptyPromptExample()
    {
        await using var emulator = await StartAsync();
        using var form = JobForms.Create(prompt: "  \n ");

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(JsonElement.DeepEquals(Examples.Load("videogen-create-422-empty-prompt"), body), body.GetRawText());
    }

    [Fact]
    public async Task Create_StepsAndDurationOutOfBounds_MatchesTheBoundsExample()
    {
        await using var emulator = await StartAsync();
        using var form = JobForms.Create(durationSeconds: "0", fields: [("num_steps", "0")]);

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        JsonShape.AssertSameShape(Examples.Load("videogen-create-422-bounds"), body);
        var items = body.GetProperty("detail").EnumerateArray().ToList();
        Assert.Equal(["greater_than_equal", "greater_than"], items.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(["num_steps", "duration_seconds"], items.Select(i => i.GetProperty("loc")[1].GetString()));
        Assert.Equal(
            Examples.Load("videogen-create-422-bounds").GetProperty("detail").EnumerateArray().Select(i => i.GetProperty("msg").GetString()),
            items.Select(i => i.GetProperty("msg").GetString()));
    }

    [Fact]
    public async Task Create_TooManyStepsAndTooLongPrompt_AreLessThanEqualAndStringTooLong()
    {
        await using var emulator = await StartAsync();
        using var form = JobForms.Create(prompt: new string('字', 8001), fields: [("num_steps", "101")]);

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var items = body.GetProperty("detail").EnumerateArray().ToList();
        Assert.Equal(["string_too_long", "less_than_equal"], items.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("String should have at most 8000 characters", items[0].GetProperty("msg").GetString());
        Assert.Equal("Input should be less than or equal to 100", items[1].GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Create_EnhanceWhileLlmUnavailable_MatchesThe503ExampleAndQueuesNothing()
    {
        await using var emulator = await StartAsync(o => o.Faults = new EmulatorFaults { LlmUnavailable = true });
        using var form = JobForms.Create(fields: [("enhance_prompt", "true")]);

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        JsonShape.AssertSameShape(Examples.Load("videogen-create-503-llm"), body);
        Assert.StartsWith("LLM prompt enhancement unavailable: ", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, emulator.Emulator.Counters[EmulatorRoute.GetJob]);
    }

    [Fact]
    public async Task Create_Enhance_QueuesTheFakeEnhancersDeterministicRewrite()
    {
        await using var emulator = await StartAsync(o => o.QueueDelay = TimeSpan.FromHours(1));
        using var form = JobForms.Create(prompt: "A cat walks", fields: [("enhance_prompt", "true")]);

        var jobId = await SubmitAsync(emulator, form);

        var row = await emulator.Emulator.Services.GetRequiredService<JobDatabase>().FindAsync(jobId, Cancel);
        Assert.Equal("A cat walks" + PromptEnhancer.Suffix, row!.Prompt);
        Assert.Equal(PromptEnhancer.Enhance("A cat walks"), PromptEnhancer.Enhance("A cat walks "));
    }

    [Fact]
    public async Task Capabilities_KnobsMatchingTheExample_MatchItsShape()
    {
        await using var emulator = await StartAsync(o => o.Capabilities = new EmulatorCapabilities { Tts = true, ImageGen = false, VideoGen = true, Llm = true });

        var body = await GetAsync(emulator, Capabilities);

        JsonShape.AssertSameShape(Examples.Load("videogen-capabilities"), body);
        Assert.Equal("unavailable", body.GetProperty("capabilities").GetProperty("imagegen").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Capabilities_LlmKnobOff_ReadsUnavailableWithADetail()
    {
        await using var emulator = await StartAsync(o => o.Capabilities = new EmulatorCapabilities { Llm = false });

        var llm = (await GetAsync(emulator, Capabilities)).GetProperty("capabilities").GetProperty("llm");

        Assert.Equal("unavailable", llm.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(llm.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Models_VideoGenKnobOff_MatchesTheNotInstalledExample()
    {
        await using var emulator = await StartAsync(o => o.Capabilities = new EmulatorCapabilities { VideoGen = false });

        var body = await GetAsync(emulator, Models);

        JsonShape.AssertSameShape(Examples.Load("videogen-models-unavailable"), body);
        Assert.Empty(body.GetProperty("available").EnumerateArray());
    }

    [Fact]
    public async Task Models_VideoGen_SameShapeAsTheLegacyModels()
    {
        await using var emulator = await StartAsync();

        var body = await GetAsync(emulator, Models);

        JsonShape.AssertSameShape(Examples.Load("models"), body, "$.engine");
    }

    [Theory]
    [InlineData(EmulatorApiProfile.VideoGen, true, false)]
    [InlineData(EmulatorApiProfile.Legacy, false, true)]
    [InlineData(EmulatorApiProfile.Both, true, true)]
    public async Task OpenApi_Profile_ListsExactlyTheServedJobRoutes(EmulatorApiProfile profile, bool videoGen, bool legacy)
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ApiProfile = profile);

        var document = await GetAsync(emulator, OpenApi);
        using var legacyGet = await emulator.Http.GetAsync(Routes.Job(Guid.NewGuid().ToString()), Cancel);
        using var videoGenGet = await emulator.Http.GetAsync(Job(Guid.NewGuid().ToString()), Cancel);

        var paths = document.GetProperty("paths");
        Assert.Equal("0.2.0", document.GetProperty("info").GetProperty("version").GetString());
        Assert.Equal(videoGen, paths.TryGetProperty("/v1/videogen/jobs/{job_id}", out _));
        Assert.Equal(videoGen, paths.TryGetProperty("/v1/capabilities/status", out _));
        Assert.Equal(legacy, paths.TryGetProperty("/v1/turbodiffusion/jobs/{job_id}", out _));
        Assert.Equal(videoGen ? HttpStatusCode.OK : HttpStatusCode.NotFound, videoGenGet.StatusCode);
        Assert.Equal(legacy ? HttpStatusCode.OK : HttpStatusCode.NotFound, legacyGet.StatusCode);
    }

    [Fact]
    public void Options_UnknownApiProfileAndNonPositiveMax_FailNamingTheKeys()
    {
        var errors = EmulatorOptionsValidator.Check(new EmulatorOptions { ApiProfile = (EmulatorApiProfile)9, MaxVideoSeconds = 0 }).ToList();

        Assert.Contains("Emulator:ApiProfile must be Legacy, VideoGen or Both (was 9).", errors);
        Assert.Contains("Emulator:MaxVideoSeconds must be a positive number of seconds (was 0).", errors);
    }

    [Theory]
    [InlineData(10.0, "10.0")]
    [InlineData(12.5, "12.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e20, "1e+20")]
    public void FloatRepr_Values_AsPythonPrintsThemInTheWorkersError(double value, string expected)
    {
        Assert.Equal(expected, PythonSemantics.FloatRepr(value));
    }
}
