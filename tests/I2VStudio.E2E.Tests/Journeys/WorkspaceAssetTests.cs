using System.Net;
using System.Text.RegularExpressions;
using I2VStudio.E2E.Tests.Infrastructure;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Workspace feature 6: the asset library — upload (stored once per content), refuse what is not an image or a
/// video, filter and search, Range-served playback, and a delete refused while the asset is in use.</summary>
public sealed class WorkspaceAssetTests(BrowserFixture browser, WorkspaceFixture studio)
    : StudioTest<WorkspaceFixture>(browser, studio), IClassFixture<WorkspaceFixture>
{
    // The start of an MP4 (an ftyp box) and some padding: enough for the library to know it is a video.
    private static readonly byte[] Mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0, .. new byte[4000]];

    private WorkspaceUi Ws => new(Page);

    private ILocator Cards => Page.GetByTestId("asset-item");

    private async Task UploadAsync(params FilePayload[] files)
    {
        var chooser = await Page.RunAndWaitForFileChooserAsync(() => Page.GetByText("Upload images or videos").ClickAsync());
        await chooser.SetFilesAsync(files);
    }

    private static FilePayload File(string name, string mime, byte[] bytes) => new() { Name = name, MimeType = mime, Buffer = bytes };

    [Fact]
    public async Task Upload_SameImageTwice_StoredOnceAndSaidSo()
    {
        var png = TestImages.Png(64, 40);
        await Ws.OpenAsync("assets");

        await UploadAsync(File("dawn-lake.png", "image/png", png));
        await Expect(Ws.Info).ToHaveTextAsync("Stored “dawn-lake.png”.");
        await UploadAsync(File("copy-of-lake.png", "image/png", png));

        await Expect(Ws.Info).ToHaveTextAsync("These bytes are already stored as “dawn-lake.png”; nothing new was kept.");
        await Expect(Cards.Filter(new() { HasText = "lake" })).ToHaveCountAsync(1);
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "dawn-lake.png" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Upload_TextFileNamedPng_ClearMessageAndNothingStored()
    {
        await Ws.OpenAsync("assets");

        await UploadAsync(File("notes.png", "image/png", TestImages.Text("not an image")));

        await Expect(Ws.Error).ToHaveTextAsync("“notes.png” is not an image or a video. Assets take JPEG or PNG images and MP4 or WebM videos.");
        await Expect(Cards.Filter(new() { HasText = "notes.png" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task FilterAndSearch_ShowOnlyMatching()
    {
        await Ws.OpenAsync("assets");
        await UploadAsync(File("filter-bridge.png", "image/png", TestImages.Png(30, 20)), File("filter-rain.mp4", "video/mp4", Mp4));
        await Expect(Cards.Filter(new() { HasText = "filter-" })).ToHaveCountAsync(2);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Videos", Exact = true }).ClickAsync();
        await Expect(Cards.Filter(new() { HasText = "filter-" })).ToHaveTextAsync([new System.Text.RegularExpressions.Regex("filter-rain.mp4")]);
        await Page.GetByRole(AriaRole.Button, new() { Name = "All", Exact = true }).ClickAsync();
        await Page.GetByLabel("Search by name").FillAsync("BRIDGE");

        await Expect(Page.GetByTestId("asset-name")).ToHaveTextAsync(["filter-bridge.png"]);
    }

    [Fact]
    public async Task Content_RangeRequest_PartialContent()
    {
        await Ws.OpenAsync("assets");
        await UploadAsync(File("range.mp4", "video/mp4", [.. Mp4, 7]));
        var video = Page.Locator("video[aria-label='range.mp4']");
        await Expect(video).ToHaveCountAsync(1);
        var src = await video.GetAttributeAsync("src");

        var response = await Page.APIRequest.GetAsync(src!, new() { Headers = new Dictionary<string, string> { ["Range"] = "bytes=4-7" } });

        Assert.Equal((int)HttpStatusCode.PartialContent, response.Status);
        Assert.Equal("video/mp4", response.Headers["content-type"]);
        Assert.Equal("ftyp"u8.ToArray(), await response.BodyAsync());
    }

    [Fact]
    public async Task Delete_ImageUsedByShot_RefusedNamingWhereBothInPageAndOverHttp()
    {
        await Ws.OpenAsync("assets");
        await UploadAsync(File("in-use.png", "image/png", TestImages.Png(20, 20)));
        await Expect(Cards.Filter(new() { HasText = "in-use.png" })).ToHaveCountAsync(1);
        await UseAsShotSourceAsync("in-use.png", "Asset journey", "第一章 雨夜");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete in-use.png" }).ClickAsync();

        await Expect(Ws.Error).ToContainTextAsync("This asset is in use and was not deleted. Used by: Asset journey › 第一章 雨夜 ›");
        await Expect(Cards.Filter(new() { HasText = "in-use.png" })).ToHaveCountAsync(1);
        var id = (await Page.Locator("img[alt='in-use.png']").GetAttributeAsync("src"))!.Split('/')[2];
        var response = await Page.APIRequest.DeleteAsync($"workspace/assets/{id}");
        Assert.Equal((int)HttpStatusCode.Conflict, response.Status);
        Assert.Contains("Asset journey › 第一章 雨夜", await response.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseInI2V_ImageAsset_ToolOpensWithThatImagePickedAndGenerates()
    {
        await Studio.HostServices.GetRequiredService<AssetStore>().AddFileAsync(new MemoryStream(TestImages.Png(240, 136)), "to-i2v.png", Ct);
        await Ws.OpenAsync("assets");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Use to-i2v.png in Image to Video" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex(@"/tools/i2v$"));
        await Expect(Ui.ImageSection).ToContainTextAsync("240 × 136 px");
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "Preview of to-i2v.png" })).ToBeVisibleAsync();
        await Ui.FillPromptAsync("灯火慢慢亮起");
        var card = await Ui.GenerateAsync();
        // The finished job proves the backend took the picked image; PENDING lasts 600 ms and a loaded machine's
        // first poll can come after it.
        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
    }

    [Fact]
    public async Task UseInI2V_AssetDeletedMeanwhile_SaysItCouldNotBeLoaded()
    {
        var assets = Studio.HostServices.GetRequiredService<AssetStore>();
        var asset = (await assets.AddFileAsync(new MemoryStream(TestImages.Png(120, 68)), "gone.png", Ct)).Asset;
        await assets.DeleteAsync(asset.Id, Ct);

        // The library's "Use in I2V" link, followed after another tab deleted the asset.
        await Page.GotoAsync($"tools/i2v?image={Uri.EscapeDataString(I2VStudio.Workspace.WorkspaceEndpoints.ContentUrl(asset.Id))}&name=gone.png");

        await Expect(Ui.ImageSection).ToContainTextAsync("gone.png: This image could not be loaded: it may have been deleted.");
        await Expect(Ui.ImageSection).Not.ToContainTextAsync("The file is empty");
    }

    [Fact]
    public async Task UseInShot_ImageAsset_PickedShotTakesItAsSourceImage()
    {
        var projects = Studio.HostServices.GetRequiredService<ProjectService>();
        var project = await projects.CreateProjectAsync("Use-in-shot journey", Ct);
        await projects.ImportNovelAsync(project.Id, "第一章 渡口\n船夫解开缆绳。\n---\n雾散了。", "序章", Ct);
        await Studio.HostServices.GetRequiredService<AssetStore>().AddFileAsync(new MemoryStream(TestImages.Png(90, 60)), "ferry.png", Ct);
        await Ws.OpenAsync("assets");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Use ferry.png in a shot" }).ClickAsync();
        await Page.GetByLabel("Find a shot: project, chapter, scene or prompt").FillAsync("雾散");
        var choice = Page.GetByTestId("shot-choice");
        await Expect(choice).ToHaveCountAsync(1);
        await Expect(choice).ToContainTextAsync("Use-in-shot journey › 第一章 渡口 ›");
        await choice.ClickAsync();

        await Expect(Ws.Info).ToContainTextAsync("“ferry.png” is now the source image of Use-in-shot journey › 第一章 渡口 ›");
        await Page.GetByTestId("open-used-shot").ClickAsync();
        await Expect(Page.Locator("[data-testid='shot-page'][data-interactive='true']")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "Source image: ferry.png" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("sent-prompt")).ToHaveTextAsync("雾散了。");
    }

    [Fact]
    public async Task SubmitFromI2VTool_NewImage_ListedInAssets()
    {
        await Ui.OpenAsync();
        await Ui.PickPngAsync("submitted-harbour.png", TestImages.Png(200, 120), 200, 120);
        await Ui.FillPromptAsync("渔船靠岸");
        var card = await Ui.GenerateAsync();
        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);

        // Kept after the backend accepted the job, in the background: the library shows it once it is there.
        var kept = Cards.Filter(new() { HasText = "submitted-harbour.png" });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Ws.OpenAsync("assets");
            await Expect(Page.GetByTestId("asset-list").Or(Page.GetByTestId("assets-empty"))).ToBeVisibleAsync();
        }
        while (await kept.CountAsync() == 0 && clock.Elapsed < TimeSpan.FromSeconds(15));
        await Expect(kept).ToHaveAttributeAsync("data-kind", "Image");
    }

    /// <summary>Arranges a shot whose source image is the asset (the shot editor is not part of this journey).</summary>
    private async Task UseAsShotSourceAsync(string assetName, string projectName, string chapter)
    {
        var projects = Studio.HostServices.GetRequiredService<ProjectService>();
        var project = await projects.CreateProjectAsync(projectName, Ct);
        await projects.ImportNovelAsync(project.Id, $"{chapter}\n雨落下。", "序章", Ct);
        await using var db = await Studio.HostServices.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>().CreateDbContextAsync(Ct);
        var asset = await db.Assets.SingleAsync(a => a.Name == assetName, Ct);
        var shot = await db.Shots.SingleAsync(s => s.Prompt == "雨落下。", Ct);
        shot.SourceImageAssetId = asset.Id;
        await db.SaveChangesAsync(Ct);
    }
}
