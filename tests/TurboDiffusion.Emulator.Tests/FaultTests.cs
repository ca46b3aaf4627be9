using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>Each fault knob does what it says, set in-process, over HTTP, or by configuration.</summary>
public class FaultTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailNextJobs_One_FailsOnlyTheNextJobWithTheTwoLineCudaText()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { FailNextJobs = new FailNextJobsFault { Count = 1 } });
        var failing = await emulator.SubmitAsync();
        var passing = await emulator.SubmitAsync();

        await emulator.WaitForFinishAsync(failing);
        await emulator.WaitForFinishAsync(passing);

        var failed = await emulator.GetJobAsync(failing);
        Assert.Equal("FAILURE", failed.GetProperty("status").GetString());
        Assert.Equal(Examples.Load("job-failure").GetProperty("error").GetString(), failed.GetProperty("error").GetString());
        Assert.Equal(failed.GetProperty("error").GetString(), failed.GetProperty("db").GetProperty("error").GetString());
        Assert.Equal("SUCCESS", (await emulator.GetJobAsync(passing)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task FailNextJobs_CustomMessage_IsTheJobsError()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { FailNextJobs = new FailNextJobsFault { Count = 1, Message = "line one\nline two" } });
        var jobId = await emulator.SubmitAsync();

        await emulator.WaitForFinishAsync(jobId);

        Assert.Equal("line one\nline two", (await emulator.GetJobAsync(jobId)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task BrokerDown_Post_Returns500AndLeavesRowSubmitFailed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { BrokerDown = true });
        using var form = JobForms.Create();

        using var response = await emulator.Http.PostAsync(Routes.Jobs, form, Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(JsonElement.DeepEquals(Examples.Load("create-500-broker"), JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement));
        var refused = await emulator.Emulator.Events.WaitForAsync(e => e.Status == DbStatus.SubmitFailed, Cancel);
        var job = await emulator.GetJobAsync(refused.JobId);
        Assert.Equal("PENDING", job.GetProperty("status").GetString());
        Assert.Equal("SUBMIT_FAILED", job.GetProperty("db").GetProperty("status").GetString());
    }

    [Fact]
    public async Task DbDown_Job_GetGivesDbErrorAndTheJobStillSucceeds()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { DbDown = true });

        var jobId = await emulator.SubmitAsync();
        var finish = await emulator.WaitForFinishAsync(jobId);
        var job = await emulator.GetJobAsync(jobId);

        Assert.Equal(CeleryState.Success, finish.Status);
        Assert.Equal("SUCCESS", job.GetProperty("status").GetString());
        Assert.False(job.TryGetProperty("db", out _));
        Assert.StartsWith("(psycopg.OperationalError)", job.GetProperty("db_error").GetString(), StringComparison.Ordinal);
        Assert.True(job.TryGetProperty("output_url", out _));
    }

    [Fact]
    public async Task DbDown_ThenBackUp_JobCreatedMeanwhileHasNoRow()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { DbDown = true });
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForFinishAsync(jobId);
        emulator.Emulator.Faults.Update(f => f with { DbDown = false });

        var job = await emulator.GetJobAsync(jobId);

        Assert.Equal("SUCCESS", job.GetProperty("status").GetString());
        Assert.False(job.TryGetProperty("db", out _));
        Assert.False(job.TryGetProperty("db_error", out _));
    }

    [Fact]
    public async Task UnhandledError_Post_Returns500PlainTextInternalServerError()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { UnhandledError = FaultTarget.Post });
        using var form = JobForms.Create();

        using var response = await emulator.Http.PostAsync(Routes.Jobs, form, Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Internal Server Error", await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task ExtraLatency_Get_DelaysTheAnswer()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await emulator.GetJobAsync(Guid.NewGuid().ToString());
        emulator.Emulator.Faults.Update(f => f with { ExtraLatency = TimeSpan.FromMilliseconds(150) });
        var clock = Stopwatch.StartNew();

        await emulator.GetJobAsync(Guid.NewGuid().ToString());

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"answered after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task GetError429_ForTwoGets_FailsTwiceWithRetryAfterThenRecovers()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { GetError = new GetErrorFault { StatusCode = 429, RetryAfterSeconds = 7, Count = 2 } });
        var route = Routes.Job(Guid.NewGuid().ToString());

        using var first = await emulator.Http.GetAsync(route, Cancel);
        using var second = await emulator.Http.GetAsync(route, Cancel);
        using var third = await emulator.Http.GetAsync(route, Cancel);

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], [first.StatusCode, second.StatusCode, third.StatusCode]);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        Assert.Equal(0, emulator.Emulator.Faults.Current.GetError.StatusCode);
    }

    [Fact]
    public async Task GetError503_WhileOn_EveryGetFails()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { GetError = new GetErrorFault { StatusCode = 503, RetryAfterSeconds = 3 } });
        var route = Routes.Job(Guid.NewGuid().ToString());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await emulator.Http.GetAsync(route, Cancel);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
    }

    [Fact]
    public async Task ProxyHtml502_OnPost_Returns502HtmlWhileGetsWork()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { ProxyHtml502 = FaultTarget.Post });
        using var form = JobForms.Create();

        using var post = await emulator.Http.PostAsync(Routes.Jobs, form, Cancel);
        using var get = await emulator.Http.GetAsync(Routes.Job(Guid.NewGuid().ToString()), Cancel);

        Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        Assert.Equal("text/html", post.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>502 Bad Gateway</h1>", await post.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task ProxyHtml502_OnGet_Returns502Html()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { ProxyHtml502 = FaultTarget.Get });

        using var get = await emulator.Http.GetAsync(Routes.Job(Guid.NewGuid().ToString()), Cancel);

        Assert.Equal(HttpStatusCode.BadGateway, get.StatusCode);
        Assert.Equal("text/html", get.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UrlLifetimeFault_Short_ShowsInXAmzExpires()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { UrlLifetime = TimeSpan.FromSeconds(5) });
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);

        var url = (await emulator.GetJobAsync(jobId)).GetProperty("output_url").GetString();

        Assert.Contains("&X-Amz-Expires=5&", url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_AfterFaultsAndRequests_TurnsFaultsOffAndZeroesCounters()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { BrokerDown = true, DbDown = true, ProxyHtml502 = FaultTarget.All });
        await emulator.Http.GetStringAsync(Routes.Health, Cancel);

        using var response = await emulator.Http.PostAsync(Routes.Reset, content: null, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new EmulatorFaults(), emulator.Emulator.Faults.Current);
        Assert.Equal(new RequestCountersSnapshot(0, 0, 0, 0, 0, 0), emulator.Emulator.Counters.Snapshot());
    }

    [Fact]
    public async Task AdminFaults_PutPartialJson_MergesOntoCurrentFaults()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { DbDown = true });
        using var body = new StringContent("""{"brokerDown": true, "getError": {"statusCode": 503}, "extraLatency": "00:00:00.010"}""", Encoding.UTF8, "application/json");

        using var response = await emulator.Http.PutAsync(Routes.Faults, body, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var faults = emulator.Emulator.Faults.Current;
        Assert.True(faults.DbDown);
        Assert.True(faults.BrokerDown);
        Assert.Equal(new GetErrorFault { StatusCode = 503 }, faults.GetError);
        Assert.Equal(TimeSpan.FromMilliseconds(10), faults.ExtraLatency);
    }

    [Fact]
    public async Task AdminFaults_Get_ReturnsCurrentFaultsAsCamelCaseJson()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Emulator.Faults.Update(f => f with { ProxyHtml502 = FaultTarget.Get });

        var faults = JsonDocument.Parse(await emulator.Http.GetStringAsync(Routes.Faults, Cancel)).RootElement;

        Assert.Equal("get", faults.GetProperty("proxyHtml502").GetString());
        Assert.Equal(0, faults.GetProperty("failNextJobs").GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("""{"getError": {"statusCode": 404}}""")]
    [InlineData("""{"noSuchFault": true}""")]
    [InlineData("""{"brokerDown": "sometimes"}""")]
    [InlineData("[]")]
    public async Task AdminFaults_PutInvalid_Returns400AndChangesNothing(string json)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var body = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await emulator.Http.PutAsync(Routes.Faults, body, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new EmulatorFaults(), emulator.Emulator.Faults.Current);
    }

    [Fact]
    public async Task AdminCounters_AfterRequests_CountEachRoute()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await emulator.Http.GetStringAsync(Routes.Health, Cancel);
        await emulator.Http.GetStringAsync(Routes.Paths, Cancel);
        await emulator.Http.GetStringAsync(Routes.Models, Cancel);
        var jobId = await emulator.SubmitAsync();
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);
        var url = (await emulator.GetJobAsync(jobId)).GetProperty("output_url").GetString()!;
        await emulator.GetJobAsync(jobId);
        using var storage = new HttpClient();
        await storage.GetByteArrayAsync(new Uri(url), Cancel);

        var counters = JsonDocument.Parse(await emulator.Http.GetStringAsync(Routes.Counters, Cancel)).RootElement;

        Assert.Equal(
            """{"postJob":1,"getJob":2,"models":1,"health":1,"paths":1,"storageGet":1}""",
            JsonSerializer.Serialize(counters));
        Assert.Equal(new RequestCountersSnapshot(1, 2, 1, 1, 1, 1), emulator.Emulator.Counters.Snapshot());
    }

    [Fact]
    public void Faults_FromConfiguration_AreBoundIntoOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Emulator:Faults:BrokerDown"] = "true",
            ["Emulator:Faults:FailNextJobs:Count"] = "3",
            ["Emulator:Faults:GetError:StatusCode"] = "429",
            ["Emulator:Faults:GetError:Count"] = "2",
            ["Emulator:Faults:ProxyHtml502"] = "Post",
            ["Emulator:Faults:ExtraLatency"] = "00:00:00.250",
            ["Emulator:UrlLifetime"] = "00:02:00",
        }).Build();
        var services = new ServiceCollection().AddTurboDiffusionEmulator(configuration.GetSection("Emulator"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<EmulatorOptions>>().Value;

        Assert.Equal(
            new EmulatorFaults
            {
                BrokerDown = true,
                FailNextJobs = new FailNextJobsFault { Count = 3 },
                GetError = new GetErrorFault { StatusCode = 429, Count = 2 },
                ProxyHtml502 = FaultTarget.Post,
                ExtraLatency = TimeSpan.FromMilliseconds(250),
            },
            options.Faults);
        Assert.Equal(TimeSpan.FromMinutes(2), options.UrlLifetime);
    }
}
