using System.Text.Json.Nodes;
using I2VStudio.Components.Storage;
using I2VStudio.Components.Tests.Support;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.Storage;

/// <summary>The VideoGen status fields on stored records: kept across a reload, absent on records written before them.</summary>
public sealed class JobRecordSerializerTests
{
    [Fact]
    public void RoundTrip_ProgressProviderAndDuration_Kept()
    {
        var record = TestJobs.Make("j1", JobPhase.Running) with { Progress = 0.25, ProviderType = "local", DurationSeconds = 7.5 };

        var read = new JobRecordSerializer().TryDeserialize(JobRecordSerializer.Serialize(record));

        Assert.NotNull(read);
        Assert.Equal((0.25, "local", 7.5), (read.Progress, read.ProviderType, read.DurationSeconds));
    }

    [Fact]
    public void Deserialize_RecordWrittenBeforeTheFields_ReadsWithoutThem()
    {
        var old = JsonNode.Parse(JobRecordSerializer.Serialize(TestJobs.Make("j1", JobPhase.Running)))!.AsObject();
        old.Remove("progress");
        old.Remove("providerType");
        old.Remove("durationSeconds");

        var read = new JobRecordSerializer().TryDeserialize(old.ToJsonString());

        Assert.NotNull(read);
        Assert.Equal("j1", read.Id);
        Assert.Equal(JobPhase.Running, read.Status.Phase);
        Assert.Equal(((double?)null, (string?)null, (double?)null), (read.Progress, read.ProviderType, read.DurationSeconds));
    }
}
