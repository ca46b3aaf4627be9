using Bunit;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components.Tests.Storage;

/// <summary>
/// WebAssembly: the job POST is the browser's own <c>fetch</c> of a <c>FormData</c> with the stored <c>Blob</c>
/// (blobs.js <c>postForm</c>), so the image never crosses into .NET; a cancellation aborts that request.
/// </summary>
public class BrowserFormPostTests : BunitContext
{
    private const string Created = """{"job_id":"3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13","status":"PENDING","db":{"persisted":true}}""";

    private readonly BunitJSModuleInterop _module;

    public BrowserFormPostTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule("./_content/I2VStudio.Components/js/blobs.js");
        _module.Setup<StoredBlobInfo?>("info", "img-1").SetResult(new StoredBlobInfo(20_000_000, "image/png", "cat.png"));
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private BrowserBlobStore BrowserStore() =>
        new(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions())) { ReadsWholeImage = true };

    private static ImageForm Form() => new([new("prompt", "A cat"), new("seed", "42")], 0, "image", "cat.png", "image/png");

    [Fact]
    public async Task JobPost_InTheBrowser_IsTheBrowsersFormPostWithTheClientsFieldsAndTheImageNeverRead()
    {
        var post = _module.Setup<BrowserFormAnswer?>("postForm", _ => true);
        var services = new ServiceCollection().AddTurboDiffusionClient(configure: o =>
        {
            o.BaseUrl = new Uri("http://studio.test/");
            o.Profile = BackendProfile.VideoGen;
        }).BuildServiceProvider();
        await using var _ = services;
        var jobType = Assert.Single(services.GetServices<IJobTypeDefinition>());
        var request = new JobRequest(I2VParams.JobTypeName,
            new JobInputs { Prompt = "A cat walks", ImageBlobKey = "img-1", ImageName = "cat.png", ImageContentType = "image/png" },
            new I2VParams { Seed = 42, NumSteps = 3, Quantized = true }.ToJson());

        await using var image = await BrowserStore().OpenReadAsync("img-1", Ct);
        var submitting = jobType.SubmitForReplyAsync(request, image, Ct);
        await WaitForAsync(() => _module.Invocations["postForm"].Count == 1);
        post.SetResult(new BrowserFormAnswer(200, "OK", Created, [["content-type", "application/json"]]));
        var reply = await submitting;

        Assert.Equal("3f1c2a9e-8b7d-4c6e-9a51-2d0e7f4b6c13", reply.JobId);
        var arguments = _module.Invocations["postForm"].Single().Arguments;
        Assert.Equal("img-1", arguments[1]);
        Assert.Equal("http://studio.test/v1/videogen/wan22-i2v/jobs", arguments[2]);
        Assert.Equal([["prompt", "A cat walks"], ["seed", "42"], ["num_steps", "3"], ["quantized", "true"]], (string[][])arguments[3]!);
        Assert.Equal([0, "image", "cat.png", "image/png"], arguments.Skip(4));
        Assert.Empty(_module.Invocations["readAll"]);
    }

    [Fact]
    public async Task PostFormAsync_Cancelled_AbortsTheBrowsersRequest()
    {
        var post = _module.Setup<BrowserFormAnswer?>("postForm", _ => true);
        _module.SetupVoid("abortPost", _ => true).SetVoidResult();
        var poster = (IImageFormPoster)(await BrowserStore().OpenReadAsync("img-1", Ct))!;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var posting = poster.PostFormAsync(new Uri("http://studio.test/v1/turbodiffusion/wan22-i2v/jobs"), Form(), cancel.Token);
        await WaitForAsync(() => _module.Invocations["postForm"].Count == 1);
        Assert.Empty(_module.Invocations["abortPost"]);
        await cancel.CancelAsync();
        await WaitForAsync(() => _module.Invocations["abortPost"].Count == 1);
        // As fetch does once its AbortController fires.
        post.SetException(new JSException("AbortError: signal is aborted without reason"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => posting);
        Assert.Equal(_module.Invocations["postForm"].Single().Arguments[0], _module.Invocations["abortPost"].Single().Arguments[0]);
    }

    [Fact]
    public async Task PostFormAsync_FetchRejected_ThrowsHttpRequestExceptionAsTheBrowsersHttpClientDoes()
    {
        _module.Setup<BrowserFormAnswer?>("postForm", _ => true).SetException(new JSException("TypeError: Failed to fetch"));
        var poster = (IImageFormPoster)(await BrowserStore().OpenReadAsync("img-1", Ct))!;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            poster.PostFormAsync(new Uri("http://studio.test/v1/turbodiffusion/wan22-i2v/jobs"), Form(), Ct));

        Assert.Contains("Failed to fetch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostFormAsync_ImageGoneSinceOpened_FailsSayingSoWithoutARequest()
    {
        _module.Setup<BrowserFormAnswer?>("postForm", _ => true).SetResult(null);
        var poster = (IImageFormPoster)(await BrowserStore().OpenReadAsync("img-1", Ct))!;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            poster.PostFormAsync(new Uri("http://studio.test/v1/turbodiffusion/wan22-i2v/jobs"), Form(), Ct));

        Assert.Equal(BrowserBlobStore.ImageGoneMessage, error.Message);
    }

    [Fact]
    public async Task OpenReadAsync_InTheBrowserThenRead_TakesTheImageInOneCallOnTheFirstRead()
    {
        _module.Setup<byte[]?>("readAll", "img-1").SetResult([4, 5, 6]);
        await using var stream = await BrowserStore().OpenReadAsync("img-1", Ct);
        Assert.Empty(_module.Invocations["readAll"]);

        var received = new MemoryStream();
        await stream!.CopyToAsync(received, Ct);

        Assert.Equal([4, 5, 6], received.ToArray());
        Assert.Single(_module.Invocations["readAll"]);
    }

    /// <summary>JS interop calls are made after an await; waits (briefly, without sleeping a fixed time) until one is.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Yield();
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(5, Ct);
        Assert.True(condition());
    }
}
