using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Novel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace I2VStudio.Workspace.Services;

/// <summary>Which level of the project tree a node is.</summary>
public enum TreeNodeKind
{
    /// <summary>A chapter.</summary>
    Chapter,

    /// <summary>A scene.</summary>
    Scene,

    /// <summary>A shot.</summary>
    Shot,
}

/// <summary>A project in the list.</summary>
/// <param name="Id">Identity.</param>
/// <param name="Name">Name.</param>
/// <param name="Chapters">Number of live chapters.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record ProjectSummary(Guid Id, string Name, int Chapters, DateTime CreatedAt);

/// <summary>How much a chapter holds.</summary>
/// <param name="Scenes">Live scenes.</param>
/// <param name="Shots">Live shots in those scenes.</param>
public sealed record TreeCounts(int Scenes, int Shots);

/// <summary>The project page's tree: see <see cref="ProjectService.GetOutlineAsync"/>.</summary>
/// <param name="Project">The project with every live chapter; scenes and shots only in the expanded ones.</param>
/// <param name="Counts">Each live chapter's scene and shot counts, by chapter id.</param>
public sealed record ProjectOutline(Project Project, IReadOnlyDictionary<Guid, TreeCounts> Counts);

/// <summary>What an import added.</summary>
/// <param name="Chapters">Chapters added.</param>
/// <param name="Scenes">Scenes added.</param>
/// <param name="Shots">Shots added (one per scene, prompt = the scene's first sentence).</param>
public sealed record ImportResult(int Chapters, int Scenes, int Shots);

/// <summary>Projects and their tree (chapters, scenes, shots): create, import, rename, reorder, delete with undo. Every
/// edit names the version it was made from; a save over a newer version throws <see cref="WorkspaceError.Conflict"/>
/// and changes nothing.</summary>
public sealed class ProjectService(IDbContextFactory<WorkspaceDbContext> contexts, TimeProvider time, IOptions<WorkspaceOptions> options)
{
    /// <summary>Live projects, newest first.</summary>
    public async Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Projects.AsNoTracking()
            .OrderByDescending(p => p.CreatedAt)
            .Select(p => new ProjectSummary(p.Id, p.Name, p.Chapters.Count(c => c.DeletedAt == null), p.CreatedAt))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a project; the name must be new among live projects. Its clip length starts at the configured
    /// default, taken down to the configured limit (so a lowered limit never leaves a new project's takes refused).</summary>
    public async Task<Project> CreateProjectAsync(string name, CancellationToken cancellationToken)
    {
        var clean = CleanName(name);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Projects.AnyAsync(p => p.Name == clean, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.DuplicateName, clean);
        var project = new Project
        {
            Name = clean,
            DefaultDurationSeconds = Math.Min(options.Value.DefaultDurationSeconds, options.Value.MaxDurationSeconds),
            CreatedAt = Now,
        };
        db.Projects.Add(project);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return project;
    }

