using Bunit;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Storage;
using I2VStudio.Components.Tests.Imaging;
using I2VStudio.Components.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace I2VStudio.Components.Tests.Browser;

public class ImageIntakeTests : BunitContext
{
    private const string IntakeModule = "./_content/I2VStudio.Components/js/imageIntake.js";
    private readonly BunitJSModuleInterop _handle;
    private readonly List<PickedImageResult> _picked = [];
    private readonly ImageIntake _intake;

    public ImageIntakeTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        var module = JSInterop.SetupModule(IntakeModule);
        _handle = module.SetupModule(i => i.Identifier == "attach");
        _handle.Setup<ImageIntake.AcceptResult>("accept", _ => true).SetResult(new("data:image/jpeg;base64,AAAA", "blob:http://host/1"));
        _handle.SetupVoid("discard", _ => true).SetVoidResult();
        _handle.SetupVoid("detach").SetVoidResult();
        var storage = Options.Create(new BrowserStorageOptions());
        _intake = new ImageIntake(JSInterop.JSRuntime, Options.Create(new ImageLimits()),
            storage, NullLogger<ImageIntake>.Instance);
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<(IAsyncDisposable Attachment, ImageIntake.Attachment Receiver)> AttachAsync()
    {
        var attachment = await _intake.AttachAsync(new ElementReference("zone"), new ElementReference("input"),
            r => { _picked.Add(r); return Task.CompletedTask; }, Ct);
        var call = Assert.Single(JSInterop.Invocations, i => i.Identifier == "attach");
        return (attachment, ((DotNetObjectReference<ImageIntake.Attachment>)call.Arguments[2]!).Value);
    }

    // The browser reports name and size; .NET then asks for the first bytes as a stream (when the size allows).
    private async Task PickAsync(ImageIntake.Attachment receiver, string id, string name, long size, byte[]? head)
    {
        if (head is not null) _handle.Setup<IJSStreamReference>("head", id).SetResult(FakeJSStream.Bytes(head));
        await receiver.OnFile(id, name, size);
    }

    [Fact]
    public async Task OnFile_ValidPng_StoresItAndReportsTheImage()
    {
        var (_, receiver) = await AttachAsync();

        await PickAsync(receiver, "f1", "cat.png", 123_456, TestImages.PngHeader(1280, 720));

        var image = Assert.Single(_picked).Image!;
        Assert.Equal(("cat.png", "image/png", 123_456L, 1280, 720), (image.FileName, image.ContentType, image.Size, image.Width, image.Height));
        Assert.Equal("data:image/jpeg;base64,AAAA", image.ThumbnailDataUrl);
        var accept = Assert.Single(_handle.Invocations["accept"]);
        Assert.Equal(image.BlobKey, accept.Arguments[1]);
    }

    [Fact]
    public async Task OnUnavailable_ImageOfThisSiteGone_ReportsUnavailableNotAnEmptyFile()
    {
        var (_, receiver) = await AttachAsync();

        await receiver.OnUnavailable("harbour.png");

        var problem = Assert.Single(_picked).Problem!;
        Assert.Equal((ImageProblemKind.Unavailable, "harbour.png"), (problem.Kind, problem.FileName));
        Assert.Empty(_handle.Invocations["accept"]);
    }

    [Fact]
    public async Task OnFile_GifNamedPng_ReportsNotImageAndStoresNothing()
    {
        var (_, receiver) = await AttachAsync();

        await PickAsync(receiver, "f1", "cat.png", 5000, TestImages.GifHeader());

        var problem = Assert.Single(_picked).Problem!;
        Assert.Equal(ImageProblemKind.NotImage, problem.Kind);
        Assert.Equal("cat.png", problem.FileName);
        Assert.Empty(_handle.Invocations["accept"]);
        Assert.Single(_handle.Invocations["discard"]);
    }

    [Fact]
    public async Task OnFile_OverSizeCap_ReportsTooLargeWithTheLimits()
    {
        var (_, receiver) = await AttachAsync();

        await PickAsync(receiver, "f1", "huge.jpg", 30L * 1024 * 1024, null);

        var problem = Assert.Single(_picked).Problem!;
        Assert.Equal(ImageProblemKind.TooLarge, problem.Kind);
        Assert.Equal(20L * 1024 * 1024, problem.Limits.MaxBytes);
        Assert.Empty(_handle.Invocations["head"]); // not a byte read
    }

    [Fact]
    public async Task OnFile_TooManyPixels_ReportsTheDimensions()
    {
        var (_, receiver) = await AttachAsync();

        await PickAsync(receiver, "f1", "wide.png", 1_000_000, TestImages.PngHeader(50_000, 50_000));

        var problem = Assert.Single(_picked).Problem!;
        Assert.Equal((ImageProblemKind.TooManyPixels, 50_000, 50_000), (problem.Kind, problem.Width, problem.Height));
    }

    [Fact]
    public async Task OnFile_BrowserCannotDecode_ReportsUnreadable()
    {
        _handle.Setup<ImageIntake.AcceptResult>("accept", _ => true).SetException(new JSException("InvalidStateError: The source image could not be decoded."));
        var (_, receiver) = await AttachAsync();

        await PickAsync(receiver, "f1", "broken.jpg", 10_000, TestImages.JpegHeader(100, 100));

        Assert.Equal(ImageProblemKind.Unreadable, Assert.Single(_picked).Problem!.Kind);
    }

    [Fact]
    public async Task OnFile_PastedWithoutName_GetsANameWithTheRightSuffix()
    {
        var (_, receiver) = await AttachAsync();

        await PickAsync(receiver, "f1", "", 2000, TestImages.JpegHeader(100, 100));

        Assert.Equal("pasted-image.jpg", Assert.Single(_picked).Image!.FileName);
    }

    [Fact]
    public async Task Dispose_Attachment_DetachesAndIgnoresLateFiles()
    {
        var (attachment, receiver) = await AttachAsync();

        await attachment.DisposeAsync();
        await PickAsync(receiver, "f1", "cat.png", 1000, TestImages.PngHeader(10, 10));

        Assert.Single(_handle.Invocations["detach"]);
        Assert.Empty(_picked);
    }
}
