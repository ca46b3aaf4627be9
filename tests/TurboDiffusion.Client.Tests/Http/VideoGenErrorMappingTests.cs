using System.Net;
using Refit;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Tests.Http;

/// <summary>The VideoGen job POST's new failures land beside the fields they name.</summary>
public sealed class VideoGenErrorMappingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TurboDiffusionApiException> PostFails(HttpStatusCode status, string json)
    {
        using var api = TestApi.Create(FakeHandler.Always(() => Responses.Json(status, json)), o => o.Profile = BackendProfile.VideoGen);
        using var image = new MemoryStream([1, 2, 3]);
        return await Assert.ThrowsAsync<TurboDiffusionApiException>(() =>
            api.Api.CreateI2VJobAsync(new StreamPart(image, "a.png", "image/png"), " ", "0", "0", "true", "0", "true", Ct));
    }

    [Fact]
    public async Task Post_BoundsItems_MapToNumStepsAndDuration()
    {
        var error = await PostFails(HttpStatusCode.UnprocessableEntity, Responses.Example("videogen-create-422-bounds.json"));

        Assert.Equal(ApiFailureKind.Validation, error.Kind);
        Assert.Equal(
            [new FieldProblem("num_steps", "Input should be greater than or equal to 1"), new FieldProblem("duration_seconds", "Input should be greater than 0")],
            error.FieldProblems);
    }

    [Theory]
    [InlineData("string_too_short", "prompt", "String should have at least 1 character")]
    [InlineData("string_too_long", "prompt", "String should have at most 8000 characters")]
    [InlineData("less_than_equal", "num_steps", "Input should be less than or equal to 100")]
    public async Task Post_LengthAndUpperBoundItems_MapToTheirField(string type, string field, string msg)
    {
        var json = $$"""{"detail": [{"type": "{{type}}", "loc": ["body", "{{field}}"], "msg": "{{msg}}", "input": "x"}]}""";

        var error = await PostFails(HttpStatusCode.UnprocessableEntity, json);

        Assert.Equal([new FieldProblem(field, msg)], error.FieldProblems);
    }

    [Fact]
    public async Task Post_PlainStringEmptyPrompt_IsAPromptProblemAndTheMessage()
    {
        var error = await PostFails(HttpStatusCode.UnprocessableEntity, Responses.Example("videogen-create-422-empty-prompt.json"));

        Assert.Equal("prompt cannot be empty", error.Message);
        Assert.Equal([new FieldProblem("prompt", "prompt cannot be empty")], error.FieldProblems);
    }

    [Fact]
    public async Task Post_LlmUnavailable503_IsAnEnhancePromptProblem()
    {
        var error = await PostFails(HttpStatusCode.ServiceUnavailable, Responses.Example("videogen-create-503-llm.json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("LLM prompt enhancement unavailable: connection refused", error.Message);
        Assert.Equal([new FieldProblem("enhance_prompt", "LLM prompt enhancement unavailable: connection refused")], error.FieldProblems);
    }

    [Fact]
    public async Task Post_Other503_HasNoFieldProblem()
    {
        var error = await PostFails(HttpStatusCode.ServiceUnavailable, """{"detail": "Service Unavailable"}""");

        Assert.Empty(error.FieldProblems);
    }

    [Theory]
    [InlineData("prompt cannot be empty", "prompt")]
    [InlineData("duration_seconds is too small: at least 0.5 s is needed (got 0.1).", "duration_seconds")]
    [InlineData("prompts are great", null)]
    [InlineData("Failed to submit Celery task: x", null)]
    public void FieldNamedBy_TextDetail_NamesTheLeadingField(string text, string? field)
    {
        Assert.Equal(field, ApiErrorMapper.FieldNamedBy(text));
    }
}
