using System.Data.Common;
using I2VStudio.Testing;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Takes;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Workspace.Tests.Takes;

public sealed class SqliteTakeRunnerTests() : TakeRunnerTests(TestProvider.Sqlite);

public sealed class PostgresTakeRunnerTests() : TakeRunnerTests(TestProvider.Postgres);

/// <summary>The runner's own bookkeeping: a take it stores is always handed to the tracker, and the take follows its
/// job's newest state.</summary>
public abstract class TakeRunnerTests(TestProvider provider) : IDisposable
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private readonly RecordingBackend backend = new();

    public void Dispose()
    {
        backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Generate_CancelledRightAfterTheTakeIsStored_TakeStillSentAndTracked()
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cancelOnInsert = new AfterTakeInsert(caller.Cancel);
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct, services =>
        {
            backend.Install(services, BackendProfile.VideoGen);
            services.AddSingleton<IDbContextFactory<WorkspaceDbContext>>(sp =>
                new InterceptedContexts(sp.GetRequiredService<IOptions<WorkspaceOptions>>().Value, cancelOnInsert));
        });
        var shot = await ShotWithImageAsync(workspace);

        // The page closed (or the host began stopping) just as the take was stored.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workspace.Runner.GenerateAsync(shot, 3, caller.Token));
        var post = await backend.NextPostAsync(Ct);

        var take = Assert.Single((await workspace.Takes.GetShotAsync(shot, Ct)).Takes);
        Assert.True(cancelOnInsert.Fired);
        Assert.Equal("/v1/videogen/wan22-i2v/jobs", post.Path);
        Assert.NotNull(workspace.Runner.RecordOf(take.Id));
        Assert.Single(backend.Posts);
    }

    [Fact]
    public async Task JobChange_OlderSnapshotToldLate_TakeKeepsTheNewestState()
    {
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct, services => backend.Install(services, BackendProfile.VideoGen));
        var shot = await ShotWithImageAsync(workspace);
        var take = (await workspace.Runner.GenerateAsync(shot, 1, Ct)).Single();
        await backend.NextPostAsync(Ct);
        var newest = workspace.Runner.RecordOf(take.Id)!;

        // The submission's first change (no job id yet), told after the POST's answer was written.
        await workspace.Runner.OnJobChangedAsync(new JobChange(JobChangeKind.Added, newest.Id, newest with { JobId = null, Status = JobStatus.Submitting }, null));

        var row = Assert.Single((await workspace.Takes.GetShotAsync(shot, Ct)).Takes);
        Assert.Equal(JobPhase.Queued, newest.Status.Phase);
        Assert.Equal((newest.JobId, "Queued"), (row.JobId, row.Phase));
    }

    [Fact]
    public async Task Subscribe_ChangeToldOnAThreadOfAnotherCulture_ListenerHearsInTheCultureItSubscribedIn()
    {
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct, services => backend.Install(services, BackendProfile.VideoGen));
        var shot = await ShotWithImageAsync(workspace);
        var take = (await workspace.Runner.GenerateAsync(shot, 1, Ct)).Single();
        await backend.NextPostAsync(Ct);
        var record = workspace.Runner.RecordOf(take.Id)!;
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var chinese = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        var english = System.Globalization.CultureInfo.GetCultureInfo("en-US");
        IDisposable listening;
        var (culture, uiCulture) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        try
        {
            // A page subscribes on its circuit, in its user's language.
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = chinese;
            listening = workspace.Runner.Subscribe(_ =>
            {
                heard.Enqueue(System.Globalization.CultureInfo.CurrentUICulture.Name + "/" + System.Globalization.CultureInfo.CurrentCulture.Name);
                return Task.CompletedTask;
            });
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }

        using (listening)
        {
            // The host-wide tracker tells its changes on its own threads, in the host's culture.
            await Task.Run(async () =>
            {
                System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = english;
                await workspace.Runner.OnJobChangedAsync(new JobChange(JobChangeKind.Updated, record.Id, record, null));
            }, Ct);
        }

        Assert.NotEmpty(heard);
        Assert.All(heard, c => Assert.Equal("zh-CN/zh-CN", c));
    }

    [Fact]
    public async Task Capture_DownloadFailsOnce_TriedAgainAndTheVideoKept()
    {
        using var storage = new FlakyStorage();
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct, services =>
        {
            backend.Install(services, BackendProfile.VideoGen);
            services.AddHttpClient(TakeRunner.CaptureClient).ConfigurePrimaryHttpMessageHandler(() => storage);
        });
        var shot = await ShotWithImageAsync(workspace);
        // A take that succeeded while this host was down: its record has a fresh link, its video is not captured yet.
        var take = new Take { ShotId = shot, PromptSent = "x", Seed = 42, JobId = "job-1", Phase = nameof(JobPhase.Succeeded), CreatedAt = workspace.Time.GetUtcNow().UtcDateTime };
        await using (var db = workspace.OpenDb())
        {
            db.Takes.Add(take);
            await db.SaveChangesAsync(Ct);
        }
        var now = workspace.Time.GetUtcNow();
        await new TakeJobStore(workspace.Services.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>(), workspace.Time,
            workspace.Services.GetRequiredService<IOptions<WorkspaceOptions>>().Value).SaveAsync(new JobRecord
        {
            Id = "record-1", JobId = "job-1", JobType = I2VParams.JobTypeName,
            Inputs = new JobInputs { Prompt = "x", Context = new JobContext(null, shot.ToString(), take.Id.ToString()) },
            Status = new JobStatus("SUCCESS", "SUCCEEDED", JobPhase.Succeeded),
            OutputUrl = "http://127.0.0.1:9/outputs/job-1.mp4", OutputUrlExpiresAt = now.AddHours(1),
            CreatedAt = now, CompletedAt = now, LastChangeAt = now,
        }, Ct);
        var captured = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var restarted = ActivatorUtilities.CreateInstance<TakeRunner>(workspace.Services);
        using var listening = restarted.Subscribe(async _ =>
        {
            await using var db = workspace.OpenDb();
            if (await db.Takes.AnyAsync(t => t.Id == take.Id && t.VideoAssetId != null, Ct)) captured.TrySetResult();
        });

        await restarted.StartAsync(Ct);
        await storage.NextRequestAsync(Ct);
        // The failed download waits on the clock before the next attempt: move it on until that attempt comes.
        var second = storage.NextRequestAsync(Ct);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!second.IsCompleted)
            {
                deadline.Token.ThrowIfCancellationRequested();
                workspace.Time.Advance(TimeSpan.FromSeconds(10));
                await Task.WhenAny(second, Task.Delay(20, Ct));
            }
        }
        await second;
        await captured.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await restarted.StopAsync(Ct);

        var row = Assert.Single((await workspace.Takes.GetShotAsync(shot, Ct)).Takes);
        Assert.Equal(2, storage.Requests);
        Assert.NotNull(row.VideoAssetId);
        var video = (await workspace.Assets.FindAsync(row.VideoAssetId.Value, Ct))!;
        Assert.Equal(AssetKind.Video, video.Kind);
        // Named by its shot's words and seed, so a search in the library finds it (not by the backend's job id).
        Assert.Equal("雨落下。 · seed 42.mp4", video.Name);
    }

    /// <summary>The storage behind the output links: the first download fails (503), later ones answer an MP4.</summary>
    private sealed class FlakyStorage : HttpMessageHandler
    {
        private readonly System.Threading.Channels.Channel<int> requests = System.Threading.Channels.Channel.CreateUnbounded<int>();
        private int count;

        public int Requests => Volatile.Read(ref count);

        public async Task NextRequestAsync(CancellationToken cancellationToken) =>
            await requests.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref count);
            requests.Writer.TryWrite(n);
            if (n == 1) return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable));
            byte[] mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0];
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(mp4) });
        }
    }

    [Fact]
    public async Task Start_TakeStoredButNeverHandedToTheTracker_BecomesSubmitFailedOthersUntouched()
    {
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct, services => backend.Install(services, BackendProfile.VideoGen));
        var shot = await ShotWithImageAsync(workspace);
        var now = workspace.Time.GetUtcNow().UtcDateTime;
        // What a host that died between storing the take and storing its job record leaves behind.
        var neverSent = new Take { ShotId = shot, PromptSent = "p", Phase = "Submitting", CreatedAt = now - TimeSpan.FromMinutes(10) };
        // Another host's take, its record on the way.
        var young = new Take { ShotId = shot, PromptSent = "p", Phase = "Submitting", CreatedAt = now - TimeSpan.FromSeconds(10) };
        // A take whose record is stored (its POST in flight somewhere): the tracker owns it.
        var tracked = new Take { ShotId = shot, PromptSent = "p", Phase = "Submitting", CreatedAt = now - TimeSpan.FromMinutes(10) };
        await using (var db = workspace.OpenDb())
        {
            db.Takes.AddRange(neverSent, young, tracked);
            db.TakeJobs.Add(new TakeJobRecord { Id = "record-1", TakeId = tracked.Id, Json = "{}", UpdatedAt = now });
            await db.SaveChangesAsync(Ct);
        }

        var failed = await workspace.Runner.FailTakesNeverSentAsync(Ct);

        var phases = (await workspace.Takes.GetShotAsync(shot, Ct)).Takes.ToDictionary(t => t.Id, t => (t.Phase, t.Error));
        Assert.Equal(1, failed);
        Assert.Equal(("SubmitFailed", (string?)null), phases[neverSent.Id]);
        Assert.Equal("Submitting", phases[young.Id].Phase);
        Assert.Equal("Submitting", phases[tracked.Id].Phase);
    }

    internal static async Task<Guid> ShotWithImageAsync(TestWorkspace workspace)
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章\n雨落下。", "序章", Ct);
        var shot = (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0].Shots[0];
        var image = (await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(8, 8)), "i.png", Ct)).Asset;
        await workspace.Takes.SetSourceImageAsync(shot.Id, image.Id, Ct);
        return shot.Id;
    }

    /// <summary>Calls <c>cancel</c> once a take's row is inserted.</summary>
    private sealed class AfterTakeInsert(Action cancel) : DbCommandInterceptor
    {
        private int fired;

        public bool Fired => Volatile.Read(ref fired) == 1;

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            After(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
            CancellationToken cancellationToken = default)
        {
            After(command);
            return ValueTask.FromResult(result);
        }

        private void After(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"Takes\"", StringComparison.Ordinal) && Interlocked.Exchange(ref fired, 1) == 0) cancel();
        }
    }
}
