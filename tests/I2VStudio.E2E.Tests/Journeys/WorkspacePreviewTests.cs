using System.Diagnostics;
using System.IO.Compression;
using I2VStudio.E2E.Tests.Infrastructure;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Workspace feature 7: a scene's chosen takes play in order, and export as a ZIP with a manifest and as one MP4.</summary>
public sealed class WorkspacePreviewTests(BrowserFixture browser, WorkspaceFixture studio)
    : StudioTest<WorkspaceFixture>(browser, studio), IClassFixture<WorkspaceFixture>
{
    private WorkspaceUi Ws => new(Page);

    private static async Task<byte[]> ClipAsync(string color, int seconds)
    {
        var path = Path.Combine(Path.GetTempPath(), $"i2v-e2e-clip-{Guid.NewGuid():N}.mp4");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"color=c={color}:s=320x192:r=16", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", path })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        File.Delete(path);
        return bytes;
    }

    [Fact]
    public async Task Preview_TwoChosenTakes_PlaysInOrderAndExportsZipAndMp4()
    {
        var projects = Studio.HostServices.GetRequiredService<ProjectService>();
        var project = await projects.CreateProjectAsync("Preview journey", Ct);
        await projects.ImportNovelAsync(project.Id, "第一章\n雨落下。", "序章", Ct);
        var scene = (await projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0];
        await projects.AddShotAsync(scene.Id, "灯笼摇晃。", Ct);
        var store = Studio.HostServices.GetRequiredService<AssetStore>();
        // The first clip plays 6 s, so the page is seen on it even on a loaded machine (a 1 s one could end before the
        // first look); the second, 1 s, is the last and stays.
        var red = (await store.AddFileAsync(new MemoryStream(await ClipAsync("red", 6)), "red.mp4", Ct)).Asset;
        var blue = (await store.AddFileAsync(new MemoryStream(await ClipAsync("blue", 1)), "blue.mp4", Ct)).Asset;
        await using (var db = await Studio.HostServices.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>().CreateDbContextAsync(Ct))
        {
            var shots = await db.Shots.Where(s => s.SceneId == scene.Id).OrderBy(s => s.Order).ToListAsync(Ct);
            var takes = new[] { (shots[0], red, 7), (shots[1], blue, 8) }.Select(x =>
                new Take { ShotId = x.Item1.Id, VideoAssetId = x.Item2.Id, Seed = x.Item3, PromptSent = x.Item1.Prompt, JobId = $"job-{x.Item3}", Phase = "Succeeded" }).ToList();
            db.Takes.AddRange(takes);
            await db.SaveChangesAsync(Ct);
            shots[0].ChosenTakeId = takes[0].Id;
            shots[1].ChosenTakeId = takes[1].Id;
            await db.SaveChangesAsync(Ct);
        }

        await Ws.OpenAsync($"projects/{project.Id}/scenes/{scene.Id}");

        await Expect(Page.GetByTestId("preview-video")).ToHaveAttributeAsync("data-order", "1");
        await Expect(Page.GetByTestId("preview-video")).ToHaveAttributeAsync("data-order", "2", new() { Timeout = 15_000 });
        var zipDownload = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-zip").ClickAsync());
        using (var zip = ZipFile.OpenRead(await zipDownload.PathAsync()))
        {
            Assert.Equal(["01.mp4", "02.mp4", "manifest.json"], zip.Entries.Select(e => e.FullName).Order());
            var manifest = await new StreamReader(zip.GetEntry("manifest.json")!.Open()).ReadToEndAsync(Ct);
            Assert.Contains("\"jobId\": \"job-8\"", manifest, StringComparison.Ordinal);
        }
        var mp4 = await Page.APIRequest.GetAsync($"workspace/scenes/{scene.Id}/export.mp4");
        Assert.Equal(200, mp4.Status);
        Assert.Equal("ftyp"u8.ToArray(), (await mp4.BodyAsync())[4..8]);
    }
}
