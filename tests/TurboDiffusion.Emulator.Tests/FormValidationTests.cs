using System.Net;
using System.Text;
using System.Text.Json;
using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>The job POST accepts and refuses exactly what FastAPI + pydantic v2 would.</summary>
public class FormValidationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("on")]
    [InlineData("OFF")]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("t")]
    [InlineData("F")]
    [InlineData("y")]
    [InlineData("N")]
    public async Task CreateJob_FastApiBoolSpelling_Accepted(string quantized)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(fields: ("quantized", quantized));

        var (status, _) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task CreateJob_QuantizedNotABool_Returns422BoolParsing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(fields: ("quantized", "maybe"));

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        AssertSingleError(body, "bool_parsing", "quantized", "Input should be a valid boolean, unable to interpret input", "maybe");
    }

    [Fact]
    public async Task CreateJob_NumStepsNotAnInteger_Returns422IntParsingWithRawInput()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(fields: ("num_steps", "4.5"));

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        AssertSingleError(body, "int_parsing", "num_steps", "Input should be a valid integer, unable to parse string as an integer", "4.5");
    }

    [Fact]
    public async Task CreateJob_SeveralBadFields_ReportsAllAtOnceInFieldOrder()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(prompt: null, fields: [("seed", "x"), ("num_steps", "y"), ("quantized", "z")]);

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(
            ["missing:prompt", "int_parsing:seed", "int_parsing:num_steps", "bool_parsing:quantized"],
            body.GetProperty("detail").EnumerateArray().Select(e => e.GetProperty("type").GetString() + ":" + e.GetProperty("loc")[1].GetString()));
    }

    [Fact]
    public async Task CreateJob_EmptyPrompt_CountsAsMissing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(prompt: "");

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        AssertSingleError(body, "missing", "prompt", "Field required", null);
    }

    [Fact]
    public async Task CreateJob_EmptySeed_TakesTheDefault()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(fields: ("seed", ""));

        var (status, _) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task CreateJob_ImageSentAsText_Returns422ValueError()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(fileName: null, fields: ("image", "cat.png"));

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("value_error", body.GetProperty("detail")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task CreateJob_JsonBody_Returns422MissingPromptAndImage()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var json = new StringContent("{\"prompt\": \"a cat\"}", Encoding.UTF8, "application/json");

        using var response = await emulator.Http.PostAsync(Routes.Jobs, json, Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(JsonElement.DeepEquals(Examples.Load("create-422-missing"), await ReadJsonAsync(response)));
    }

    [Theory]
    [InlineData("photo.PNG", "turbodiffusion/inputs/{0}.PNG")]
    [InlineData("my.holiday.webp", "turbodiffusion/inputs/{0}.webp")]
    [InlineData("no-suffix", "turbodiffusion/inputs/{0}.jpg")]
    [InlineData(".hidden", "turbodiffusion/inputs/{0}.jpg")]
    public async Task CreateJob_FileName_GivesInputKeySuffix(string fileName, string keyFormat)
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.QueueDelay = TimeSpan.FromMinutes(10));
        using var form = JobForms.Create(fileName: fileName);

        var (_, body) = await PostAsync(emulator, form);

        var jobId = body.GetProperty("job_id").GetString();
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, keyFormat, jobId), body.GetProperty("input").GetProperty("key").GetString());
    }

    [Fact]
    public async Task CreateJob_AnyBytes_AcceptedLikeTheRealApi()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.QueueDelay = TimeSpan.FromMinutes(10));
        using var form = JobForms.Create(image: TestImages.Text(), fileName: "notes.png");

        var (status, _) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("0.01")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("nan")]
    [InlineData("31")]
    public async Task CreateJob_DurationOutOfRange_Returns422WithTextDetail(string duration)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(durationSeconds: duration);

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(JsonValueKind.String, body.GetProperty("detail").ValueKind);
    }

    [Fact]
    public async Task CreateJob_DurationNotANumber_Returns422FloatParsing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(durationSeconds: "five");

        var (status, body) = await PostAsync(emulator, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        AssertSingleError(body, "float_parsing", "duration_seconds", "Input should be a valid number, unable to parse string as a number", "five");
    }

    [Fact]
    public async Task CreateJob_NumStepsOutsideModelRange_AcceptedThenJobFails()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(fields: ("num_steps", "7"));
        var jobId = await emulator.SubmitAsync(form);

        var finish = await emulator.WaitForFinishAsync(jobId);

        Assert.Equal(CeleryState.Failure, finish.Status);
        Assert.Contains("num_steps", (await emulator.GetJobAsync(jobId)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateJob_BodyOverUploadLimit_Returns413Html()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.MaxUploadBytes = 10_000);
        using var form = JobForms.Create(image: new byte[50_000]);

        using var response = await emulator.Http.PostAsync(Routes.Jobs, form, Cancel);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    private static void AssertSingleError(JsonElement body, string type, string field, string message, string? input)
    {
        var error = Assert.Single(body.GetProperty("detail").EnumerateArray());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(["body", field], error.GetProperty("loc").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(message, error.GetProperty("msg").GetString());
        Assert.Equal(input, error.GetProperty("input").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(TestEmulator emulator, MultipartFormDataContent form)
    {
        using var response = await emulator.Http.PostAsync(Routes.Jobs, form, Cancel);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
}
