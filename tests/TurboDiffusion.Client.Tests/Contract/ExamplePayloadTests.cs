using System.Text.Json;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Tests.Http;

namespace TurboDiffusion.Client.Tests.Contract;

/// <summary>Every payload in the contract's examples folder parses to the right model.</summary>
public sealed class ExamplePayloadTests
{
    private static T Parse<T>(string example) =>
        JsonSerializer.Deserialize<T>(Responses.Example(example), TurboDiffusionJson.SerializerOptions)
        ?? throw new InvalidOperationException("null payload");

    [Fact]
    public void ExamplesFolder_EveryFile_IsCoveredByATest()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Examples"), "*.json")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(
        [
            "create-200-db-down.json", "create-200.json", "create-422-int.json", "create-422-missing.json",
            "create-500-broker.json", "health.json", "job-db-down.json", "job-expired-result.json", "job-failure.json",
            "job-pending-queued.json", "job-pending-unknown.json", "job-started-running.json", "job-success.json",
            "models.json", "paths.json", "videogen-capabilities.json", "videogen-create-422-bounds.json",
            "videogen-create-422-empty-prompt.json", "videogen-create-503-llm.json", "videogen-job-failure.json",
            "videogen-job-pending.json", "videogen-job-started.json", "videogen-job-success.json", "videogen-models-unavailable.json",
        ], files);
    }

    [Fact]
    public void VideoGenCapabilities_Parses_EveryCapabilityWithItsStatus()
    {
        var response = Parse<CapabilitiesResponse>("videogen-capabilities.json");

        Assert.Equal(["imagegen", "llm", "tts", "videogen"], response.Capabilities.Keys.Order(StringComparer.Ordinal));
        Assert.True(response.IsAvailable("llm"));
        Assert.False(response.IsAvailable("imagegen"));
        Assert.Equal("no remote imagegen provider configured", response.Capabilities["imagegen"].Detail);
        Assert.Null(response.Capabilities["tts"].Detail);
    }

    [Fact]
    public void VideoGenModelsUnavailable_Parses_ErrorAndNoModels()
    {
        var response = Parse<ModelsResponse>("videogen-models-unavailable.json");

        Assert.Equal("videogen not installed (No module named 'turbodiffusion')", response.Error);
        Assert.Empty(response.Available);
    }

    [Fact]
    public void VideoGenStarted_Parses_SevenKeysWithNulls()
    {
        var response = Parse<JobStatusResponse>("videogen-job-started.json");

        Assert.Equal("STARTED", response.Status);
        Assert.Equal(5.0, response.DurationSeconds);
        Assert.Equal("local", response.ProviderType);
        Assert.Null(response.VideoUrl);
        Assert.Null(response.Error);
        Assert.Null(response.Db);
    }

    [Fact]
    public void Create200_Parses_JobIdAndStorageAndPersisted()
    {
        var response = Parse<CreateJobResponse>("create-200.json");

        Assert.Equal("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", response.JobId);
        Assert.Equal("submitted", response.Status);
        Assert.Equal("turbo-super-novel", response.Input?.Bucket);
        Assert.Equal("turbodiffusion/inputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.png", response.Input?.Key);
        Assert.Equal("turbodiffusion/outputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.mp4", response.Output?.Key);
        Assert.True(response.Db?.Persisted);
        Assert.Null(response.Db?.Error);
    }

    [Fact]
    public void Create200DbDown_Parses_NotPersistedWithError()
    {
        var response = Parse<CreateJobResponse>("create-200-db-down.json");

        Assert.Equal("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", response.JobId);
        Assert.False(response.Db?.Persisted);
        Assert.StartsWith("(psycopg.OperationalError) connection failed", response.Db?.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void JobPendingQueued_Parses_PendingWithSubmittedRow()
    {
        var response = Parse<JobStatusResponse>("job-pending-queued.json");

        Assert.Equal(CeleryStates.Pending, response.Status);
        Assert.Equal(DbStates.Submitted, response.Db?.Status);
        Assert.Equal(new DateTimeOffset(2025, 12, 21, 14, 2, 11, 804, TimeSpan.Zero).AddTicks(5120), response.Db?.CreatedAt);
        Assert.Null(response.DbError);
        Assert.Null(response.OutputUrl);
        Assert.Null(response.Result);
    }

    [Fact]
    public void JobPendingUnknown_Parses_PendingWithoutRow()
    {
        var response = Parse<JobStatusResponse>("job-pending-unknown.json");

        Assert.Equal("0b6f5a52-1d7e-4f0c-8f3e-5c9a7d2e1b44", response.JobId);
        Assert.Equal(CeleryStates.Pending, response.Status);
        Assert.Null(response.Db);
        Assert.Null(response.DbError);
    }

    [Fact]
    public void JobStartedRunning_Parses_StartedWithRunningRow()
    {
        var response = Parse<JobStatusResponse>("job-started-running.json");

        Assert.Equal(CeleryStates.Started, response.Status);
        Assert.Equal(DbStates.Running, response.Db?.Status);
        Assert.Equal(new DateTimeOffset(2025, 12, 21, 14, 5, 40, 120, TimeSpan.Zero).AddTicks(8770), response.Db?.UpdatedAt);
    }

    [Fact]
    public void JobSuccess_Parses_ResultAndOutputUrl()
    {
        var response = Parse<JobStatusResponse>("job-success.json");

        Assert.Equal(CeleryStates.Success, response.Status);
        Assert.Equal(DbStates.Succeeded, response.Db?.Status);
        Assert.StartsWith("http://127.0.0.1:9000/turbo-super-novel/turbodiffusion/outputs/", response.OutputUrl, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=3600", response.OutputUrl, StringComparison.Ordinal);
        var result = response.Result?.Deserialize<JobResultPayload>(TurboDiffusionJson.SerializerOptions);
        Assert.Equal("turbo-super-novel", result?.OutputBucket);
        Assert.Equal("turbodiffusion/outputs/3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13.mp4", result?.OutputKey);
    }

    [Fact]
    public void JobFailure_Parses_MultiLineErrorOnJobAndRow()
    {
        var response = Parse<JobStatusResponse>("job-failure.json");

        Assert.Equal(CeleryStates.Failure, response.Status);
        Assert.Equal(DbStates.Failed, response.Db?.Status);
        Assert.StartsWith("CUDA out of memory. Tried to allocate 2.81 GiB.", response.Error, StringComparison.Ordinal);
        Assert.Contains('\n', response.Error!);
        Assert.Equal(response.Error, response.Db?.Error);
    }

    [Fact]
    public void JobDbDown_Parses_StartedWithDbErrorAndNoRow()
    {
        var response = Parse<JobStatusResponse>("job-db-down.json");

        Assert.Equal(CeleryStates.Started, response.Status);
        Assert.Null(response.Db);
        Assert.StartsWith("(psycopg.OperationalError)", response.DbError, StringComparison.Ordinal);
    }

    [Fact]
    public void JobExpiredResult_Parses_PendingWithSucceededRow()
    {
        var response = Parse<JobStatusResponse>("job-expired-result.json");

        Assert.Equal(CeleryStates.Pending, response.Status);
        Assert.Equal(DbStates.Succeeded, response.Db?.Status);
        Assert.Null(response.OutputUrl);
    }

    [Fact]
    public void Models_Parses_FourFilesWithExistenceAndPaths()
    {
        var response = Parse<ModelsResponse>("models.json");

        Assert.Equal("/srv/tsn/models/turbodiffusion", response.ModelsRoot);
        var model = Assert.Single(response.Available);
        Assert.Equal("TurboWan2.2-I2V-A14B-720P", model.Model);
        Assert.True(model.Quantized);
        Assert.Equal(["Wan2.1_VAE.pth", "models_t5_umt5-xxl-enc-bf16.pth", "TurboWan2.2-I2V-A14B-high-720P-quant.pth", "TurboWan2.2-I2V-A14B-low-720P-quant.pth"],
            model.Files.Select(f => f.Name));
        Assert.Equal(["base", "base", "dit", "dit"], model.Files.Select(f => f.Group));
        Assert.Equal([true, true, true, false], model.Files.Select(f => f.Exists));
        Assert.Equal("/srv/tsn/models/turbodiffusion/checkpoints/Wan2.1_VAE.pth", model.Paths["vae_path"]);
        Assert.Equal(4, model.Paths.Count);
    }

    [Fact]
    public void Health_Parses_Ok()
    {
        Assert.Equal("ok", Parse<HealthResponse>("health.json").Status);
    }

    [Fact]
    public void Paths_Parses_ThreeFolders()
    {
        var response = Parse<PathsResponse>("paths.json");

        Assert.Equal("/srv/tsn/models", response.ModelsDir);
        Assert.Equal("/srv/tsn/data", response.DataDir);
        Assert.Equal("/srv/tsn/logs", response.LogsDir);
    }
}
