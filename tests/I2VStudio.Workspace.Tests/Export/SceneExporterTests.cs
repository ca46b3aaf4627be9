using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using I2VStudio.Workspace.Export;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace I2VStudio.Workspace.Tests.Export;

public sealed class SqliteSceneExporterTests() : SceneExporterTests(TestProvider.Sqlite);

public sealed class PostgresSceneExporterTests() : SceneExporterTests(TestProvider.Postgres);

public abstract class SceneExporterTests(TestProvider provider) : IAsyncLifetime
{
    private TestWorkspace workspace = default!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private SceneExporter Exporter => workspace.Services.GetRequiredService<SceneExporter>();

    public async ValueTask InitializeAsync() => workspace = await TestWorkspace.StartAsync(provider, Ct);

    public async ValueTask DisposeAsync()
    {
        if (workspace is not null) await workspace.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A real H.264 clip from ffmpeg's test source.</summary>
    private static async Task<byte[]> ClipAsync(int width, int height, double seconds, string color)
    {
        var path = Path.Combine(Path.GetTempPath(), $"i2v-clip-{Guid.NewGuid():N}.mp4");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"color=c={color}:s={width}x{height}:r=16",
                     "-t", seconds.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", path })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync(Ct);
        Assert.Equal(0, process.ExitCode);
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        File.Delete(path);
        return bytes;
    }

    /// <summary>A scene of three shots; the first and third have a chosen captured take (seeds 11 and 33), the second none.</summary>
    private async Task<Guid> SceneAsync()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章\n甲。", "序章", Ct);
        var scene = (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0];
        await workspace.Projects.AddShotAsync(scene.Id, "乙。", Ct);
        await workspace.Projects.AddShotAsync(scene.Id, "丙。", Ct);
        var first = (await workspace.Assets.AddFileAsync(new MemoryStream(await ClipAsync(320, 192, 1, "red")), "a.mp4", Ct)).Asset;
        var third = (await workspace.Assets.AddFileAsync(new MemoryStream(await ClipAsync(200, 200, 1.5, "blue")), "c.mp4", Ct)).Asset;
        await using var db = workspace.OpenDb();
        var shots = await db.Shots.Where(s => s.SceneId == scene.Id).OrderBy(s => s.Order).ToListAsync(Ct);
        var takeA = new Take { ShotId = shots[0].Id, PromptSent = "风格甲。", Seed = 11, JobId = "job-a", Phase = "Succeeded", VideoAssetId = first.Id };
        var takeC = new Take { ShotId = shots[2].Id, PromptSent = "风格丙。", Seed = 33, JobId = "job-c", Phase = "Succeeded", VideoAssetId = third.Id };
        db.Takes.AddRange(takeA, takeC);
        await db.SaveChangesAsync(Ct);
        shots[0].ChosenTakeId = takeA.Id;
        shots[2].ChosenTakeId = takeC.Id;
        await db.SaveChangesAsync(Ct);
        return scene.Id;
    }

    [Fact]
    public async Task WriteZip_TwoChosenOfThree_VideosAndManifestInOrder()
    {
        var scene = await SceneAsync();
        using var buffer = new MemoryStream();

        await Exporter.WriteZipAsync(scene, buffer, Ct);

        buffer.Position = 0;
        using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);
        Assert.Equal(["01.mp4", "03.mp4", "manifest.json"], zip.Entries.Select(e => e.FullName).Order());
        using var manifest = JsonDocument.Parse(await new StreamReader(zip.GetEntry("manifest.json")!.Open()).ReadToEndAsync(Ct));
        var shots = manifest.RootElement.GetProperty("shots").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], shots.Select(s => s.GetProperty("order").GetInt32()));
        Assert.Equal(("风格甲。", 11, "job-a", "01.mp4"), (shots[0].GetProperty("prompt").GetString(), shots[0].GetProperty("seed").GetInt32(),
            shots[0].GetProperty("jobId").GetString(), shots[0].GetProperty("file").GetString()));
        Assert.Equal(JsonValueKind.Null, shots[1].GetProperty("file").ValueKind);
    }

    [Fact]
    public async Task WriteConcatenated_ClipsOfDifferentSizes_OneMp4AsLongAsBoth()
    {
        var scene = await SceneAsync();

        var path = await Exporter.WriteConcatenatedAsync(scene, Ct);

        try
        {
            var probe = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true };
            foreach (var arg in new[] { "-v", "error", "-show_entries", "format=duration:stream=width,height", "-of", "csv=p=0", path }) probe.ArgumentList.Add(arg);
            using var process = Process.Start(probe)!;
            var lines = (await process.StandardOutput.ReadToEndAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            await process.WaitForExitAsync(Ct);
            Assert.Equal("832,480", lines[0].Trim());
            Assert.InRange(double.Parse(lines[1], CultureInfo.InvariantCulture), 2.3, 2.7);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WriteConcatenated_NoChosenTake_RefusedAsNotFound()
    {
        var project = await workspace.Projects.CreateProjectAsync("q", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章\n甲。", "序章", Ct);
        var scene = (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0];

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => Exporter.WriteConcatenatedAsync(scene.Id, Ct));

        Assert.Equal(WorkspaceError.NotFound, e.Code);
    }
}
