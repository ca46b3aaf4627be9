using Bunit;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace I2VStudio.Components.Tests.Storage;

public class BrowserBlobStoreTests : BunitContext
{
    private readonly BunitJSModuleInterop _module;

    public BrowserBlobStoreTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule("./_content/I2VStudio.Components/js/blobs.js");
    }

    private BrowserBlobStore CreateStore() => new(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions()));

    [Fact]
    public async Task OpenReadAsync_MissingImage_ReturnsNull()
    {
        _module.Setup<StoredBlobInfo?>("info", "img-gone").SetResult(null);

        var stream = await CreateStore().OpenReadAsync("img-gone", Xunit.TestContext.Current.CancellationToken);

        Assert.Null(stream);
        Assert.Empty(_module.Invocations["openRead"]);
    }

    [Fact]
    public async Task GetPreviewUrlAsync_StoredImage_AsksForAPreviewOfItsSizeAndReturnsTheBlobUrl()
    {
        _module.Setup<string?>("previewUrl", "img-1", 4000, 3000).SetResult("blob:http://host/abc");

        var url = await CreateStore().GetPreviewUrlAsync("img-1", 4000, 3000, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("blob:http://host/abc", url);
    }

    private BrowserBlobStore CreateUploadingStore(IUploadSlots slots) =>
        new(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions()), slots, Options.Create(new I2VStudioOptions()));

    [Fact]
    public async Task OpenReadAsync_WithUploadSlots_ReturnsTheBodyTheBrowserPostsToTheSlot()
    {
        var slots = new InMemoryUploadSlots(TimeProvider.System, Options.Create(new ImageLimits()));
        var send = _module.Setup<int>("send", _ => true);
        var ct = Xunit.TestContext.Current.CancellationToken;

        var opening = CreateUploadingStore(slots).OpenReadAsync("img-1", ct);
        var url = (string)_module.Invocations["send"].Single().Arguments[1]!;
        var delivering = slots.DeliverAsync(url["_i2v/upload/".Length..], new MemoryStream([1, 2, 3]), 3, ct);
        var received = new MemoryStream();
        await using (var stream = await opening)
        {
            await stream!.CopyToAsync(received, ct);
        }

        send.SetResult(204);
        Assert.StartsWith("_i2v/upload/", url, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], received.ToArray());
        Assert.Equal(UploadSlotOutcome.Delivered, await delivering);
        Assert.Empty(_module.Invocations["openRead"]);
        Assert.Empty(_module.Invocations["info"]);
    }

    [Fact]
    public async Task OpenReadAsync_UploadAnsweredBeforeTheBodyArrived_FallsBackToTheJsStream()
    {
        var slots = new InMemoryUploadSlots(TimeProvider.System, Options.Create(new ImageLimits()));
        _module.Setup<StoredBlobInfo?>("info", "img-1").SetResult(new StoredBlobInfo(3, "image/png", "a.png"));
        _module.Setup<int>("send", _ => true).SetResult(404);
        _module.Setup<IJSStreamReference>("openRead", "img-1").SetException(new JSException("missing"));

        var stream = await CreateUploadingStore(slots).OpenReadAsync("img-1", Xunit.TestContext.Current.CancellationToken);

        Assert.Null(stream);
        Assert.Single(_module.Invocations["openRead"]);
        Assert.Equal(0, slots.Count);
    }

    [Fact]
    public async Task OpenReadAsync_InTheBrowser_ReadsTheWholeImageInOneCall()
    {
        _module.Setup<StoredBlobInfo?>("info", "img-1").SetResult(new StoredBlobInfo(3, "image/png", "a.png"));
        _module.Setup<byte[]?>("readAll", "img-1").SetResult([4, 5, 6]);
        var store = new BrowserBlobStore(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions())) { ReadsWholeImage = true };
        var received = new MemoryStream();

        await using (var stream = await store.OpenReadAsync("img-1", Xunit.TestContext.Current.CancellationToken))
        {
            await stream!.CopyToAsync(received, Xunit.TestContext.Current.CancellationToken);
        }

        Assert.Equal([4, 5, 6], received.ToArray());
        Assert.Empty(_module.Invocations["openRead"]);
    }

    [Fact]
    public async Task OpenReadAsync_InTheBrowserImageGone_ReturnsNull()
    {
        _module.Setup<StoredBlobInfo?>("info", "img-gone").SetResult(null);
        var store = new BrowserBlobStore(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions())) { ReadsWholeImage = true };

        Assert.Null(await store.OpenReadAsync("img-gone", Xunit.TestContext.Current.CancellationToken));
    }
}
