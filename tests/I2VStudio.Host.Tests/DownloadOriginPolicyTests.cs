extern alias host;

using host::I2VStudio.Host.Hosting;
using Microsoft.Extensions.Options;

namespace I2VStudio.Host.Tests;

public class DownloadOriginPolicyTests
{
    private static readonly Uri Backend = new("http://gpu-box:8000/");

    private static DownloadOriginPolicy RealBackend(params string[] allowed)
    {
        var options = new DownloadOptions();
        foreach (var origin in allowed) options.AllowedDownloadOrigins.Add(origin);
        return new DownloadOriginPolicy(new BackendInfo(Backend, IsEmulator: false, StorageBaseUri: null), Options.Create(options));
    }

    private static DownloadOriginPolicy Emulator() =>
        new(new BackendInfo(new Uri("http://127.0.0.1:7001/"), IsEmulator: true, new Uri("http://127.0.0.1:7002/")), Options.Create(new DownloadOptions()));

    [Theory]
    [InlineData("http://gpu-box:8000/outputs/x.mp4")]
    // A presigned MinIO link on another port and another host: the live answer's own origin.
    [InlineData("http://gpu-box:9000/turbo-super-novel/turbodiffusion/outputs/x.mp4?X-Amz-Signature=abc")]
    [InlineData("https://minio.internal/turbo-super-novel/x.mp4?X-Amz-Expires=3600")]
    public void CheckLiveAnswer_RealBackendNoList_LiveAnswersOriginAllowed(string url)
    {
        Assert.Equal(new Uri(url), RealBackend().CheckLiveAnswer(url));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://gpu-box/x.mp4")]
    [InlineData("gopher://127.0.0.1:6379/_FLUSHALL")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/outputs/x.mp4")]
    [InlineData("gpu-box:8000/outputs/x.mp4")]
    [InlineData("")]
    public void CheckLiveAnswer_NotAnAbsoluteHttpUrl_Refused(string url)
    {
        Assert.Null(RealBackend().CheckLiveAnswer(url));
    }

    [Theory]
    [InlineData("http://user:secret@gpu-box:8000/outputs/x.mp4")]
    [InlineData("http://gpu-box:8000@169.254.169.254/latest/meta-data/")]
    public void CheckLiveAnswer_CredentialsInUrl_Refused(string url)
    {
        Assert.Null(RealBackend().CheckLiveAnswer(url));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://127.0.0.1:7003/x.mp4")]
    [InlineData("http://127.0.0.1/x.mp4")]
    public void CheckLiveAnswer_EmulatorForeignOrigin_Refused(string url)
    {
        Assert.Null(Emulator().CheckLiveAnswer(url));
    }

    [Fact]
    public void CheckLiveAnswer_EmulatorStorageOrigin_Allowed()
    {
        Assert.NotNull(Emulator().CheckLiveAnswer("http://127.0.0.1:7002/turbo-super-novel/x.mp4?sig=1"));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://gpu-box:9000/x.mp4")]
    public void CheckLiveAnswer_ConfiguredOrigins_AnythingElseRefused(string url)
    {
        Assert.Null(RealBackend("https://minio.example.com").CheckLiveAnswer(url));
    }

    [Theory]
    [InlineData("https://minio.example.com/bucket/x.mp4?sig=1")]
    [InlineData("http://gpu-box:8000/outputs/x.mp4")]
    public void CheckLiveAnswer_ConfiguredOrigins_ListedAndBackendAllowed(string url)
    {
        Assert.NotNull(RealBackend("https://minio.example.com").CheckLiveAnswer(url));
    }
}
