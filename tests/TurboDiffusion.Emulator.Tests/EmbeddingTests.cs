using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>The emulator inside someone else's app, and what stopping it leaves behind.</summary>
public sealed class EmbeddingTests : IDisposable
{
    private readonly string dataDirectory = TestEmulator.NewDataDirectory();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddAndMap_InAnotherApp_ServesJobsAndStorageOnItsOwnPort()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        builder.Services.AddTurboDiffusionEmulator(o =>
        {
            TestEmulator.FastOptions(dataDirectory).CopyTo(o);
        });
        await using var app = builder.Build();
        app.MapTurboDiffusionEmulator();
        await app.StartAsync(Cancel);
        var api = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        using var http = new HttpClient { BaseAddress = api };
        using var form = JobForms.Create(durationSeconds: "0.5");
        using var post = await http.PostAsync(Routes.Jobs, form, Cancel);
        var jobId = System.Text.Json.JsonDocument.Parse(await post.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("job_id").GetString()!;
        using var timeout = Timeouts.After(30);
        await app.Services.GetRequiredService<JobEventLog>().WaitForStatusAsync(jobId, JobEventSource.Database, DbStatus.Succeeded, timeout.Token);

        var job = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(Routes.Job(jobId), Cancel)).RootElement;
        using var storage = new HttpClient();
        using var video = await storage.GetAsync(new Uri(job.GetProperty("output_url").GetString()!), Cancel);

        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.NotEqual(api.Port, video.RequestMessage!.RequestUri!.Port);
    }

    [Fact]
    public async Task Dispose_DuringARender_LeavesNoFfmpegRunning()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads /proc to find child processes.");
        var emulator = await TestEmulator.StartAsync(o => o.StepDuration = TimeSpan.Zero);
        using var form = JobForms.Create(image: TestImages.Png(640, 360));
        var jobId = await emulator.SubmitAsync(form);
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Running);

        await emulator.DisposeAsync();

        Assert.DoesNotContain(DbStatus.Uploaded, emulator.Emulator.Events.StatusesOf(jobId, JobEventSource.Database));
        Assert.Empty(ProcessesMentioning(emulator.DataDirectory));
    }

    public void Dispose() => TestEmulator.DeleteDirectory(dataDirectory);

    private static List<int> ProcessesMentioning(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => (Pid: int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0, Dir: dir))
            .Where(p => p.Pid > 0 && ReadCommandLine(p.Dir).Contains(text, StringComparison.Ordinal))
            .Select(p => p.Pid)
            .ToList();

    private static string ReadCommandLine(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
