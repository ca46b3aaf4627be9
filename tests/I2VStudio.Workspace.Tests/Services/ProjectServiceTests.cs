using I2VStudio.Workspace.Services;
using I2VStudio.Workspace.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace I2VStudio.Workspace.Tests.Services;

public sealed class SqliteProjectServiceTests() : ProjectServiceTests(TestProvider.Sqlite);

public sealed class PostgresProjectServiceTests() : ProjectServiceTests(TestProvider.Postgres);

public abstract class ProjectServiceTests(TestProvider provider) : IAsyncLifetime
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
    public async Task Start_FreshFolder_MigrationsApplied()
    {
        await using var db = workspace.OpenDb();

        var applied = await db.Database.GetAppliedMigrationsAsync(Ct);

        Assert.Single(applied, m => m.EndsWith("_Initial", StringComparison.Ordinal));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Fact]
    public async Task CreateProject_NameTaken_RefusedAsDuplicate()
    {
        await workspace.Projects.CreateProjectAsync("雨夜", Ct);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Projects.CreateProjectAsync(" 雨夜 ", Ct));

        Assert.Equal(WorkspaceError.DuplicateName, e.Code);
        Assert.Equal("雨夜", e.Arguments[0]);
    }

    [Fact]
    public async Task ImportNovel_ChaptersAndScenes_OneShotPerSceneWithFirstSentence()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);

        var result = await workspace.Projects.ImportNovelAsync(project.Id, "第一章 起\n甲。乙。\n---\n丙！\n第二章 承\n丁。", "序章", Ct);

        var tree = await workspace.Projects.GetTreeAsync(project.Id, Ct);
        Assert.Equal(new ImportResult(2, 3, 3), result);
        Assert.Equal(["甲。", "丙！", "丁。"], tree.Chapters.SelectMany(c => c.Scenes).SelectMany(s => s.Shots).Select(s => s.Prompt));
    }

    [Fact]
    public async Task ImportNovel_ChapterTitleAlreadyInProject_RefusedAndNothingAdded()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章\n甲。", "序章", Ct);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() =>
            workspace.Projects.ImportNovelAsync(project.Id, "第二章\n乙。\n第一章\n丙。", "序章", Ct));

        Assert.Equal(WorkspaceError.DuplicateName, e.Code);
        Assert.Single((await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters);
    }

    [Fact]
    public async Task ImportNovel_TenThousandScenes_RefusedAndNothingAdded()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        var text = "第一章 长夜\n" + string.Join("\n---\n", Enumerable.Range(0, 10_000).Select(i => $"场景{i}。"));

        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Projects.ImportNovelAsync(project.Id, text, "序章", Ct));

        Assert.Equal((WorkspaceError.TooManyScenes, 10_000), (e.Code, (int)e.Arguments[0]));
        Assert.Empty((await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters);
    }

    [Fact]
    public async Task ImportNovel_SameChapterTitleTwiceInText_RefusedAndNothingAdded()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() =>
            workspace.Projects.ImportNovelAsync(project.Id, "第一章 雨\n甲。\n第一章 雨\n乙。", "序章", Ct));

        Assert.Equal(WorkspaceError.DuplicateName, e.Code);
        Assert.Empty((await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters);
    }

    [Fact]
    public async Task AddChapterAndScene_TitleTaken_RefusedAsDuplicateAndNotAdded()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        var chapter = await workspace.Projects.AddChapterAsync(project.Id, "第一章", Ct);
        await workspace.Projects.AddSceneAsync(chapter.Id, "渡口", Ct);

        var chapterTwice = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Projects.AddChapterAsync(project.Id, " 第一章 ", Ct));
        var sceneTwice = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Projects.AddSceneAsync(chapter.Id, "渡口", Ct));

        Assert.Equal((WorkspaceError.DuplicateName, WorkspaceError.DuplicateName), (chapterTwice.Code, sceneTwice.Code));
        var tree = await workspace.Projects.GetTreeAsync(project.Id, Ct);
        Assert.Single(Assert.Single(tree.Chapters).Scenes);
    }

    [Fact]
    public async Task UpdateProject_StoredDurationOverTheLimitSentUnchanged_RestSavedAndDurationKept()
    {
        // Stored before the limit was lowered; the field is hidden on a Legacy backend, so the page sends it back as read.
        var created = await workspace.Projects.CreateProjectAsync("p", Ct);
        await using (var db = workspace.OpenDb())
        {
            (await db.Projects.SingleAsync(p => p.Id == created.Id, Ct)).DefaultDurationSeconds = 12;
            await db.SaveChangesAsync(Ct);
        }
        var read = (await workspace.Projects.GetTreeAsync(created.Id, Ct)).Version;

        await workspace.Projects.UpdateProjectAsync(created.Id, read, new ProjectSettings("p", "水墨风格，", "", 4, null, true, 12, false), Ct);

        var saved = await workspace.Projects.GetTreeAsync(created.Id, Ct);
        Assert.Equal(("水墨风格，", 12.0), (saved.StylePrefix, saved.DefaultDurationSeconds));
    }

    [Fact]
    public async Task UpdateProject_SecondTabSavesStaleCopy_ConflictAndFirstEditKept()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        var read = project.Version;
        await workspace.Projects.UpdateProjectAsync(project.Id, read, new ProjectSettings("p", "水墨风格，", "", 4, null, true, 5, false), Ct);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() =>
            workspace.Projects.UpdateProjectAsync(project.Id, read, new ProjectSettings("p", "赛博朋克，", "", 4, null, true, 5, false), Ct));

        Assert.Equal(WorkspaceError.Conflict, e.Code);
        Assert.Equal("水墨风格，", (await workspace.Projects.GetTreeAsync(project.Id, Ct)).StylePrefix);
    }

    [Fact]
    public async Task RenameChapter_StaleVersion_ConflictAndTitleKept()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        var chapter = await workspace.Projects.AddChapterAsync(project.Id, "一", Ct);
        await workspace.Projects.RenameAsync(TreeNodeKind.Chapter, chapter.Id, chapter.Version, "二", Ct);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() =>
            workspace.Projects.RenameAsync(TreeNodeKind.Chapter, chapter.Id, chapter.Version, "三", Ct));

        Assert.Equal(WorkspaceError.Conflict, e.Code);
        Assert.Equal("二", (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters.Single().Title);
    }

    [Fact]
    public async Task RenameScene_ToSiblingName_RefusedAsDuplicate()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        var chapter = await workspace.Projects.AddChapterAsync(project.Id, "一", Ct);
        await workspace.Projects.AddSceneAsync(chapter.Id, "湖边", Ct);
        var second = await workspace.Projects.AddSceneAsync(chapter.Id, "桥上", Ct);

        var e = await Assert.ThrowsAsync<WorkspaceException>(() =>
            workspace.Projects.RenameAsync(TreeNodeKind.Scene, second.Id, second.Version, "湖边", Ct));

        Assert.Equal(WorkspaceError.DuplicateName, e.Code);
    }

    [Fact]
    public async Task MoveChapter_Up_SwapsWithPrevious()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        await workspace.Projects.AddChapterAsync(project.Id, "一", Ct);
        var second = await workspace.Projects.AddChapterAsync(project.Id, "二", Ct);

        await workspace.Projects.MoveAsync(TreeNodeKind.Chapter, second.Id, -1, Ct);

        Assert.Equal(["二", "一"], (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters.Select(c => c.Title));
    }

    [Fact]
    public async Task DeleteChapter_ThenRestore_ComesBackInPlaceWithItsScenes()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章\n甲。\n第二章\n乙。\n---\n丙。\n第三章\n丁。", "序章", Ct);
        var second = (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[1];

        await workspace.Projects.DeleteAsync(TreeNodeKind.Chapter, second.Id, Ct);
        var afterDelete = await workspace.Projects.GetTreeAsync(project.Id, Ct);
        await workspace.Projects.RestoreAsync(TreeNodeKind.Chapter, second.Id, Ct);
        var afterUndo = await workspace.Projects.GetTreeAsync(project.Id, Ct);

        Assert.Equal(["第一章", "第三章"], afterDelete.Chapters.Select(c => c.Title));
        Assert.Equal(["第一章", "第二章", "第三章"], afterUndo.Chapters.Select(c => c.Title));
        Assert.Equal(2, afterUndo.Chapters[1].Scenes.Count);
    }

    [Fact]
    public async Task GetOutline_OneChapterExpanded_ItsScenesAsTheTreeHasThemAndLiveCountsForAll()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        await workspace.Projects.ImportNovelAsync(project.Id, "第一章\n甲。\n---\n乙。\n---\n戊。\n第二章\n丙。\n---\n丁。\n第三章\n己。", "序章", Ct);
        var before = await workspace.Projects.GetTreeAsync(project.Id, Ct);
        var (first, second) = (before.Chapters[0], before.Chapters[1]);
        await workspace.Projects.AddShotAsync(first.Scenes[0].Id, "甲二", Ct);
        await workspace.Projects.AddShotAsync(second.Scenes[1].Id, "丁二", Ct);
        // Deleted nodes count as gone, as the full tree leaves them out.
        await workspace.Projects.DeleteAsync(TreeNodeKind.Scene, first.Scenes[2].Id, Ct);
        await workspace.Projects.DeleteAsync(TreeNodeKind.Shot, second.Scenes[0].Shots[0].Id, Ct);
        await workspace.Projects.DeleteAsync(TreeNodeKind.Chapter, before.Chapters[2].Id, Ct);
        var tree = await workspace.Projects.GetTreeAsync(project.Id, Ct);

        var outline = await workspace.Projects.GetOutlineAsync(project.Id, [first.Id, Guid.NewGuid()], Ct);

        Assert.Equal(tree.Name, outline.Project.Name);
        Assert.Equal(tree.Chapters.Select(c => (c.Id, c.Order, c.Title, c.Version)), outline.Project.Chapters.Select(c => (c.Id, c.Order, c.Title, c.Version)));
        Assert.Equal(
            tree.Chapters.Select(c => (c.Id, new TreeCounts(c.Scenes.Count, c.Scenes.Sum(s => s.Shots.Count)))),
            outline.Project.Chapters.Select(c => (c.Id, outline.Counts[c.Id])));
        Assert.Equal([new TreeCounts(2, 3), new TreeCounts(2, 2)], outline.Project.Chapters.Select(c => outline.Counts[c.Id]));
        Assert.Equal(
            tree.Chapters[0].Scenes.Select(s => (s.Id, s.Title, s.Version, string.Join("|", s.Shots.Select(x => $"{x.Id}:{x.Prompt}:{x.Version}")))),
            outline.Project.Chapters[0].Scenes.Select(s => (s.Id, s.Title, s.Version, string.Join("|", s.Shots.Select(x => $"{x.Id}:{x.Prompt}:{x.Version}")))));
        Assert.Empty(outline.Project.Chapters[1].Scenes);
    }

    [Fact]
    public async Task GetOutline_UnknownProject_NotFound()
    {
        var e = await Assert.ThrowsAsync<WorkspaceException>(() => workspace.Projects.GetOutlineAsync(Guid.NewGuid(), [], Ct));

        Assert.Equal(WorkspaceError.NotFound, e.Code);
    }

    [Fact]
    public async Task DeleteShot_ThenAddAnother_OrdersStayDistinct()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);
        var chapter = await workspace.Projects.AddChapterAsync(project.Id, "一", Ct);
        var scene = await workspace.Projects.AddSceneAsync(chapter.Id, "s", Ct);
        var first = await workspace.Projects.AddShotAsync(scene.Id, "a", Ct);
        await workspace.Projects.DeleteAsync(TreeNodeKind.Shot, first.Id, Ct);

        var second = await workspace.Projects.AddShotAsync(scene.Id, "b", Ct);
        await workspace.Projects.RestoreAsync(TreeNodeKind.Shot, first.Id, Ct);

        var shots = (await workspace.Projects.GetTreeAsync(project.Id, Ct)).Chapters[0].Scenes[0].Shots;
        Assert.Equal(["a", "b"], shots.Select(s => s.Prompt));
        Assert.NotEqual(first.Order, second.Order);
    }

    [Fact]
    public async Task DeleteProject_ThenRestore_ListedAgain()
    {
        var project = await workspace.Projects.CreateProjectAsync("p", Ct);

        await workspace.Projects.DeleteProjectAsync(project.Id, Ct);
        var hidden = await workspace.Projects.ListProjectsAsync(Ct);
        await workspace.Projects.RestoreProjectAsync(project.Id, Ct);

        Assert.Empty(hidden);
        Assert.Single(await workspace.Projects.ListProjectsAsync(Ct));
    }
}
