using I2VStudio.E2E.Tests.Infrastructure;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Workspace feature 4: "Generate chapter" estimates first, then runs on the host and shows k/N; each shot is
/// sent once.</summary>
public sealed class WorkspaceBatchTests(BrowserFixture browser, WorkspaceFixture studio)
    : StudioTest<WorkspaceFixture>(browser, studio), IClassFixture<WorkspaceFixture>
{
    private WorkspaceUi Ws => new(Page);

    [Fact]
    public async Task GenerateChapter_EstimateThenStart_AllShotsDoneOncePerShot()
    {
        var projects = Studio.HostServices.GetRequiredService<ProjectService>();
        var project = await projects.CreateProjectAsync("Batch journey", Ct);
        await projects.ImportNovelAsync(project.Id, "第一章 雨夜\n雨落下。\n---\n灯笼摇晃。\n---\n船离岸。", "序章", Ct);
        var image = (await Studio.HostServices.GetRequiredService<AssetStore>().AddFileAsync(new MemoryStream(TestImages.Png(160, 96)), "batch.png", Ct)).Asset;
        await using (var db = await Studio.HostServices.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.Shots.ExecuteUpdateAsync(s => s.SetProperty(x => x.SourceImageAssetId, image.Id), Ct);
        }
        var postsBefore = Emulator.Counters.Snapshot().PostJob;
        await Ws.OpenAsync($"projects/{project.Id}");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Generate 第一章 雨夜" }).ClickAsync();
        await Expect(Page.GetByTestId("batch-estimate-text")).ToHaveTextAsync("3 shots to generate · about 2 min at 2 at once");
        await Page.GetByTestId("batch-start").ClickAsync();

        var batch = Page.GetByTestId("batch-item");
        await Expect(batch.GetByTestId("batch-progress")).ToHaveTextAsync("第一章 雨夜: 3/3 done", new() { Timeout = Timeouts.Job });
        Assert.Equal(3, Emulator.Counters.Snapshot().PostJob - postsBefore);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Generate 第一章 雨夜" }).ClickAsync();
        await Expect(Page.GetByTestId("batch-estimate")).ToContainTextAsync("Every shot here already has a chosen or finished take.");
    }
}
