using Bunit;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.Options;

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
    public async Task GetPreviewUrlAsync_StoredImage_ReturnsTheBlobUrl()
    {
        _module.Setup<string?>("previewUrl", "img-1").SetResult("blob:http://host/abc");

        var url = await CreateStore().GetPreviewUrlAsync("img-1", Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("blob:http://host/abc", url);
    }
}
