using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace I2VStudio.Workspace.Export;

/// <summary>One shot of a scene's cut: its chosen take and that take's captured video.</summary>
/// <param name="Order">Position in the scene, from 1.</param>
/// <param name="ShotId">The shot.</param>
/// <param name="Prompt">The prompt the take sent.</param>
/// <param name="Seed">The seed the take sent.</param>
/// <param name="JobId">The backend's job id.</param>
/// <param name="VideoAssetId">The captured video; null when the shot has no chosen, captured take (left out of the cut).</param>
public sealed record CutShot(int Order, Guid ShotId, string? Prompt, int? Seed, string? JobId, Guid? VideoAssetId);

/// <summary>A scene's chosen takes in order (the preview plays them; the exports pack them).</summary>
/// <param name="SceneTitle">The scene.</param>
/// <param name="Shots">Every live shot in order; those without a chosen captured take have no video.</param>
public sealed record SceneCut(string SceneTitle, IReadOnlyList<CutShot> Shots)
{
    /// <summary>The shots that have a video.</summary>
    public IEnumerable<CutShot> Playable => Shots.Where(s => s.VideoAssetId is not null);
}

/// <summary>Scene preview and export: a ZIP of the chosen takes' videos plus a manifest (order, prompt, seed, job id),
/// and one MP4 of them end to end (ffmpeg).</summary>
public sealed class SceneExporter(IDbContextFactory<WorkspaceDbContext> contexts, AssetStore assets, IOptions<WorkspaceOptions> options)
{
    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The scene's cut.</summary>
    public async Task<SceneCut> GetCutAsync(Guid sceneId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var scene = await db.Scenes.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sceneId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        var rows = await (
            from shot in db.Shots
            where shot.SceneId == sceneId
            orderby shot.Order
            join take in db.Takes on shot.ChosenTakeId equals take.Id into chosen
            from take in chosen.DefaultIfEmpty()
            select new { shot.Id, Prompt = take == null ? null : take.PromptSent, Seed = take == null ? (int?)null : take.Seed, JobId = take == null ? null : take.JobId, Video = take == null ? null : take.VideoAssetId })
            .AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return new SceneCut(scene.Title, [.. rows.Select((r, i) => new CutShot(i + 1, r.Id, r.Prompt, r.Seed, r.JobId, r.Video))]);
    }

    /// <summary>Writes a ZIP: <c>manifest.json</c> and one <c>NN.mp4</c> per shot with a chosen captured take.</summary>
    public async Task WriteZipAsync(Guid sceneId, Stream output, CancellationToken cancellationToken)
    {
        var cut = await GetCutAsync(sceneId, cancellationToken).ConfigureAwait(false);
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var manifest = new List<object>();
        foreach (var shot in cut.Shots)
        {
            string? file = null;
            if (shot.VideoAssetId is { } videoId && await assets.FindAsync(videoId, cancellationToken).ConfigureAwait(false) is { } video)
            {
                file = $"{shot.Order:00}.mp4";
                // Videos are already compressed: store them as they are.
                var entry = zip.CreateEntry(file, CompressionLevel.NoCompression);
                await using var target = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var source = File.OpenRead(assets.PathOf(video));
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
            manifest.Add(new { order = shot.Order, shotId = shot.ShotId, prompt = shot.Prompt, seed = shot.Seed, jobId = shot.JobId, file });
        }
        var manifestEntry = zip.CreateEntry("manifest.json", CompressionLevel.Optimal);
        await using var stream = await manifestEntry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(stream, new { scene = cut.SceneTitle, shots = manifest }, ManifestJson, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Joins the chosen takes into one MP4 (H.264, each clip scaled and padded to the frame size) and returns
    /// the temporary file's path; the caller deletes it. Throws <see cref="WorkspaceException"/> (NotFound) when no
    /// shot has a chosen captured take.</summary>
    public async Task<string> WriteConcatenatedAsync(Guid sceneId, CancellationToken cancellationToken)
    {
        var cut = await GetCutAsync(sceneId, cancellationToken).ConfigureAwait(false);
        var inputs = new List<string>();
        foreach (var shot in cut.Playable)
        {
            if (await assets.FindAsync(shot.VideoAssetId!.Value, cancellationToken).ConfigureAwait(false) is { } video) inputs.Add(assets.PathOf(video));
        }
        if (inputs.Count == 0) throw new WorkspaceException(WorkspaceError.NotFound);

        var output = Path.Combine(Path.GetTempPath(), $"i2v-scene-{Guid.NewGuid():N}.mp4");
        var (width, height) = (options.Value.ExportWidth, options.Value.ExportHeight);
        var start = new ProcessStartInfo(options.Value.FfmpegPath) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-y" }) start.ArgumentList.Add(arg);
        foreach (var input in inputs)
        {
            start.ArgumentList.Add("-i");
            start.ArgumentList.Add(input);
        }
        var filter = string.Concat(inputs.Select((_, i) => string.Create(CultureInfo.InvariantCulture,
            $"[{i}:v]scale={width}:{height}:force_original_aspect_ratio=decrease,pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=16[v{i}];")))
            + string.Concat(inputs.Select((_, i) => $"[v{i}]")) + $"concat=n={inputs.Count}:v=1:a=0[out]";
        foreach (var arg in new[] { "-filter_complex", filter, "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", output })
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            File.Delete(output);
            throw new InvalidOperationException($"ffmpeg failed ({process.ExitCode}): {await errors.ConfigureAwait(false)}");
        }
        return output;
    }
}
