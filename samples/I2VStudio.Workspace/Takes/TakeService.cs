using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace I2VStudio.Workspace.Takes;

/// <summary>A shot for its editor: the shot, its project (style and defaults) and its takes, newest first.</summary>
/// <param name="Project">The project (no tree).</param>
/// <param name="ChapterTitle">The chapter's title.</param>
/// <param name="SceneTitle">The scene's title.</param>
/// <param name="Shot">The shot.</param>
/// <param name="Takes">Its takes, newest first.</param>
public sealed record ShotView(Project Project, string ChapterTitle, string SceneTitle, Shot Shot, IReadOnlyList<Take> Takes);

/// <summary>Where a shot is, for a picker: "project › chapter › scene › shot N" and its prompt.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="ShotId">The shot.</param>
/// <param name="Project">The project's name.</param>
/// <param name="Chapter">The chapter's title.</param>
/// <param name="Scene">The scene's title.</param>
/// <param name="ShotNumber">The shot's number in its scene, from 1.</param>
/// <param name="Prompt">The shot's prompt.</param>
public sealed record ShotPlace(Guid ProjectId, Guid ShotId, string Project, string Chapter, string Scene, int ShotNumber, string Prompt);

/// <summary>The shot editor's edits: the shot's prompt, source image and parameter overrides, and the take board's
/// choose / reject / rate.</summary>
public sealed class TakeService(IDbContextFactory<WorkspaceDbContext> contexts, IOptions<WorkspaceOptions> options)
{
    /// <summary>The shot with its project and takes.</summary>
    public async Task<ShotView> GetShotAsync(Guid shotId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await (
            from shot in db.Shots
            where shot.Id == shotId
            join scene in db.Scenes on shot.SceneId equals scene.Id
            join chapter in db.Chapters on scene.ChapterId equals chapter.Id
            join project in db.Projects on chapter.ProjectId equals project.Id
            select new { shot, scene.Title, ChapterTitle = chapter.Title, project }).AsNoTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        var takes = await db.Takes.AsNoTracking().Where(t => t.ShotId == shotId).OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new ShotView(row.project, row.ChapterTitle, row.Title, row.shot, takes);
    }

