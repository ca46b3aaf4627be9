using System.Text.Json;
using I2VStudio.Workspace.Batches;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using I2VStudio.Workspace.Takes;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Workspace.Tests.Takes;

public sealed class SqliteTakeHostsTests() : TakeHostsTests(TestProvider.Sqlite);

public sealed class PostgresTakeHostsTests() : TakeHostsTests(TestProvider.Postgres);

/// <summary>Several hosts on one database, each with its own backend client (so each host's polls are counted apart):
/// a job is polled by the one host that follows it; a dead host's takes are taken over once its lease runs out, without a
/// restart; a restarted host resumes its own.</summary>
public abstract class TakeHostsTests(TestProvider provider)
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static readonly TimeSpan Lease = new WorkspaceOptions().TakeLease;
    private static readonly TimeSpan Renewal = new WorkspaceOptions().TakeLeaseRenewal;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    // When each host's take runner started on the shared clock: its lease rounds come every Renewal from then.
    private readonly Dictionary<TestWorkspace, DateTimeOffset> started = [];

    [Fact]
    public async Task HostDies_LeaseRunsOut_AnotherHostTakesTheTakeOverCapturesItAndItsBatchItemIsDone()
    {
        await using var hosts = await StartTwoHostsAsync();
        var (a, b, backendA, backendB) = (hosts.A, hosts.B, hosts.BackendA, hosts.BackendB);
        var shot = await TakeRunnerTests.ShotWithImageAsync(a);
        Guid scene;
        await using (var db = a.OpenDb()) scene = await db.Shots.Where(s => s.Id == shot).Select(s => s.SceneId).SingleAsync(Ct);
        // Host A's batch runner sends the shot's take.
        await a.Services.GetRequiredService<BatchService>().StartAsync(TreeNodeKind.Scene, scene, 1, Ct);
        await ActivatorUtilities.CreateInstance<BatchRunner>(a.Services).TickAsync(Ct);
        Assert.Equal("a-1", a.Runner.RecordOf(await SingleTakeAsync(a, shot))?.JobId);

        // A dies: no more polls, no renewals, and its lease is not given back.
        await a.Runner.DisposeAsync();
        var died = a.Time.GetUtcNow();
        var pollsOfA = backendA.Polls.Count;
        backendB.Succeed("a-1");

        // While A's lease holds, B leaves the take alone.
        await AdvanceAsync(Lease - Renewal, b);
        Assert.Empty(backendB.Polls);

        var take = await SingleTakeAsync(a, shot);
        var claimedAt = await AdvanceUntilAsync(() => Task.FromResult(b.Runner.RecordOf(take) is not null), Renewal * 2, b);
        // Polled at the tracker's usual pace from then on; the capture follows the first answer that says it succeeded, and
        // then the lease ends.
        await AdvanceUntilAsync(async () => (await TakeRowAsync(a, take)).VideoAssetId is not null && (await JobRowAsync(a)).LeaseUntil is null, TimeSpan.FromMinutes(2), b);
        await ActivatorUtilities.CreateInstance<BatchRunner>(b.Services).TickAsync(Ct);

        var row = await TakeRowAsync(a, take);
        var job = await JobRowAsync(a);
        var progress = Assert.Single(await a.Services.GetRequiredService<BatchService>().ListAsync(await ProjectOfAsync(a, shot), Ct));
        Assert.InRange(claimedAt - died, Lease, Lease + Renewal);
        Assert.Equal(pollsOfA, backendA.Polls.Count);
        Assert.Contains("a-1", backendB.Polls);
        Assert.Equal(("Succeeded", "a-1"), (row.Phase, row.JobId));
        Assert.Equal(AssetKind.Video, (await a.Assets.FindAsync(row.VideoAssetId!.Value, Ct))!.Kind);
        Assert.Equal("B", job.TrackedBy);
        Assert.Equal((1, 1), (progress.Total, progress.Done));
    }

    [Fact]
    public async Task HostStopsOnPurpose_LeaseGivenBack_AnotherHostTakesTheTakeOverAtItsNextRound()
    {
        await using var hosts = await StartTwoHostsAsync();
        var (a, b, backendA, backendB) = (hosts.A, hosts.B, hosts.BackendA, hosts.BackendB);
        var shot = await TakeRunnerTests.ShotWithImageAsync(a);
        var take = (await a.Runner.GenerateAsync(shot, 1, Ct)).Single();

        // A is shut down (a deploy): the host stops its services, then disposes them.
        await a.Runner.StopAsync(Ct);
        await a.Runner.DisposeAsync();
        var stopped = a.Time.GetUtcNow();
        var claimedAt = await AdvanceUntilAsync(() => Task.FromResult(b.Runner.RecordOf(take.Id) is not null), Lease, b);
        await AdvanceUntilAsync(() => Task.FromResult(backendB.Polls.Contains("a-1")), TimeSpan.FromMinutes(1), b);

        Assert.True(claimedAt - stopped <= Renewal, $"taken over {claimedAt - stopped} after the stop");
        Assert.Equal("B", (await JobRowAsync(a)).TrackedBy);
    }

    [Fact]
    public async Task TwoHostsAlive_ManyLeaseRounds_EachJobPolledOnlyByTheHostThatSentIt()
    {
        using var backendA = new RecordingBackend("a");
        using var backendB = new RecordingBackend("b");
        using var storage = new VideoStorage();
        await using var a = await StartAsync("A", backendA, storage);
        var shot = await TakeRunnerTests.ShotWithImageAsync(a);
        await a.Runner.GenerateAsync(shot, 1, Ct);
        // B starts after A's take exists, and makes one of its own.
        await using var b = await JoinAsync(a, "B", backendB, storage);
        await b.Runner.GenerateAsync(shot, 1, Ct);

        await AdvanceAsync(Lease * 2 + Renewal, a, b);

        Assert.NotEmpty(backendA.Polls);
        Assert.NotEmpty(backendB.Polls);
        Assert.All(backendA.Polls, id => Assert.Equal("a-1", id));
        Assert.All(backendB.Polls, id => Assert.Equal("b-1", id));
        await using var db = a.OpenDb();
        var owners = await db.TakeJobs.AsNoTracking().Select(j => j.TrackedBy).OrderBy(h => h).ToListAsync(Ct);
        Assert.Equal(["A", "B"], owners);
    }

    [Fact]
    public async Task RecordsFollowedElsewhere_TwoHostsEachWithATake_EachSeesOnlyTheOthersAsStored()
    {
        await using var hosts = await StartTwoHostsAsync();
        var (a, b) = (hosts.A, hosts.B);
        var shot = await TakeRunnerTests.ShotWithImageAsync(a);
        var takeOfA = (await a.Runner.GenerateAsync(shot, 1, Ct)).Single().Id;
        var takeOfB = (await b.Runner.GenerateAsync(shot, 1, Ct)).Single().Id;

        var seenByA = await a.Runner.RecordsFollowedElsewhereAsync([takeOfA, takeOfB], Ct);
        var seenByB = await b.Runner.RecordsFollowedElsewhereAsync([takeOfA, takeOfB], Ct);

        Assert.Equal([takeOfB], seenByA.Keys);
        Assert.Equal("b-1", seenByA[takeOfB].JobId);
        Assert.Equal([takeOfA], seenByB.Keys);
        Assert.Equal("a-1", seenByB[takeOfA].JobId);
        // Shown, not followed: B's tracker does not take A's record on.
        Assert.Null(b.Runner.RecordOf(takeOfA));
        Assert.Empty(await a.Runner.RecordsFollowedElsewhereAsync([], Ct));
    }

    [Fact]
    public async Task Claim_TwoHostsRaceForExpiredRecords_EachRecordWonByExactlyOne()
    {
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct);
        var now = workspace.Time.GetUtcNow().UtcDateTime;
        var ids = Enumerable.Range(1, 20).Select(i => $"record-{i}").ToList();
        await using (var db = workspace.OpenDb())
        {
            // A dead host's records, their lease run out a second ago.
            db.TakeJobs.AddRange(ids.Select(id => new TakeJobRecord { Id = id, Json = "{}", UpdatedAt = now, TrackedBy = "A", LeaseUntil = now.AddSeconds(-1) }));
            await db.SaveChangesAsync(Ct);
        }
        var hostB = StoreOf(workspace, "B");
        var hostC = StoreOf(workspace, "C");

        // Both found the same record before either claimed it.
        var foundB = await hostB.FindClaimableAsync(Ct);
        var foundC = await hostC.FindClaimableAsync(Ct);
        var first = await Task.WhenAll(hostB.TryClaimAsync(foundB[0], Ct), hostC.TryClaimAsync(foundC.Single(c => c.Id == foundB[0].Id), Ct));
        // The rest claimed by both at once.
        var rest = await Task.WhenAll(hostB.ClaimAsync(Ct), hostC.ClaimAsync(Ct));

        Dictionary<string, string?> owners;
        await using (var db = workspace.OpenDb()) owners = await db.TakeJobs.AsNoTracking().ToDictionaryAsync(j => j.Id, j => j.TrackedBy, Ct);
        Assert.Equal(20, foundB.Count);
        Assert.Single(first, won => won);
        Assert.Equal(first[0] ? "B" : "C", owners[foundB[0].Id]);
        Assert.Empty(rest[0].Intersect(rest[1]));
        Assert.Equal(ids.Where(id => id != foundB[0].Id).Order(), rest[0].Concat(rest[1]).Order());
        Assert.All(rest[0], id => Assert.Equal("B", owners[id]));
        Assert.All(rest[1], id => Assert.Equal("C", owners[id]));
    }

    [Fact]
    public async Task Claim_OwnerRenewedAfterTheRecordWasFound_NotClaimed()
    {
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct);
        var now = workspace.Time.GetUtcNow().UtcDateTime;
        await using (var db = workspace.OpenDb())
        {
            db.TakeJobs.Add(new TakeJobRecord { Id = "record-1", Json = "{}", UpdatedAt = now, TrackedBy = "A", LeaseUntil = now.AddSeconds(-1) });
            await db.SaveChangesAsync(Ct);
        }
        var found = Assert.Single(await StoreOf(workspace, "B").FindClaimableAsync(Ct));

        // A was only slow: it renews before B's claim lands.
        await StoreOf(workspace, "A").RenewAsync(Ct);
        var won = await StoreOf(workspace, "B").TryClaimAsync(found, Ct);

        await using var check = workspace.OpenDb();
        var row = await check.TakeJobs.AsNoTracking().SingleAsync(Ct);
        Assert.False(won);
        Assert.Equal(("A", (DateTime?)(now + Lease)), (row.TrackedBy, row.LeaseUntil));
    }

    [Fact]
    public async Task Renew_SucceededRecordWhoseTakeHasItsVideo_LeaseEndsOthersRenewed()
    {
        await using var workspace = await TestWorkspace.StartAsync(provider, Ct);
        var shot = await TakeRunnerTests.ShotWithImageAsync(workspace);
        byte[] mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0];
        var video = (await workspace.Assets.AddFileAsync(new MemoryStream(mp4), "v.mp4", Ct)).Asset;
        var now = workspace.Time.GetUtcNow().UtcDateTime;
        var captured = new Take { ShotId = shot, PromptSent = "p", Phase = "Succeeded", VideoAssetId = video.Id, CreatedAt = now };
        var running = new Take { ShotId = shot, PromptSent = "p", Phase = "Running", CreatedAt = now };
        await using (var db = workspace.OpenDb())
        {
            db.Takes.AddRange(captured, running);
            // Taken over from a host that died after capturing the first take's video, before letting it go.
            db.TakeJobs.Add(new TakeJobRecord { Id = "captured", TakeId = captured.Id, Json = "{}", UpdatedAt = now, TrackedBy = "B", LeaseUntil = now.AddSeconds(10) });
            db.TakeJobs.Add(new TakeJobRecord { Id = "running", TakeId = running.Id, Json = "{}", UpdatedAt = now, TrackedBy = "B", LeaseUntil = now.AddSeconds(10) });
            await db.SaveChangesAsync(Ct);
        }

        await StoreOf(workspace, "B").RenewAsync(Ct);

        await using var check = workspace.OpenDb();
        var leases = await check.TakeJobs.AsNoTracking().ToDictionaryAsync(j => j.Id, j => j.LeaseUntil, Ct);
        Assert.Null(leases["captured"]);
        Assert.Equal(now + Lease, leases["running"]);
    }

    [Fact]
    public async Task HostRestarts_ItsTakeStillInLease_ResumedAtOnceByItAndNotByTheOtherHost()
    {
        using var backendA2 = new RecordingBackend("a");
        await using var hosts = await StartTwoHostsAsync();
        var (a, b, backendA, backendB) = (hosts.A, hosts.B, hosts.BackendA, hosts.BackendB);
        var shot = await TakeRunnerTests.ShotWithImageAsync(a);
        var take = (await a.Runner.GenerateAsync(shot, 1, Ct)).Single();

        // A stops without a word and comes back a minute later under the same name.
        await a.Runner.DisposeAsync();
        await AdvanceAsync(TimeSpan.FromMinutes(1), b);
        await using var restarted = await JoinAsync(a, "A", backendA2, hosts.Storage);
        var resumed = restarted.Runner.RecordOf(take.Id);
        await AdvanceAsync(Lease, restarted, b);

        var job = await JobRowAsync(a);
        Assert.Equal("a-1", resumed?.JobId);
        Assert.Contains("a-1", backendA2.Polls);
        Assert.Empty(backendB.Polls);
        Assert.Null(b.Runner.RecordOf(take.Id));
        Assert.Equal("A", job.TrackedBy);
        Assert.True(job.LeaseUntil > a.Time.GetUtcNow().UtcDateTime, "the restarted host renews its lease");
    }

    [Fact]
    public async Task Start_RecordsWrittenBeforeHostsTookLeases_ClaimedAndLoadedRunningOneLeasedFinishedOneNot()
    {
        using var backend = new RecordingBackend();
        using var storage = new VideoStorage();
        await using var workspace = await StartAsync("A", backend, storage);
        var now = workspace.Time.GetUtcNow();
        var (runningTake, failedTake) = (Guid.NewGuid(), Guid.NewGuid());
        JobRecord Record(string id, JobPhase phase, Guid take) => new()
        {
            Id = id, JobId = $"job-{id}", JobType = I2VParams.JobTypeName, Params = JsonDocument.Parse("{}").RootElement.Clone(),
            Inputs = new JobInputs { Prompt = "x", Context = new JobContext(null, null, take.ToString()) },
            Status = new JobStatus(null, null, phase), CreatedAt = now, LastChangeAt = now, Deadline = now.AddHours(1), TrackedSince = now,
        };
        await using (var db = workspace.OpenDb())
        {
            // What an upgraded workspace holds: no host, no lease.
            foreach (var record in new[] { Record("running", JobPhase.Running, runningTake), Record("failed", JobPhase.Failed, failedTake) })
            {
                db.TakeJobs.Add(new TakeJobRecord { Id = record.Id, Json = JsonSerializer.Serialize(record, TakeJobStore.Options), UpdatedAt = now.UtcDateTime });
            }
            await db.SaveChangesAsync(Ct);
        }

        await using var restarted = ActivatorUtilities.CreateInstance<TakeRunner>(workspace.Services);
        await restarted.StartAsync(Ct);
        var loaded = (restarted.RecordOf(runningTake)?.Id, restarted.RecordOf(failedTake)?.Id);
        await AdvanceUntilAsync(() => Task.FromResult(backend.Polls.Contains("job-running")), TimeSpan.FromMinutes(1), workspace);

        Dictionary<string, (string? TrackedBy, bool Leased)> rows;
        await using (var db = workspace.OpenDb())
        {
            rows = await db.TakeJobs.AsNoTracking().ToDictionaryAsync(j => j.Id, j => (j.TrackedBy, j.LeaseUntil != null), Ct);
        }
        Assert.Equal(("A", true), rows["running"]);
        Assert.Equal(("A", false), rows["failed"]);
        Assert.Equal(("running", "failed"), loaded);
        Assert.DoesNotContain("job-failed", backend.Polls);
    }

    /// <summary>Hosts A and B on one workspace and one video storage, each with its own backend (job ids a-… and b-…).</summary>
    private async Task<TwoHosts> StartTwoHostsAsync()
    {
        var hosts = new TwoHosts();
        try
        {
            hosts.A = await StartAsync("A", hosts.BackendA, hosts.Storage);
            hosts.B = await JoinAsync(hosts.A, "B", hosts.BackendB, hosts.Storage);
            return hosts;
        }
        catch
        {
            await hosts.DisposeAsync();
            throw;
        }
    }

    private async Task<TestWorkspace> StartAsync(string hostId, RecordingBackend backend, VideoStorage storage)
    {
        var host = await TestWorkspace.StartAsync(provider, Ct, services => AsHost(services, hostId, backend, storage));
        started[host] = host.Time.GetUtcNow();
        return host;
    }

    private async Task<TestWorkspace> JoinAsync(TestWorkspace first, string hostId, RecordingBackend backend, VideoStorage storage)
    {
        var host = await first.StartHostAsync(Ct, services => AsHost(services, hostId, backend, storage));
        started[host] = host.Time.GetUtcNow();
        return host;
    }

    private static void AsHost(IServiceCollection services, string hostId, RecordingBackend backend, VideoStorage storage)
    {
        backend.Install(services, BackendProfile.VideoGen);
        services.AddHttpClient(TakeRunner.CaptureClient).ConfigurePrimaryHttpMessageHandler(() => storage);
        services.Configure<WorkspaceOptions>(o => o.HostId = hostId);
    }

    private static TakeJobStore StoreOf(TestWorkspace workspace, string hostId) =>
        new(workspace.Services.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>(), workspace.Time, new WorkspaceOptions { HostId = hostId });

    /// <summary>Moves the shared clock on by <paramref name="span"/>, a few seconds at a time, waiting after each step for
    /// every live host's lease rounds that fell due.</summary>
    private async Task AdvanceAsync(TimeSpan span, params TestWorkspace[] live)
    {
        var until = live[0].Time.GetUtcNow() + span;
        await AdvanceUntilAsync(() => Task.FromResult(live[0].Time.GetUtcNow() >= until), span, live);
    }

    /// <summary>Moves the clock on step by step until <paramref name="done"/>; returns the clock's time then. Fails when
    /// <paramref name="limit"/> passes on the clock first and what fell due by then has not done it within 15 s of real
    /// time (a loaded machine runs a due poll later in real time, never earlier on the clock).</summary>
    private async Task<DateTimeOffset> AdvanceUntilAsync(Func<Task<bool>> done, TimeSpan limit, params TestWorkspace[] live)
    {
        var time = live[0].Time;
        var end = time.GetUtcNow() + limit;
        while (!await done())
        {
            if (time.GetUtcNow() >= end)
            {
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (!await done())
                {
                    Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"not done within {limit} on the clock");
                    await Task.Delay(20, Ct);
                }
                break;
            }
            time.Advance(Step);
            foreach (var host in live)
            {
                var due = (int)((time.GetUtcNow() - started[host]) / Renewal);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                deadline.CancelAfter(TimeSpan.FromSeconds(30));
                while (host.Runner.Store.Scans < due) await Task.Delay(5, deadline.Token);
            }
            // Polls and captures run on their own after the clock moved: a moment for them before the next look.
            await Task.Delay(10, Ct);
        }
        return time.GetUtcNow();
    }

    private static async Task<Guid> SingleTakeAsync(TestWorkspace workspace, Guid shot) =>
        Assert.Single((await workspace.Takes.GetShotAsync(shot, Ct)).Takes).Id;

    private static async Task<Take> TakeRowAsync(TestWorkspace workspace, Guid take)
    {
        await using var db = workspace.OpenDb();
        return await db.Takes.AsNoTracking().SingleAsync(t => t.Id == take, Ct);
    }

    private static async Task<TakeJobRecord> JobRowAsync(TestWorkspace workspace)
    {
        await using var db = workspace.OpenDb();
        return await db.TakeJobs.AsNoTracking().SingleAsync(Ct);
    }

    private static async Task<Guid> ProjectOfAsync(TestWorkspace workspace, Guid shot)
    {
        await using var db = workspace.OpenDb();
        return await (from s in db.Shots
                      join sc in db.Scenes on s.SceneId equals sc.Id
                      join c in db.Chapters on sc.ChapterId equals c.Id
                      where s.Id == shot
                      select c.ProjectId).SingleAsync(Ct);
    }

    /// <summary>The storage behind the output links: every download answers a small MP4.</summary>
    private sealed class VideoStorage : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            byte[] mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0];
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(mp4) });
        }
    }

    private sealed class TwoHosts : IAsyncDisposable
    {
        public RecordingBackend BackendA { get; } = new("a");

        public RecordingBackend BackendB { get; } = new("b");

        public VideoStorage Storage { get; } = new();

        public TestWorkspace A { get; set; } = null!;

        public TestWorkspace B { get; set; } = null!;

        // In the order the tests' own `using`s disposed them: the hosts first, then what they used.
        public async ValueTask DisposeAsync()
        {
            if (B is not null) await B.DisposeAsync();
            if (A is not null) await A.DisposeAsync();
            Storage.Dispose();
            BackendB.Dispose();
            BackendA.Dispose();
        }
    }
}
