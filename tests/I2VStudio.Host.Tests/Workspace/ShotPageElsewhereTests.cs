extern alias host;

using System.Text.Json;
using System.Text.Json.Serialization;
using Bunit;
using host::I2VStudio.Host.Components.Workspace;
using I2VStudio.Host.Tests.Support;
using I2VStudio.Workspace.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Host.Tests.Workspace;

/// <summary>The take board with a take another host follows (several hosts on one workspace database): this host's
/// runner never hears it move, so the board shows that host's stored record and re-reads it while it is under way.</summary>
public sealed class ShotPageElsewhereTests : WorkspacePageContext
{
    private const string OtherHost = "host-b";

    private static readonly JsonSerializerOptions RecordJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public ShotPageElsewhereTests() => Services.AddSingleton<TimeProvider>(_time);

    /// <summary>The record as the other host stores it: with its take's context.</summary>
    private static string StoredJson(JobRecord record, Take take) =>
        JsonSerializer.Serialize(record with { Inputs = record.Inputs with { Context = new JobContext(null, take.ShotId.ToString(), take.Id.ToString()) } }, RecordJson);

    /// <summary>A take of <paramref name="shotId"/> sent by <see cref="OtherHost"/>, which follows its job (lease held).</summary>
    private async Task<Take> TakeOfTheOtherHostAsync(Guid shotId, JobRecord record)
    {
        var take = new Take { ShotId = shotId, PromptSent = "远处的灯", Seed = 7, NumSteps = 4, JobId = record.JobId, Phase = nameof(JobPhase.Running), CreatedAt = _time.GetUtcNow().UtcDateTime };
        await using var db = OpenDb();
        db.Takes.Add(take);
        db.TakeJobs.Add(new TakeJobRecord
        {
            Id = record.Id, TakeId = take.Id, UpdatedAt = take.CreatedAt, TrackedBy = OtherHost, LeaseUntil = take.CreatedAt.AddHours(1),
            Json = StoredJson(record, take),
        });
        await db.SaveChangesAsync(Ct);
        return take;
    }

    /// <summary>What the other host writes when its job changes: the take's columns and its record.</summary>
    private async Task OtherHostWritesAsync(Take take, JobRecord record, string? error)
    {
        await StoreAsync<Take>(take.Id, t => (t.Phase, t.Error) = (record.Status.Phase.ToString(), error));
        await using var db = OpenDb();
        var row = await db.TakeJobs.FindAsync([record.Id], Ct) ?? throw new InvalidOperationException("No record.");
        row.Json = StoredJson(record, take);
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task Open_TakeAnotherHostFollows_ShowsItsRecordAndFollowsItUntilItFails()
    {
        var (projectId, shotId) = await ProjectWithOneShotAsync("Two hosts");
        Profiles.Answer(BackendProfile.Legacy);
        var now = _time.GetUtcNow();
        var running = new JobRecord
        {
            Id = "record-b", JobId = "job-on-host-b", JobType = I2VParams.JobTypeName, Params = JsonDocument.Parse("{}").RootElement,
            Inputs = new JobInputs { Prompt = "远处的灯" },
            Status = new JobStatus("STARTED", "running", JobPhase.Running),
            CreatedAt = now, LastChangeAt = now,
        };
        var take = await TakeOfTheOtherHostAsync(shotId, running);

        var cut = Render<ShotPage>(p => p.Add(c => c.ProjectId, projectId).Add(c => c.ShotId, shotId));

        cut.WaitForAssertion(() => Assert.Equal("job-on-host-b", cut.Find("[data-testid=take-item] [data-part=job-id]").TextContent.Trim()));
        Assert.Equal("Generating", cut.Find("[data-testid=take-phase]").TextContent.Trim());

        // The other host hears the backend's FAILURE and stores it; this board sees it on its next re-read.
        var failed = running with
        {
            Status = new JobStatus("FAILURE", "failed", JobPhase.Failed),
            Error = new JobError { Message = "CUDA out of memory", Source = JobErrorSource.Job },
            CompletedAt = now.AddSeconds(30),
        };
        await OtherHostWritesAsync(take, failed, "CUDA out of memory");
        Assert.Equal("Generating", cut.Find("[data-testid=take-phase]").TextContent.Trim());
        _time.Advance(ShotPage.ElsewhereRefresh);

        cut.WaitForAssertion(() => Assert.Equal("Failed", cut.Find("[data-testid=take-phase]").TextContent.Trim()));
        Assert.Equal("CUDA out of memory", cut.Find("[data-testid=take-item] [data-part=error-text]").TextContent.Trim());
    }
}
