using TurboDiffusion.Emulator.Tests.Support;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>The default engine's output, checked with ffprobe.</summary>
public class VideoTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Render_DefaultLength_Is81FramesH264Yuv420p16FpsAtInputAspect()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(image: TestImages.Png(640, 360));
        var jobId = await emulator.SubmitAsync(form);
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded, seconds: 60);

        var video = await DownloadAndProbeAsync(emulator, jobId);

        Assert.Equal(new VideoFacts("h264", "yuv420p", 1280, 720, "16/1", 81), video);
    }

    [Fact]
    public async Task Render_PortraitImage_KeepsAspectWithin1Percent()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(image: TestImages.Png(300, 533), durationSeconds: "0.5");
        var jobId = await emulator.SubmitAsync(form);
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);

        var video = await DownloadAndProbeAsync(emulator, jobId);

        Assert.InRange((double)video.Width / video.Height, 300.0 / 533 * 0.99, 300.0 / 533 * 1.01);
        Assert.InRange(video.Width * video.Height, 800_000, 1_000_000);
    }

    [Theory]
    [InlineData("2", 32)]
    [InlineData("0.5", 8)]
    [InlineData("1.03125", 16)]
    public async Task Render_DurationSeconds_GivesRoundedFrameCount(string duration, int frames)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var form = JobForms.Create(durationSeconds: duration);
        var jobId = await emulator.SubmitAsync(form);
        await emulator.WaitForDbStatusAsync(jobId, DbStatus.Succeeded);

        var video = await DownloadAndProbeAsync(emulator, jobId);

        Assert.Equal(frames, video.Frames);
    }

    [Fact]
    public async Task Render_DifferentSeeds_GiveDifferentVideos()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var first = JobForms.Create(durationSeconds: "0.5", fields: ("seed", "1"));
        using var second = JobForms.Create(durationSeconds: "0.5", fields: ("seed", "2"));
        var firstId = await emulator.SubmitAsync(first);
        var secondId = await emulator.SubmitAsync(second);
        await emulator.WaitForDbStatusAsync(firstId, DbStatus.Succeeded);
        await emulator.WaitForDbStatusAsync(secondId, DbStatus.Succeeded);

        var firstBytes = await DownloadAsync(emulator, firstId);
        var secondBytes = await DownloadAsync(emulator, secondId);

        Assert.NotEqual(firstBytes, secondBytes);
    }

    [Fact]
    public void CameraMove_SameSeed_SameMove() =>
        Assert.Equal(CameraMove.FromSeed(42), CameraMove.FromSeed(42));

    [Fact]
    public void CameraMove_ManySeeds_UseEveryKindOfMove() =>
        Assert.Equal(4, Enumerable.Range(0, 64).Select(seed => CameraMove.FromSeed(seed).Kind).Distinct().Count());

    [Theory]
    [InlineData(640, 360, 1280, 720)]
    [InlineData(360, 640, 720, 1280)]
    [InlineData(1000, 1000, 960, 960)]
    [InlineData(4000, 3000, 1108, 832)]
    public void OutputSize_AnyImage_Is720pClassWithEvenSides(int width, int height, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), FfmpegVideoEngine.OutputSize(width, height));

    private static async Task<VideoFacts> DownloadAndProbeAsync(TestEmulator emulator, string jobId)
    {
        var file = Path.Combine(emulator.DataDirectory, jobId + "-download.mp4");
        await File.WriteAllBytesAsync(file, await DownloadAsync(emulator, jobId), Cancel);
        return await Ffprobe.ProbeAsync(file, Cancel);
    }

    private static async Task<byte[]> DownloadAsync(TestEmulator emulator, string jobId)
    {
        var job = await emulator.GetJobAsync(jobId);
        using var storage = new HttpClient();
        return await storage.GetByteArrayAsync(new Uri(job.GetProperty("output_url").GetString()!), Cancel);
    }
}