    /// <summary>The project with its live chapters, scenes and shots in order (read-only copies).</summary>
    public async Task<Project> GetTreeAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var project = await db.Projects.AsNoTracking().AsSplitQuery()
            .Include(p => p.Chapters.OrderBy(c => c.Order))
            .ThenInclude(c => c.Scenes.OrderBy(s => s.Order))
            .ThenInclude(s => s.Shots.OrderBy(s => s.Order))
            .FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken).ConfigureAwait(false);
        return project ?? throw new WorkspaceException(WorkspaceError.NotFound);
    }

    /// <summary>The project page's view of the tree: every live chapter in order with its scene and shot counts, and the
    /// scenes and shots (as <see cref="GetTreeAsync"/> has them) only of the chapters in <paramref name="expandedChapters"/>.
    /// A collapsed chapter has an empty <see cref="Chapter.Scenes"/> and no <see cref="Chapter.Text"/>: a project of
    /// thousands of shots opens with one small query and loads a chapter's shots when it is opened.</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="expandedChapters">Chapters whose scenes and shots are wanted.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<ProjectOutline> GetOutlineAsync(Guid projectId, IReadOnlyCollection<Guid> expandedChapters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expandedChapters);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        // One query for the chapter list and its counts (the soft-delete filters apply to the counted navigations too).
        var rows = await db.Chapters.AsNoTracking().Where(c => c.ProjectId == projectId).OrderBy(c => c.Order)
            .Select(c => new
            {
                Chapter = new Chapter { Id = c.Id, ProjectId = c.ProjectId, Order = c.Order, Title = c.Title, Version = c.Version },
                Scenes = c.Scenes.Count(),
                Shots = c.Scenes.SelectMany(s => s.Shots).Count(),
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<Guid, TreeCounts>(rows.Count);
        foreach (var row in rows)
        {
            project.Chapters.Add(row.Chapter);
            counts[row.Chapter.Id] = new TreeCounts(row.Scenes, row.Shots);
        }

        var open = rows.Select(r => r.Chapter.Id).Where(expandedChapters.Contains).ToList();
        if (open.Count > 0)
        {
            var scenes = await db.Scenes.AsNoTracking().AsSplitQuery()
                .Where(s => open.Contains(s.ChapterId))
                .OrderBy(s => s.Order)
                .Include(s => s.Shots.OrderBy(x => x.Order))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var byId = project.Chapters.ToDictionary(c => c.Id);
            foreach (var scene in scenes) byId[scene.ChapterId].Scenes.Add(scene);
        }
        return new ProjectOutline(project, counts);
    }

    /// <summary>Renames the project and sets its style and default parameters.</summary>
    public async Task<Project> UpdateProjectAsync(Guid projectId, long expectedVersion, ProjectSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var name = CleanName(settings.Name);
        if (settings.StylePrefix.Length > WorkspaceLimits.StyleLength || settings.StyleSuffix.Length > WorkspaceLimits.StyleLength)
            throw new WorkspaceException(WorkspaceError.TooLarge, WorkspaceLimits.StyleLength);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        // A clip length sent back unchanged is not judged again: it may predate a lower limit, and on a Legacy backend its
        // field is hidden, so it must not block the rest of the save. A take checks the length it sends anyway.
        if (settings.DurationSeconds != project.DefaultDurationSeconds)
            WorkspaceLimits.CheckDuration(settings.DurationSeconds, options.Value.MaxDurationSeconds);
        if (await db.Projects.AnyAsync(p => p.Name == name && p.Id != projectId, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.DuplicateName, name);
        db.Entry(project).Property(p => p.Version).OriginalValue = expectedVersion;
        project.Name = name;
        project.StylePrefix = settings.StylePrefix;
        project.StyleSuffix = settings.StyleSuffix;
        project.DefaultNumSteps = settings.NumSteps;
        project.DefaultSeed = settings.Seed;
        project.DefaultQuantized = settings.Quantized;
        project.DefaultDurationSeconds = settings.DurationSeconds;
        project.DefaultEnhancePrompt = settings.EnhancePrompt;
        await SaveAsync(db, cancellationToken).ConfigureAwait(false);
        return project;
    }

    /// <summary>Deletes the project (undo: <see cref="RestoreProjectAsync"/>).</summary>
    public async Task DeleteProjectAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        project.DeletedAt = Now;
        await SaveAsync(db, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Brings a deleted project back (refused if its name was taken meanwhile).</summary>
    public async Task RestoreProjectAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var project = await db.Projects.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        if (await db.Projects.AnyAsync(p => p.Name == project.Name, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.DuplicateName, project.Name);
        project.DeletedAt = null;
        await SaveAsync(db, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the novel's chapters after the project's last chapter: one scene per <c>---</c> block and one shot per
    /// scene. Refused whole (nothing added) for empty or oversized text, too many chapters or scenes, or a chapter title
    /// that repeats (in the text or beside an existing chapter).</summary>
    /// <param name="projectId">The project.</param>
    /// <param name="text">The novel text.</param>
    /// <param name="untitledChapter">Title for text before the first heading.</param>
    /// <param name="cancellationToken">Cancels the import.</param>
    public async Task<ImportResult> ImportNovelAsync(Guid projectId, string text, string untitledChapter, CancellationToken cancellationToken)
    {
        var parsed = NovelParser.Parse(text, untitledChapter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.NotFound);
        var taken = new HashSet<string>(
            await db.Chapters.Where(c => c.ProjectId == projectId).Select(c => c.Title).ToListAsync(cancellationToken).ConfigureAwait(false),
            StringComparer.Ordinal);
        foreach (var chapter in parsed)
        {
            if (!taken.Add(chapter.Title)) throw new WorkspaceException(WorkspaceError.DuplicateName, chapter.Title);
        }

        var order = await NextChapterOrderAsync(db, projectId, cancellationToken).ConfigureAwait(false);
        var scenes = 0;
        foreach (var parsedChapter in parsed)
        {
            var chapter = new Chapter { ProjectId = projectId, Order = order++, Title = parsedChapter.Title, Text = parsedChapter.Text };
            var titles = new HashSet<string>(StringComparer.Ordinal);
            var sceneOrder = 0;
            foreach (var parsedScene in parsedChapter.Scenes)
            {
                // Scene titles come from first sentences and may repeat; they are numbered rather than refused.
                var title = parsedScene.Title;
                for (var n = 2; !titles.Add(title); n++) title = $"{parsedScene.Title} ({n})";
                var scene = new Scene { Order = sceneOrder++, Title = title, Narration = parsedScene.Narration };
                scene.Shots.Add(new Shot { Order = 0, Prompt = parsedScene.FirstSentence });
                chapter.Scenes.Add(scene);
                scenes++;
            }
            db.Chapters.Add(chapter);
        }
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new ImportResult(parsed.Count, scenes, scenes);
    }

    /// <summary>Adds an empty chapter at the end.</summary>
    public async Task<Chapter> AddChapterAsync(Guid projectId, string title, CancellationToken cancellationToken)
    {
        var clean = CleanName(title);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.NotFound);
        if (await db.Chapters.AnyAsync(c => c.ProjectId == projectId && c.Title == clean, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.DuplicateName, clean);
        var chapter = new Chapter { ProjectId = projectId, Title = clean, Order = await NextChapterOrderAsync(db, projectId, cancellationToken).ConfigureAwait(false) };
        db.Chapters.Add(chapter);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return chapter;
    }

    /// <summary>Adds an empty scene at the end of a chapter.</summary>
    public async Task<Scene> AddSceneAsync(Guid chapterId, string title, CancellationToken cancellationToken)
    {
        var clean = CleanName(title);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Chapters.AnyAsync(c => c.Id == chapterId, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.NotFound);
        if (await db.Scenes.AnyAsync(s => s.ChapterId == chapterId && s.Title == clean, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.DuplicateName, clean);
        var order = await db.Scenes.IgnoreQueryFilters().Where(s => s.ChapterId == chapterId)
            .MaxAsync(s => (int?)s.Order, cancellationToken).ConfigureAwait(false) ?? -1;
        var scene = new Scene { ChapterId = chapterId, Title = clean, Order = order + 1 };
        db.Scenes.Add(scene);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return scene;
    }

    /// <summary>Adds a shot at the end of a scene.</summary>
    public async Task<Shot> AddShotAsync(Guid sceneId, string prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Length > WorkspaceLimits.PromptLength) throw new WorkspaceException(WorkspaceError.TooLarge, WorkspaceLimits.PromptLength);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (!await db.Scenes.AnyAsync(s => s.Id == sceneId, cancellationToken).ConfigureAwait(false))
            throw new WorkspaceException(WorkspaceError.NotFound);
        var order = await db.Shots.IgnoreQueryFilters().Where(s => s.SceneId == sceneId)
            .MaxAsync(s => (int?)s.Order, cancellationToken).ConfigureAwait(false) ?? -1;
        var shot = new Shot { SceneId = sceneId, Prompt = prompt.Trim(), Order = order + 1 };
        db.Shots.Add(shot);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return shot;
    }

    /// <summary>Renames a chapter or a scene, or sets a shot's prompt (a shot is named by its prompt).</summary>
    public async Task RenameAsync(TreeNodeKind kind, Guid id, long expectedVersion, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        switch (kind)
        {
            case TreeNodeKind.Chapter:
                {
                    var clean = CleanName(name);
                    var chapter = await db.Chapters.FirstOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    if (await db.Chapters.AnyAsync(c => c.ProjectId == chapter.ProjectId && c.Title == clean && c.Id != id, cancellationToken).ConfigureAwait(false))
                        throw new WorkspaceException(WorkspaceError.DuplicateName, clean);
                    db.Entry(chapter).Property(c => c.Version).OriginalValue = expectedVersion;
                    chapter.Title = clean;
                    break;
                }
            case TreeNodeKind.Scene:
                {
                    var clean = CleanName(name);
                    var scene = await db.Scenes.FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    if (await db.Scenes.AnyAsync(s => s.ChapterId == scene.ChapterId && s.Title == clean && s.Id != id, cancellationToken).ConfigureAwait(false))
                        throw new WorkspaceException(WorkspaceError.DuplicateName, clean);
                    db.Entry(scene).Property(s => s.Version).OriginalValue = expectedVersion;
                    scene.Title = clean;
                    break;
                }
            default:
                {
                    ArgumentNullException.ThrowIfNull(name);
                    if (name.Length > WorkspaceLimits.PromptLength) throw new WorkspaceException(WorkspaceError.TooLarge, WorkspaceLimits.PromptLength);
                    var shot = await db.Shots.FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    db.Entry(shot).Property(s => s.Version).OriginalValue = expectedVersion;
                    shot.Prompt = name.Trim();
                    break;
                }
        }
        await SaveAsync(db, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves a node one place up (<paramref name="delta"/> −1) or down (+1) among its live siblings; a move past
    /// either end does nothing.</summary>
    public async Task MoveAsync(TreeNodeKind kind, Guid id, int delta, CancellationToken cancellationToken)
    {
        if (delta is not (-1 or 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Move by one place: -1 or 1.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IOrdered node;
        List<IOrdered> siblings;
        switch (kind)
        {
            case TreeNodeKind.Chapter:
                {
                    var chapter = await db.Chapters.FirstOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    node = chapter;
                    siblings = [.. await db.Chapters.Where(c => c.ProjectId == chapter.ProjectId).OrderBy(c => c.Order).ToListAsync(cancellationToken).ConfigureAwait(false)];
                    break;
                }
            case TreeNodeKind.Scene:
                {
                    var scene = await db.Scenes.FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    node = scene;
                    siblings = [.. await db.Scenes.Where(s => s.ChapterId == scene.ChapterId).OrderBy(s => s.Order).ToListAsync(cancellationToken).ConfigureAwait(false)];
                    break;
                }
            default:
                {
                    var shot = await db.Shots.FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    node = shot;
                    siblings = [.. await db.Shots.Where(s => s.SceneId == shot.SceneId).OrderBy(s => s.Order).ToListAsync(cancellationToken).ConfigureAwait(false)];
                    break;
                }
        }
        var index = siblings.IndexOf(node);
        var target = index + delta;
        if (target < 0 || target >= siblings.Count) return;
        var other = siblings[target];
        (node.Order, other.Order) = (other.Order, node.Order);
        await SaveAsync(db, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a node with everything under it; <see cref="RestoreAsync"/> undoes it.</summary>
    public async Task DeleteAsync(TreeNodeKind kind, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        ISoftDeletable node = kind switch
        {
            TreeNodeKind.Chapter => (ISoftDeletable?)await db.Chapters.FirstOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false),
            TreeNodeKind.Scene => await db.Scenes.FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false),
            _ => await db.Shots.FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false),
        } ?? throw new WorkspaceException(WorkspaceError.NotFound);
        node.DeletedAt = Now;
        await SaveAsync(db, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Undoes <see cref="DeleteAsync"/>: the node comes back in its old place (refused if its name was taken).</summary>
    public async Task RestoreAsync(TreeNodeKind kind, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        switch (kind)
        {
            case TreeNodeKind.Chapter:
                {
                    var chapter = await db.Chapters.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    if (await db.Chapters.AnyAsync(c => c.ProjectId == chapter.ProjectId && c.Title == chapter.Title, cancellationToken).ConfigureAwait(false))
                        throw new WorkspaceException(WorkspaceError.DuplicateName, chapter.Title);
                    chapter.DeletedAt = null;
                    break;
                }
            case TreeNodeKind.Scene:
                {
                    var scene = await db.Scenes.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    if (await db.Scenes.AnyAsync(s => s.ChapterId == scene.ChapterId && s.Title == scene.Title, cancellationToken).ConfigureAwait(false))
                        throw new WorkspaceException(WorkspaceError.DuplicateName, scene.Title);
                    scene.DeletedAt = null;
                    break;
                }
            default:
                {
                    var shot = await db.Shots.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)
                        ?? throw new WorkspaceException(WorkspaceError.NotFound);
                    shot.DeletedAt = null;
                    break;
                }
        }
        await SaveAsync(db, cancellationToken).ConfigureAwait(false);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static async Task<int> NextChapterOrderAsync(WorkspaceDbContext db, Guid projectId, CancellationToken cancellationToken) =>
        (await db.Chapters.IgnoreQueryFilters().Where(c => c.ProjectId == projectId)
            .MaxAsync(c => (int?)c.Order, cancellationToken).ConfigureAwait(false) ?? -1) + 1;

    internal static string CleanName(string? name)
    {
        var clean = name?.Trim() ?? "";
        if (clean.Length == 0) throw new WorkspaceException(WorkspaceError.NameRequired);
        if (clean.Length > WorkspaceLimits.NameLength) throw new WorkspaceException(WorkspaceError.NameTooLong, WorkspaceLimits.NameLength);
        return clean;
    }

    internal static async Task SaveAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new WorkspaceException(WorkspaceError.Conflict, e);
        }
    }
}

/// <summary>A project's editable settings.</summary>
/// <param name="Name">Name (unique).</param>
/// <param name="StylePrefix">Before every shot prompt.</param>
/// <param name="StyleSuffix">After every shot prompt.</param>
/// <param name="NumSteps">Default sampling steps.</param>
/// <param name="Seed">Default seed (null: random per take).</param>
/// <param name="Quantized">Default quantized setting.</param>
/// <param name="DurationSeconds">Default clip length in seconds (sent on VideoGen).</param>
/// <param name="EnhancePrompt">Default prompt enhancement (sent on VideoGen).</param>
public sealed record ProjectSettings(string Name, string StylePrefix, string StyleSuffix, int NumSteps, int? Seed, bool Quantized,
    double DurationSeconds, bool EnhancePrompt);