    /// <summary>Shots whose project name, chapter or scene title, or prompt contains <paramref name="query"/> (any case;
    /// all shots when empty), in tree order, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<ShotPlace>> FindShotsAsync(string? query, int max, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var places =
            from shot in db.Shots
            join scene in db.Scenes on shot.SceneId equals scene.Id
            join chapter in db.Chapters on scene.ChapterId equals chapter.Id
            join project in db.Projects on chapter.ProjectId equals project.Id
            select new { project, chapter, scene, shot };
        if (query?.Trim().ToLowerInvariant() is { Length: > 0 } q)
        {
#pragma warning disable CA1304, CA1311, CA1862 // ToLower() is translated to SQL (lower()); a culture overload is not.
            places = places.Where(p => p.project.Name.ToLower().Contains(q) || p.chapter.Title.ToLower().Contains(q)
                || p.scene.Title.ToLower().Contains(q) || p.shot.Prompt.ToLower().Contains(q));
#pragma warning restore CA1304, CA1311, CA1862
        }
        return await places
            .OrderBy(p => p.project.Name).ThenBy(p => p.chapter.Order).ThenBy(p => p.scene.Order).ThenBy(p => p.shot.Order)
            .Take(max)
            .Select(p => new ShotPlace(p.project.Id, p.shot.Id, p.project.Name, p.chapter.Title, p.scene.Title, p.shot.Order + 1, p.shot.Prompt))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves the shot's prompt, notes and overrides (null: inherit the project's) from the version read.</summary>
    public async Task<Shot> UpdateShotAsync(Guid shotId, long expectedVersion, ShotSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Prompt.Length > WorkspaceLimits.PromptLength) throw new WorkspaceException(WorkspaceError.TooLarge, WorkspaceLimits.PromptLength);
        WorkspaceLimits.CheckDuration(settings.DurationSeconds, options.Value.MaxDurationSeconds);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var shot = await db.Shots.FirstOrDefaultAsync(s => s.Id == shotId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        db.Entry(shot).Property(s => s.Version).OriginalValue = expectedVersion;
        shot.Prompt = settings.Prompt.Trim();
        shot.Notes = settings.Notes;
        shot.NumStepsOverride = settings.NumSteps;
        shot.SeedOverride = settings.Seed;
        shot.QuantizedOverride = settings.Quantized;
        shot.DurationOverride = settings.DurationSeconds;
        shot.EnhancePromptOverride = settings.EnhancePrompt;
        await ProjectService.SaveAsync(db, cancellationToken).ConfigureAwait(false);
        return shot;
    }

    /// <summary>Sets the shot's source image (an image asset).</summary>
    public async Task SetSourceImageAsync(Guid shotId, Guid assetId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Assets.AnyAsync(a => a.Id == assetId && a.Kind == AssetKind.Image, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.NotFound);
        var shot = await db.Shots.FirstOrDefaultAsync(s => s.Id == shotId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        shot.SourceImageAssetId = assetId;
        await ProjectService.SaveAsync(db, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stars a take as the shot's chosen one (choosing the chosen one again clears it).</summary>
    public Task ChooseAsync(Guid takeId, CancellationToken cancellationToken) =>
        ApplyToTakeAsync(takeId, async (db, take) =>
        {
            var shot = await db.Shots.FirstAsync(s => s.Id == take.ShotId, cancellationToken).ConfigureAwait(false);
            shot.ChosenTakeId = shot.ChosenTakeId == takeId ? null : takeId;
            if (shot.ChosenTakeId == takeId) take.Rejected = false;
        }, cancellationToken);

    /// <summary>Rejects a take (or takes the rejection back); a rejected take is no longer the chosen one.</summary>
    public Task SetRejectedAsync(Guid takeId, bool rejected, CancellationToken cancellationToken) =>
        ApplyToTakeAsync(takeId, async (db, take) =>
        {
            take.Rejected = rejected;
            if (!rejected) return;
            var shot = await db.Shots.FirstAsync(s => s.Id == take.ShotId, cancellationToken).ConfigureAwait(false);
            if (shot.ChosenTakeId == takeId) shot.ChosenTakeId = null;
        }, cancellationToken);

    /// <summary>Rates a take 1–5 (null clears).</summary>
    public Task RateAsync(Guid takeId, int? rating, CancellationToken cancellationToken)
    {
        if (rating is < 1 or > 5) throw new WorkspaceException(WorkspaceError.OutOfRange, 5);
        return ApplyToTakeAsync(takeId, (_, take) =>
        {
            take.Rating = rating;
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>
    /// Loads the take afresh, applies <paramref name="change"/> and saves only what it changed (never the runner's
    /// job columns, which the runner writes without raising the version). A star or a rejection also saves the shot,
    /// which another tab may save meanwhile: these set a value on what was just read, with nothing the user saw stale,
    /// so they are applied again on the fresh rows instead of reported as a conflict.
    /// </summary>
    private async Task ApplyToTakeAsync(Guid takeId, Func<WorkspaceDbContext, Take, Task> change, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var take = await db.Takes.FirstOrDefaultAsync(t => t.Id == takeId, cancellationToken).ConfigureAwait(false)
                ?? throw new WorkspaceException(WorkspaceError.NotFound);
            await change(db, take).ConfigureAwait(false);
            try
            {
                await ProjectService.SaveAsync(db, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (WorkspaceException e) when (e.Code == WorkspaceError.Conflict && attempt < attempts)
            {
                // Another tab saved this take or its shot in between: read again and apply again.
            }
        }
    }
}

/// <summary>A shot's editable settings.</summary>
/// <param name="Prompt">The shot's own prompt.</param>
/// <param name="Notes">Free notes.</param>
/// <param name="NumSteps">Override of the project's steps (null: inherit).</param>
/// <param name="Seed">Override of the project's seed (null: inherit).</param>
/// <param name="Quantized">Override of the project's quantized setting (null: inherit).</param>
/// <param name="DurationSeconds">Override of the project's clip length in seconds (null: inherit).</param>
/// <param name="EnhancePrompt">Override of the project's prompt enhancement (null: inherit).</param>
public sealed record ShotSettings(string Prompt, string Notes, int? NumSteps, int? Seed, bool? Quantized, double? DurationSeconds, bool? EnhancePrompt);
