using System.Text.Json;
using TurboDiffusion.Client.Contract;

namespace TurboDiffusion.Client.Tests.Contract;

/// <summary>The backend may add fields, leave optional ones out and invent states: none of it breaks parsing.</summary>
public sealed class TolerantParsingTests
{
    private static T Parse<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, TurboDiffusionJson.SerializerOptions) ?? throw new InvalidOperationException("null payload");

    [Fact]
    public void JobStatus_ExtraFields_AreIgnored()
    {
        var response = Parse<JobStatusResponse>("""
            {"job_id": "j1", "status": "STARTED", "provider_type": "wan", "progress": {"step": 2, "of": 4},
             "db": {"status": "RUNNING", "worker": "gpu-0", "created_at": null}}
            """);

        Assert.Equal("STARTED", response.Status);
        Assert.Equal("RUNNING", response.Db?.Status);
    }

    [Fact]
    public void JobStatus_OnlyStatus_LeavesOptionalFieldsNull()
    {
        var response = Parse<JobStatusResponse>("""{"status": "PENDING"}""");

        Assert.Equal("PENDING", response.Status);
        Assert.Null(response.JobId);
        Assert.Null(response.Db);
        Assert.Null(response.DbError);
        Assert.Null(response.Result);
        Assert.Null(response.OutputUrl);
        Assert.Null(response.Error);
    }

    [Fact]
    public void JobStatus_UnknownCeleryAndDbStates_AreKeptAsSent()
    {
        var response = Parse<JobStatusResponse>("""{"status": "RECEIVED", "db": {"status": "THROTTLED"}}""");

        Assert.Equal("RECEIVED", response.Status);
        Assert.Equal("THROTTLED", response.Db?.Status);
    }

    [Fact]
    public void JobStatus_MissingStatus_ParsesAsNull()
    {
        var response = Parse<JobStatusResponse>("""{"job_id": "j1"}""");

        Assert.Null(response.Status);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"yesterday\"")]
    [InlineData("\"\"")]
    [InlineData("12345")]
    [InlineData("{\"at\": 1}")]
    public void DbRow_UnreadableTimestamp_BecomesNull(string value)
    {
        var response = Parse<JobStatusResponse>(
            """{"status": "PENDING", "db": {"status": "CREATED", "created_at": """ + value + """, "updated_at": "2025-12-21T14:02:11+00:00"} }""");

        Assert.Null(response.Db?.CreatedAt);
        Assert.Equal(new DateTimeOffset(2025, 12, 21, 14, 2, 11, TimeSpan.Zero), response.Db?.UpdatedAt);
    }

    [Fact]
    public void JobStatus_ResultOfAnotherShape_IsKeptRaw()
    {
        var response = Parse<JobStatusResponse>("""{"status": "SUCCESS", "result": "done"}""");

        Assert.Equal(JsonValueKind.String, response.Result?.ValueKind);
        Assert.Equal("\"done\"", response.Result?.GetRawText());
    }

    [Fact]
    public void Models_UnknownTopLevelFields_AreKeptAsExtra()
    {
        var response = Parse<ModelsResponse>("""{"models_root": "/m", "available": [], "engine": {"name": "ffmpeg-zoom"}}""");

        Assert.Empty(response.Available);
        Assert.NotNull(response.Extra);
        Assert.Equal("ffmpeg-zoom", response.Extra["engine"].GetProperty("name").GetString());
    }

    [Fact]
    public void Models_MissingCollections_AreEmpty()
    {
        var response = Parse<ModelsResponse>("""{"available": [{"model": "m"}]}""");

        var model = Assert.Single(response.Available);
        Assert.Empty(model.Files);
        Assert.Empty(model.Paths);
        Assert.Null(response.ModelsRoot);
    }

    [Fact]
    public void CreateResponse_MissingOptionalParts_ParsesWithJobIdOnly()
    {
        var response = Parse<CreateJobResponse>("""{"job_id": "abc"}""");

        Assert.Equal("abc", response.JobId);
        Assert.Null(response.Db);
        Assert.Null(response.Input);
    }
}
