using I2VStudio.Testing;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace I2VStudio.Workspace.Tests.Assets;

public sealed class SqliteAssetStoreTests() : AssetStoreTests(TestProvider.Sqlite);

public sealed class PostgresAssetStoreTests() : AssetStoreTests(TestProvider.Postgres);

public abstract class AssetStoreTests(TestProvider provider) : IAsyncLifetime
{
    private TestWorkspace workspace = default!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => workspace = await TestWorkspace.StartAsync(provider, Ct);

    public async ValueTask DisposeAsync()
    {
        if (workspace is not null) await workspace.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AddFile_SameBytesTwice_StoredOnce()
    {
        var png = Pngs.Gradient(32, 32);

        var first = (await workspace.Assets.AddFileAsync(new MemoryStream(png), "a.png", Ct)).Asset;
        var second = await workspace.Assets.AddFileAsync(new MemoryStream(png), "copy.png", Ct);

        Assert.Equal((first.Id, true), (second.Asset.Id, second.AlreadyStored));
        Assert.Equal((AssetKind.Image, "image/png", png.Length), (first.Kind, first.ContentType, (int)first.Size));
        Assert.Single(Directory.GetFiles(Path.Combine(workspace.Folder, "assets"), "*.png", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AddFile_TextFileNamedPng_RefusedNamingTheFile()
    {
        var e = await Assert.ThrowsAsync<WorkspaceException>(() =>
            workspace.Assets.AddFileAsync(new MemoryStream("hello, not an image"u8.ToArray()), "notes.png", Ct));

        Assert.Equal(WorkspaceError.NotImageOrVideo, e.Code);
        Assert.Equal("notes.png", e.Arguments[0]);
        Assert.Empty(await workspace.Assets.SearchAsync(null, null, Ct));
    }

    [Fact]
    public async Task AddFile_Empty_Refused()
    {
        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Assets.AddFileAsync(new MemoryStream(), "x.png", Ct));

        Assert.Equal(WorkspaceError.EmptyFile, e.Code);
    }

    [Fact]
    public async Task AddFile_Mp4Header_StoredAsVideo()
    {
        byte[] mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0];

        var asset = (await workspace.Assets.AddFileAsync(new MemoryStream(mp4), "clip.mp4", Ct)).Asset;

        Assert.Equal((AssetKind.Video, "video/mp4"), (asset.Kind, asset.ContentType));
    }

    [Fact]
    public async Task AddFile_OverSizeCap_RefusedAndNothingKept()
    {
        var cap = workspace.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkspaceOptions>>().Value.MaxAssetBytes;
        var big = new byte[cap + 1];
        Pngs.Gradient(4, 4).CopyTo(big, 0);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Assets.AddFileAsync(new MemoryStream(big), "big.png", Ct));

        Assert.Equal((WorkspaceError.FileTooLarge, cap), (e.Code, (long)e.Arguments[0]));
        Assert.Empty(Directory.GetFiles(Path.Combine(workspace.Folder, "assets"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AddPromptTemplate_ReadBack_SameText()
    {
        var template = (await workspace.Assets.AddPromptTemplateAsync("慢推", "镜头缓慢推进，雨丝清晰可见", Ct)).Asset;

        Assert.Equal("镜头缓慢推进，雨丝清晰可见", await workspace.Assets.ReadTextAsync(template, Ct));
    }

    [Fact]
    public async Task Search_ByNameAndKind_Filters()
    {
        await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(8, 8)), "Lake-Dawn.png", Ct);
        await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(9, 9)), "bridge.png", Ct);
        await workspace.Assets.AddPromptTemplateAsync("lake mist", "slow dolly in over the lake", Ct);

        var lakes = await workspace.Assets.SearchAsync("lake", null, Ct);
        var lakeImages = await workspace.Assets.SearchAsync("LAKE", AssetKind.Image, Ct);

        Assert.Equal(2, lakes.Count);
        Assert.Equal("Lake-Dawn.png", Assert.Single(lakeImages).Name);
    }

    [Fact]
    public async Task Delete_ImageUsedByShot_RefusedNamingWhere()
    {
        var image = (await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(8, 8)), "a.png", Ct)).Asset;
        var project = await workspace.Projects.CreateProjectAsync("雨夜", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章 起\n甲。", "序章", Ct);
        await using (var db = workspace.OpenDb())
        {
            var shot = db.Shots.Single();
            shot.SourceImageAssetId = image.Id;
            await db.SaveChangesAsync(Ct);
        }

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Assets.DeleteAsync(image.Id, Ct));

        Assert.Equal(WorkspaceError.AssetInUse, e.Code);
        Assert.Contains("雨夜 › 第一章 起", (string)e.Arguments[0], StringComparison.Ordinal);
        Assert.NotNull(await workspace.Assets.FindAsync(image.Id, Ct));
    }

    [Fact]
    public async Task Delete_Unused_RemovesRowAndBytes()
    {
        var image = (await workspace.Assets.AddFileAsync(new MemoryStream(Pngs.Gradient(8, 8)), "a.png", Ct)).Asset;
        var path = workspace.Assets.PathOf(image);

        await workspace.Assets.DeleteAsync(image.Id, Ct);

        Assert.Null(await workspace.Assets.FindAsync(image.Id, Ct));
        Assert.False(File.Exists(path));
    }
}
