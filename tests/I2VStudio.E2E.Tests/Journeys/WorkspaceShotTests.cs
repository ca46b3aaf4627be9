using System.Diagnostics;
using System.Net;
using I2VStudio.E2E.Tests.Infrastructure;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Services;
using I2VStudio.Workspace.Takes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Workspace features 2, 3 and 5: the shot editor (the I2V panels over a shot), the take board, and capture —
/// a succeeded take's video is copied into the asset store and still plays after the backend's link and result expire.</summary>
public sealed class WorkspaceShotTests(BrowserFixture browser, WorkspaceFixture studio)
    : StudioTest<WorkspaceFixture>(browser, studio), IClassFixture<WorkspaceFixture>
{
    private WorkspaceUi Ws => new(Page);

    private ILocator Takes => Page.GetByTestId("take-item");

    [Fact]
    public async Task GenerateTake_PickedImage_SucceedsCapturedAndPlaysAfterBackendLinkAndResultExpire()
    {
        await Ws.OpenShotAsync(Studio.HostServices, "Capture journey", "雨落在青石板上。");
        await Expect(Page.GetByTestId("sent-prompt")).ToHaveTextAsync("水墨风格，雨落在青石板上。，电影感");

        await Ui.PickFileAsync("street.png", "image/png", TestImages.Png(320, 192));
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "Source image: street.png" })).ToBeVisibleAsync();
        Emulator.Faults.Update(f => f with { UrlLifetime = TimeSpan.FromSeconds(4), ResultExpiry = TimeSpan.FromSeconds(4) });
        await Page.GetByTestId("generate-take").ClickAsync();

        var take = Takes.First;
        await Expect(take).ToHaveAttributeAsync("data-phase", "Succeeded", new() { Timeout = Timeouts.Job });
        await Expect(take).ToHaveAttributeAsync("data-captured", "true", new() { Timeout = Timeouts.Job });
        var src = await take.Locator("video").GetAttributeAsync("src");

        // The backend's own link and result expire; the captured copy is the host's.
        var runner = Studio.HostServices.GetRequiredService<TakeRunner>();
        await using var db = await Studio.HostServices.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>().CreateDbContextAsync(Ct);
        var row = await db.Takes.AsNoTracking().SingleAsync(t => t.PromptSent == "水墨风格，雨落在青石板上。，电影感", Ct);
        var backendUrl = runner.RecordOf(row.Id)!.OutputUrl!;
        await WaitUntilAsync(async () => (await Page.APIRequest.GetAsync(backendUrl)).Status != (int)HttpStatusCode.OK);
        await Ui.ReloadAsync();

        var video = await Page.APIRequest.GetAsync(src!);
        Assert.Equal((int)HttpStatusCode.OK, video.Status);
        Assert.Equal("video/mp4", video.Headers["content-type"]);
        Assert.Equal("ftyp"u8.ToArray(), (await video.BodyAsync())[4..8]);
        await Expect(Takes.First.Locator("video")).ToHaveAttributeAsync("src", src!);
        Assert.Equal((4, true, "Succeeded"), (row.NumSteps, row.Quantized, row.Phase));
    }

    [Fact]
    public async Task TakeBoard_VariationsThenStarAndReject_PersistAfterReload()
    {
        await Studio.HostServices.GetRequiredService<I2VStudio.Workspace.Assets.AssetStore>()
            .AddFileAsync(new MemoryStream(TestImages.Png(200, 120)), "lantern.png", Ct);
        await Ws.OpenShotAsync(Studio.HostServices, "Board journey", "灯笼在风中摇晃。");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Use lantern.png" }).ClickAsync();
        await Expect(Page.GetByTestId("no-source")).ToHaveCountAsync(0);

        await Page.GetByLabel("Variations").FillAsync("2");
        await Page.GetByTestId("generate-variations").ClickAsync();
        await Expect(Takes).ToHaveCountAsync(2);
        await Takes.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Choose this take" }).ClickAsync();
        await Expect(Takes.Nth(0)).ToHaveAttributeAsync("data-chosen", "true");
        await Takes.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Expect(Takes.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Reject" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Ui.ReloadAsync();

        await Expect(Takes.Nth(0)).ToHaveAttributeAsync("data-chosen", "true");
        await Expect(Takes.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Reject" })).ToHaveAttributeAsync("aria-pressed", "true");
        var seeds = await Takes.Locator(".ws-take-head .ws-small").AllTextContentsAsync();
        Assert.Equal(2, seeds.Distinct().Count());
    }

    [Fact]
    public async Task SaveShot_FromStaleTab_ConflictMessageTypedPromptKeptAndOtherEditKept()
    {
        await Ws.OpenShotAsync(Studio.HostServices, "Two-tab shot journey", "桥上有人撑伞。");
        var second = await Context.NewPageAsync();
        await second.GotoAsync(Page.Url);
        await Expect(second.Locator("[data-testid='shot-page'][data-interactive='true']")).ToBeVisibleAsync();
        await new StudioPage(second).WaitInteractiveAsync();

        await Ui.FillPromptAsync("桥上有人撑红伞。");
        await Page.GetByTestId("save-shot").ClickAsync();
        await Expect(Ws.Info).ToHaveTextAsync("Saved.");
        var stale = new StudioPage(second);
        await stale.FillPromptAsync("桥上空无一人。");
        await second.GetByTestId("save-shot").ClickAsync();

        await Expect(second.GetByTestId("ws-error")).ToContainTextAsync("changed in another tab");
        await Expect(stale.Prompt).ToHaveValueAsync("桥上空无一人。");
        await Ui.ReloadAsync();
        await Expect(Ui.Prompt).ToHaveValueAsync("桥上有人撑红伞。");
    }

    [Fact]
    public async Task GenerateTake_NoSourceImage_ClearMessageAndNoJob()
    {
        await Ws.OpenShotAsync(Studio.HostServices, "No image journey", "船夫解开缆绳。");
        // The project has no default seed, so the field is empty: random for each take, which is valid.
        await Expect(Ui.Seed).ToHaveValueAsync("");
        await Expect(Page.Locator("[data-param=seed]")).ToContainTextAsync("Empty: a new random seed for each take.");
        await Expect(Page.Locator("[data-param=seed]")).Not.ToContainTextAsync("The seed must be");

        await Page.GetByTestId("generate-take").ClickAsync();

        await Expect(Ws.Error).ToHaveTextAsync("The shot has no source image yet: choose one from Assets or pick one.");
        await Expect(Takes).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task PickImage_BytesAlreadyInAssets_SaysSoAndTheShotUsesThatAsset()
    {
        var png = TestImages.Png(171, 97);
        await Studio.HostServices.GetRequiredService<I2VStudio.Workspace.Assets.AssetStore>().AddFileAsync(new MemoryStream(png), "lane.png", Ct);
        await Ws.OpenShotAsync(Studio.HostServices, "Known bytes", "巷子很深。");

        await Ui.PickFileAsync("copy-of-lane.png", "image/png", png);

        await Expect(Ws.Info).ToHaveTextAsync("These bytes are already stored as “lane.png”; nothing new was kept.");
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "Source image: lane.png" })).ToBeVisibleAsync();
        // Shown once, as the shot's source: the pick panel does not keep a second copy of it.
        await Expect(Page.Locator(".input-panel img.preview")).ToHaveCountAsync(0);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "The backend's link did not expire within 30 s.");
            await Task.Delay(50, Ct);
        }
    }
}
