using System.Globalization;
using I2VStudio.Components.Resources;
using I2VStudio.Components.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.Services;

public sealed class StudioFormatTests : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(348_160, "340 KB")]
    [InlineData(20 * 1024 * 1024, "20 MB")]
    [InlineData(1_572_864, "1.5 MB")]
    public void FileSize_Bytes_ReadableUnit(long bytes, string expected)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        Assert.Equal(expected, StudioFormat.FileSize(bytes));
    }

    [Theory]
    [InlineData("en-US", "Choose an image. Enter a prompt.")]
    [InlineData("zh-CN", "请选择图片。请输入提示词。")]
    public void JoinSentences_ByLanguage_SpaceOnlyWhereTheLanguageUsesOne(string culture, string expected)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        string[] sentences = culture == "zh-CN" ? ["请选择图片。", "请输入提示词。"] : ["Choose an image.", "Enter a prompt."];

        Assert.Equal(expected, StudioFormat.JoinSentences(sentences));
    }

    [Theory]
    [InlineData(45, "en-US", "45 s")]
    [InlineData(125, "en-US", "2 min 05 s")]
    [InlineData(3_780, "en-US", "1 h 03 min")]
    [InlineData(125, "zh-CN", "2 分 05 秒")]
    public void Duration_InWordsOfTheLanguage(int seconds, string culture, string expected)
    {
        using var provider = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);

        Assert.Equal(expected, StudioFormat.Duration(TimeSpan.FromSeconds(seconds), provider.GetRequiredService<IStringLocalizer<StudioStrings>>()));
    }

    [Fact]
    public void DownloadFileName_I2VJob_DateSeedAndSteps()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded, seed: 42, steps: 4);

        Assert.Equal("i2v_2026-11-28_1432_seed42_4steps.mp4", StudioJobActions.DownloadFileName(job, TimeZoneInfo.Utc));
    }

    [Fact]
    public void DownloadFileName_LocalTimeZone_UsedForTheStamp()
    {
        var job = TestJobs.Make("j1", JobPhase.Succeeded, seed: 7, steps: 2);
        var shanghai = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");

        Assert.Equal("i2v_2026-11-28_2232_seed7_2steps.mp4", StudioJobActions.DownloadFileName(job, shanghai));
    }

    [Fact]
    public void Elapsed_SubmissionFailed_ClockStopsAtTheFailure()
    {
        var created = TestJobs.Epoch;
        var failed = TestJobs.Make("s", JobPhase.SubmitFailed) with
        {
            Timeline = [new JobStatusChange(created, null, null, JobPhase.Submitting), new JobStatusChange(created.AddSeconds(4), null, null, JobPhase.SubmitFailed)],
        };

        // Looked at an hour later: it failed after 4 s and has not been running since.
        Assert.Equal(TimeSpan.FromSeconds(4), JobTimings.Elapsed(failed, created.AddHours(1)));
    }

    [Fact]
    public void Elapsed_StillRunning_CountsToNow()
    {
        var running = TestJobs.Make("r", JobPhase.Running);

        Assert.Equal(TimeSpan.FromMinutes(7), JobTimings.Elapsed(running, TestJobs.Epoch.AddMinutes(7)));
    }

    [Fact]
    public void ExpectedRunDuration_EvenSamples_MedianOfTheMiddleTwo()
    {
        var running = TestJobs.Make("run", JobPhase.Running, 10);
        JobRecord[] history =
        [
            TestJobs.Finished("a", 1, TimeSpan.FromSeconds(60)), TestJobs.Finished("b", 2, TimeSpan.FromSeconds(80)),
            TestJobs.Finished("c", 3, TimeSpan.FromSeconds(100)), TestJobs.Finished("d", 4, TimeSpan.FromSeconds(400)),
        ];

        Assert.Equal(TimeSpan.FromSeconds(90), JobTimings.ExpectedRunDuration(running, history, 3));
    }

    [Fact]
    public void ExpectedRunDuration_LaterJobsIgnored()
    {
        var running = TestJobs.Make("run", JobPhase.Running, 0);
        JobRecord[] later = [TestJobs.Finished("a", 1, TimeSpan.FromSeconds(60)), TestJobs.Finished("b", 2, TimeSpan.FromSeconds(80)),
            TestJobs.Finished("c", 3, TimeSpan.FromSeconds(100))];

        Assert.Null(JobTimings.ExpectedRunDuration(running, later, 3));
    }

    [Theory]
    [InlineData("CUDA out of memory. Tried to allocate 2.81 GiB.", true)]
    [InlineData("torch.OutOfMemoryError: CUDA error", true)]
    [InlineData("ValueError: image has 4 channels", false)]
    public void IsOutOfMemory_RecognisesGpuMemoryErrors(string error, bool expected)
    {
        Assert.Equal(expected, I2VStudio.Components.ResultPanel.IsOutOfMemory(error));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.0, 0)]
    [InlineData(0.404, 40)]
    [InlineData(1.0, 100)]
    [InlineData(37.0, 37)]
    [InlineData(250.0, 100)]
    [InlineData(-0.5, null)]
    [InlineData(double.NaN, null)]
    public void ProgressPercent_FractionOrPercentage_WholePercent(double? progress, int? expected) =>
        Assert.Equal(expected, StudioFormat.ProgressPercent(progress));

    [Theory]
    [InlineData("duration_seconds", "en-US", "Duration (seconds)")]
    [InlineData("enhance_prompt", "zh-CN", "用 AI 优化提示词")]
    public void FieldLabel_VideoGenFields_GlossaryWordsNotTheWireName(string field, string culture, string expected)
    {
        using var provider = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);

        Assert.Equal(expected, StudioFormat.FieldLabel(field, provider.GetRequiredService<IStringLocalizer<StudioStrings>>()));
    }

    [Theory]
    [InlineData("en-US", "a.gif: Only JPEG and PNG")]
    [InlineData("zh-CN", "a.gif：仅支持")]
    public void LabelValue_ByLanguage_FullWidthColonInChinese(string culture, string expected)
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        var text = culture == "zh-CN" ? "仅支持" : "Only JPEG and PNG";

        Assert.Equal(expected, StudioFormat.LabelValue("a.gif", text));
    }
}
