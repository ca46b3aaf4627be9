using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>The API accepts any bytes; a file that is no image fails its job with the decoder's words, never hangs.</summary>
public class BadUploadTests
{
    public static TheoryData<string, byte[]> BadImages => new()
    {
        { "text named .png", TestImages.Text() },
        { "zero bytes", [] },
        { "truncated PNG", TestImages.TruncatedPng() },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task Job_UndecodableUpload_EndsInFailureWithDecoderMessage(string description, byte[] image)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(image: image, fileName: "upload.png");
        var jobId = await emulator.SubmitAsync(form);

        var finish = await emulator.WaitForFinishAsync(jobId);
        var job = await emulator.GetJobAsync(jobId);

        Assert.Equal(CeleryState.Failure, finish.Status);
        var error = job.GetProperty("error").GetString()!;
        Assert.StartsWith($"Could not decode the input image 'turbodiffusion/inputs/{jobId}.png': ", error, StringComparison.Ordinal);
        Assert.True(error.Length > 70, $"{description}: the decoder's reason is missing from '{error}'");
        Assert.DoesNotContain(emulator.DataDirectory, error, StringComparison.Ordinal);
        Assert.Equal("FAILED", job.GetProperty("db").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Job_WithoutFfmpeg_FailsSayingHowToInstallIt()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.FFmpegPath = "/nonexistent/ffmpeg");
        var jobId = await emulator.SubmitAsync();

        await emulator.WaitForFinishAsync(jobId);
        var job = await emulator.GetJobAsync(jobId);

        Assert.Contains("apt-get install -y ffmpeg", job.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_WithoutFfmpeg_ShowsTheEngineUnavailable()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.FFmpegPath = "/nonexistent/ffmpeg");

        var models = System.Text.Json.JsonDocument.Parse(await emulator.Http.GetStringAsync(Routes.Models, TestContext.Current.CancellationToken)).RootElement;

        Assert.False(models.GetProperty("engine").GetProperty("available").GetBoolean());
        Assert.Contains("apt-get install -y ffmpeg", models.GetProperty("engine").GetProperty("problem").GetString(), StringComparison.Ordinal);
    }
}
