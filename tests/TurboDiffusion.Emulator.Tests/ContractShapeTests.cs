using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>Every payload has the keys and value kinds of the contract's examples.</summary>
public class ContractShapeTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_Get_MatchesExample()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var body = await emulator.Http.GetStringAsync(Routes.Health, Cancel);

        Assert.Equal(Examples.Load("health").GetRawText().Replace(" ", "", StringComparison.Ordinal), body);
    }

    [Fact]
    public async Task Paths_Get_MatchesExampleUnderDataDirectory()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var paths = await GetJsonAsync(emulator.Http, Routes.Paths);

        JsonShape.AssertSameShape(Examples.Load("paths"), paths);
        Assert.Equal(Path.GetFullPath(emulator.DataDirectory), paths.GetProperty("data_dir").GetString());
    }

    [Fact]
    public async Task Models_Get_MatchesExampleWithMissingFilesAndStandInEngine()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var models = await GetJsonAsync(emulator.Http, Routes.Models);

        JsonShape.AssertSameShape(Examples.Load("models"), models, "$.engine");
        var files = models.GetProperty("available")[0].GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(
            ["Wan2.1_VAE.pth", "models_t5_umt5-xxl-enc-bf16.pth", "TurboWan2.2-I2V-A14B-high-720P-quant.pth", "TurboWan2.2-I2V-A14B-low-720P-quant.pth"],
            files.Select(f => f.GetProperty("name").GetString()));
        Assert.All(files, f => Assert.False(f.GetProperty("exists").GetBoolean()));
        Assert.All(files, f => Assert.StartsWith(Path.GetFullPath(emulator.DataDirectory), f.GetProperty("path").GetString(), StringComparison.Ordinal));
        Assert.Equal("ffmpeg-kenburns", models.GetProperty("engine").GetProperty("name").GetString());
        Assert.True(models.GetProperty("engine").GetProperty("stand_in").GetBoolean());
    }

    [Fact]
    public async Task CreateJob_Valid_MatchesCreate200Example()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create();

        var (status, body) = await PostAsync(emulator.Http, form);

        Assert.Equal(HttpStatusCode.OK, status);
        JsonShape.AssertSameShape(Examples.Load("create-200"), body);
        Assert.True(body.GetProperty("db").GetProperty("persisted").GetBoolean());
        Assert.Equal("turbo-super-novel", body.GetProperty("input").GetProperty("bucket").GetString());
    }

    [Fact]
    public async Task CreateJob_DbDown_MatchesCreate200DbDownExample()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = new EmulatorFaults { DbDown = true });
        using var form = JobForms.Create();

        var (status, body) = await PostAsync(emulator.Http, form);

        Assert.Equal(HttpStatusCode.OK, status);
        JsonShape.AssertSameShape(Examples.Load("create-200-db-down"), body);
        Assert.True(JsonElement.DeepEquals(Examples.Load("create-200-db-down").GetProperty("db"), body.GetProperty("db")), body.GetRawText());
    }

    [Fact]
    public async Task CreateJob_NoFields_EqualsCreate422MissingExample()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(prompt: null, fileName: null, fields: ("seed", "7"));

        var (status, body) = await PostAsync(emulator.Http, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(JsonElement.DeepEquals(Examples.Load("create-422-missing"), body), body.GetRawText());
    }

    [Fact]
    public async Task CreateJob_SeedNotAnInteger_EqualsCreate422IntExample()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(fields: ("seed", "abc"));

        var (status, body) = await PostAsync(emulator.Http, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(JsonElement.DeepEquals(Examples.Load("create-422-int"), body), body.GetRawText());
    }

    [Fact]
    public async Task CreateJob_BrokerDown_EqualsCreate500BrokerExample()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = new EmulatorFaults { BrokerDown = true });
        using var form = JobForms.Create();

        var (status, body) = await PostAsync(emulator.Http, form);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.True(JsonElement.DeepEquals(Examples.Load("create-500-broker"), body), body.GetRawText());
    }

    [Fact]
    public async Task GetJob_Queued_MatchesPendingQueuedExample()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.QueueDelay = TimeSpan.FromMinutes(10));
        var jobId = await emulator.SubmitAsync();

        var job = await emulator.GetJobAsync(jobId);

        JsonShape.AssertSameShape(Examples.Load("job-pending-queued"), job);
        Assert.Equal("SUBMITTED", job.GetProperty("db").GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetJob_NeverSeen_MatchesPendingUnknownExample()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var job = await emulator.GetJobAsync(Guid.NewGuid().ToString());

        JsonShape.AssertSameShape(Examples.Load("job-pending-unknown"), job);
    }

    [Fact]
    public async Task GetJob_Running_MatchesStartedRunningExample()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.StepDuration = TimeSpan.FromMinutes(10));
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Running);

        var job = await emulator.GetJobAsync(jobId);

        JsonShape.AssertSameShape(Examples.Load("job-started-running"), job);
    }

    [Fact]
    public async Task GetJob_Succeeded_MatchesSuccessExample()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);

        var job = await emulator.GetJobAsync(jobId);

        JsonShape.AssertSameShape(Examples.Load("job-success"), job);
    }

    [Fact]
    public async Task GetJob_Failed_MatchesFailureExample()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = new EmulatorFaults { FailNextJobs = new FailNextJobsFault { Count = 1 } });
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForFinishAsync(jobId);

        var job = await emulator.GetJobAsync(jobId);

        JsonShape.AssertSameShape(Examples.Load("job-failure"), job);
    }

    [Fact]
    public async Task GetJob_DbDownWhileRunning_MatchesDbDownExample()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.StepDuration = TimeSpan.FromMinutes(10));
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Running);
        emulator.Emulator.Faults.Update(f => f with { DbDown = true });

        var job = await emulator.GetJobAsync(jobId);

        JsonShape.AssertSameShape(Examples.Load("job-db-down"), job);
        Assert.Equal(Examples.Load("job-db-down").GetProperty("db_error").GetString(), job.GetProperty("db_error").GetString());
    }

    [Fact]
    public async Task GetJob_ResultExpired_MatchesExpiredResultExample()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-12-21T14:02:11Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emulator = await TestEmulator.StartAsync(o => o.ResultExpiry = TimeSpan.FromDays(1), clock, dataDirectory: null);
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);
        clock.Advance(TimeSpan.FromDays(1));

        var job = await emulator.GetJobAsync(jobId);

        JsonShape.AssertSameShape(Examples.Load("job-expired-result"), job);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, Uri route) =>
        JsonDocument.Parse(await http.GetStringAsync(route, Cancel)).RootElement;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, MultipartFormDataContent form)
    {
        using var response = await http.PostAsync(Routes.Jobs, form, Cancel);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement);
    }
}
