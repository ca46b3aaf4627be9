using Bunit;
using I2VStudio.Components.Browser;
using I2VStudio.Components.Imaging;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace I2VStudio.Components.Tests.Storage;

/// <summary>
/// <see cref="BrowserBlobStore.Stage"/>: a picked image is copied to the host ahead of its submission, so the submission,
/// a retry and the asset copy read the host's copy and do not wait for the browser (issue 14, bench scenario 3).
/// </summary>
public sealed class StagedImageTests : BunitContext
{
    private readonly BunitJSModuleInterop _module;
    private readonly string _folderPath = Path.Combine(Path.GetTempPath(), "i2v-staged-tests-" + Guid.NewGuid().ToString("N"));

    public StagedImageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule("./_content/I2VStudio.Components/js/blobs.js");
        Folder = new StagedImageFolder(_folderPath, TimeProvider.System);
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private StagedImageFolder Folder { get; }

    private InMemoryUploadSlots Slots { get; } = new(TimeProvider.System, Options.Create(new ImageLimits { MaxBytes = 1024 }));

    private string[] FilesInFolder => Directory.GetFiles(_folderPath);

    private BrowserBlobStore CreateStore() =>
        new(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions()), Slots, Options.Create(new I2VStudioOptions()), Folder);

    /// <summary>The browser's upload of <paramref name="key"/>: answered (like fetch) only once the host answered it.</summary>
    private JSRuntimeInvocationHandler<int> Send(string key) => _module.Setup<int>("send", i => Equals(i.Arguments[0], key));

    /// <summary>The browser's side of the latest upload of <paramref name="key"/>: posts <paramref name="bytes"/> into its slot.</summary>
    private async Task<UploadSlotOutcome> BrowserPostsAsync(string key, byte[] bytes, JSRuntimeInvocationHandler<int> send)
    {
        var url = (string)_module.Invocations["send"].Last(i => Equals(i.Arguments[0], key)).Arguments[1]!;
        var outcome = await Slots.DeliverAsync(url["_i2v/upload/".Length..], new MemoryStream(bytes), bytes.Length, Ct);
        send.SetResult(outcome == UploadSlotOutcome.Delivered ? 204 : 413);
        return outcome;
    }

    private static async Task<byte[]> ReadAllAsync(Stream? stream)
    {
        Assert.NotNull(stream);
        var copy = new MemoryStream();
        await using (stream)
        {
            await stream.CopyToAsync(copy, Ct);
        }

        return copy.ToArray();
    }

    [Fact]
    public async Task Stage_ThenOpenReadTwice_ReadsTheHostCopyWithoutAnotherUpload()
    {
        var send = Send("img-1");
        await using var store = CreateStore();

        store.Stage("img-1");
        Assert.Equal(UploadSlotOutcome.Delivered, await BrowserPostsAsync("img-1", [1, 2, 3], send));

        Assert.Equal([1, 2, 3], await ReadAllAsync(await store.OpenReadAsync("img-1", Ct)));
        Assert.Equal([1, 2, 3], await ReadAllAsync(await store.OpenReadAsync("img-1", Ct)));
        Assert.Single(_module.Invocations["send"]);
        Assert.True(store.IsStaged("img-1"));
    }

    [Fact]
    public async Task OpenRead_CopyStillArriving_WaitsForItInsteadOfUploadingAgain()
    {
        var send = Send("img-1");
        await using var store = CreateStore();
        store.Stage("img-1");

        var opening = store.OpenReadAsync("img-1", Ct);
        Assert.False(opening.IsCompleted);
        await BrowserPostsAsync("img-1", [7, 8, 9], send);

        Assert.Equal([7, 8, 9], await ReadAllAsync(await opening));
        Assert.Single(_module.Invocations["send"]);
    }

    [Fact]
    public async Task Stage_TheSameImageTwice_UploadsItOnce()
    {
        Send("img-1");
        await using var store = CreateStore();

        store.Stage("img-1");
        store.Stage("img-1");

        Assert.Single(_module.Invocations["send"]);
    }

    [Fact]
    public async Task Stage_UploadRefused_OpenReadAsksTheBrowserAgain()
    {
        // e.g. the upload reached another host instance: answered 404 before any body arrived here
        _module.Setup<int>("send", _ => true).SetResult(404);
        _module.Setup<StoredBlobInfo?>("info", "img-1").SetResult(new StoredBlobInfo(2, "image/png", "a.png"));
        _module.Setup<Microsoft.JSInterop.IJSStreamReference>("openRead", "img-1").SetException(new Microsoft.JSInterop.JSException("missing"));
        await using var store = CreateStore();
        store.Stage("img-1");

        var stream = await store.OpenReadAsync("img-1", Ct);

        Assert.Null(stream); // the JS stream's answer in this test: the image is gone
        Assert.Equal(2, _module.Invocations["send"].Count); // the failed copy, then the submission's own upload
        Assert.Single(_module.Invocations["openRead"]);
        Assert.False(store.IsStaged("img-1"));
        Assert.Empty(FilesInFolder);
    }

    [Fact]
    public async Task Stage_AgainAfterTheCopyFailed_UploadsAgain()
    {
        var refused = _module.Setup<int>("send", i => Equals(i.Arguments[0], "img-1") && _module.Invocations["send"].Count == 1);
        refused.SetResult(404); // answered before any body arrived: the copy fails
        await using var store = CreateStore();
        store.Stage("img-1");
        while (_module.Invocations["send"].Count < 1) await Task.Yield();
        var second = Send("img-1");

        for (var i = 0; i < 1000 && _module.Invocations["send"].Count < 2; i++)
        {
            store.Stage("img-1"); // a no-op until the failed copy has ended, then a fresh try
            await Task.Yield();
        }
        await BrowserPostsAsync("img-1", [5, 6], second);

        Assert.Equal(2, _module.Invocations["send"].Count);
        Assert.Equal([5, 6], await ReadAllAsync(await store.OpenReadAsync("img-1", Ct)));
    }

    [Fact]
    public async Task Stage_FolderSweptMeanwhile_MadeAgainAndTheCopyKept()
    {
        var send = Send("img-1");
        await using var store = CreateStore();
        Directory.Delete(_folderPath, recursive: true); // another process's start took it for a leftover

        store.Stage("img-1");
        await BrowserPostsAsync("img-1", [3], send);

        Assert.Equal([3], await ReadAllAsync(await store.OpenReadAsync("img-1", Ct)));
        Assert.Single(FilesInFolder);
    }

    [Fact]
    public async Task Stage_ImageLargerThanTheCap_KeepsNothing()
    {
        var send = Send("img-big");
        await using var store = CreateStore();

        store.Stage("img-big");
        Assert.Equal(UploadSlotOutcome.TooLarge, await BrowserPostsAsync("img-big", new byte[2048], send));
        await store.DeletionsDone();

        Assert.False(store.IsStaged("img-big"));
        Assert.Empty(FilesInFolder);
    }

    [Fact]
    public async Task Stage_ThirdImage_DeletesTheOldestCopy()
    {
        await using var store = CreateStore();
        for (var i = 0; i < 3; i++)
        {
            var send = Send($"img-{i}");
            store.Stage($"img-{i}");
            await BrowserPostsAsync($"img-{i}", [(byte)i], send);
        }

        await store.DeletionsDone();

        Assert.False(store.IsStaged("img-0"));
        Assert.Equal([1], await ReadAllAsync(await store.OpenReadAsync("img-1", Ct)));
        Assert.Equal([2], await ReadAllAsync(await store.OpenReadAsync("img-2", Ct)));
        Assert.Equal(3, _module.Invocations["send"].Count);
        Assert.Equal(BrowserBlobStore.MaxStagedImages, FilesInFolder.Length);
    }

    [Fact]
    public async Task DisposeAsync_CopyDoneAndCopyUnderWay_DeletesBothFiles()
    {
        var send = Send("img-1");
        Send("img-2"); // its body never arrives
        var store = CreateStore();
        store.Stage("img-1");
        await BrowserPostsAsync("img-1", [1], send);
        store.Stage("img-2");

        await store.DisposeAsync();

        Assert.Empty(FilesInFolder);
        Assert.Equal(0, Slots.Count);
    }

    [Fact]
    public async Task Stage_WithoutUploadSlots_DoesNothing()
    {
        await using var store = new BrowserBlobStore(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions()));

        store.Stage("img-1");

        Assert.Empty(_module.Invocations["send"]);
    }

    [Fact]
    public void StagedImageFolder_Open_DeletesLeftoversOlderThanADayOnly()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var old = Folder.NewFilePath();
        var recent = Folder.NewFilePath();
        File.WriteAllBytes(old, [1]);
        File.WriteAllBytes(recent, [2]);
        File.SetLastWriteTimeUtc(old, time.GetUtcNow().UtcDateTime - StagedImageFolder.LeftoverAge - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(recent, time.GetUtcNow().UtcDateTime - StagedImageFolder.LeftoverAge + TimeSpan.FromMinutes(1));

        _ = new StagedImageFolder(_folderPath, time);

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
    }

    [Fact]
    public void CreateDefault_FreshPrivateFolderPerProcess_DisposeDeletesIt()
    {
        string path;
        using (var folder = StagedImageFolder.CreateDefault(TimeProvider.System))
        {
            path = folder.Path;
            Assert.True(folder.IsUsable);
            Assert.True(Directory.Exists(path));
            Assert.StartsWith(Path.GetTempPath(), path, StringComparison.Ordinal);
            using var second = StagedImageFolder.CreateDefault(TimeProvider.System);
            Assert.NotEqual(path, second.Path); // never a folder someone could have made beforehand
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
        }

        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void CreateDefault_EarlierProcessesFolders_DeletesThoseOlderThanADay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var old = Directory.CreateTempSubdirectory("i2v-staged-");
        var recent = Directory.CreateTempSubdirectory("i2v-staged-");
        File.WriteAllBytes(Path.Combine(old.FullName, "left.staged"), [1]);
        Directory.SetLastWriteTimeUtc(old.FullName, time.GetUtcNow().UtcDateTime - StagedImageFolder.LeftoverAge - TimeSpan.FromMinutes(1));

        using var folder = StagedImageFolder.CreateDefault(time);

        Assert.False(Directory.Exists(old.FullName));
        Assert.True(Directory.Exists(recent.FullName));
        recent.Delete(recursive: true);
    }

    [Fact]
    public async Task Stage_OnUnix_TheCopyIsReadableByThisUserOnly()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Unix file modes");
        var send = Send("img-1");
        await using var store = CreateStore();
        store.Stage("img-1");
        await BrowserPostsAsync("img-1", [1], send);

        var file = Assert.Single(FilesInFolder);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folderPath));
    }

    [Fact]
    public void StagedImageFolder_PathIsAFile_NotUsableAndStoreDoesNotStage()
    {
        var path = Path.Combine(_folderPath, "a-file");
        File.WriteAllBytes(path, [1]);

        var folder = new StagedImageFolder(path, TimeProvider.System);
        var store = new BrowserBlobStore(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions()), Slots, Options.Create(new I2VStudioOptions()), folder);
        store.Stage("img-1");

        Assert.False(folder.IsUsable);
        Assert.Empty(_module.Invocations["send"]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Directory.Exists(_folderPath)) Directory.Delete(_folderPath, recursive: true);
        base.Dispose(disposing);
    }
}
