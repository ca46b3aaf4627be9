using I2VStudio.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Workspace feature 1: import a novel, then edit its tree (rename, reorder, delete with undo), with clear
/// messages for bad input and for an edit made from a stale tab.</summary>
public sealed class WorkspaceProjectTests(BrowserFixture browser, WorkspaceFixture studio)
    : StudioTest<WorkspaceFixture>(browser, studio), IClassFixture<WorkspaceFixture>
{
    private const string Novel = "第一章 雨夜\n雨落在青石板上。她撑着伞走过长街。\n---\n灯笼在风中摇晃！远处有人喊她的名字。\n第二章 渡口\n船夫解开缆绳。";

    private WorkspaceUi Ws => new(Page);

    [Fact]
    public async Task ImportNovel_PastedText_ChaptersScenesAndFirstSentencePrompts()
    {
        await Ws.CreateProjectAsync("Import journey");

        await Ws.ImportAsync(Novel);

        await Expect(Ws.Info).ToHaveTextAsync("Imported 2 chapters, 3 scenes and 3 shots.");
        await Expect(Ws.ChapterTitles).ToHaveTextAsync(["第一章 雨夜", "第二章 渡口"]);
        // Collapsed chapters show their counts without their scenes being loaded; opening one loads its shots.
        await Expect(Ws.Chapter("第一章 雨夜")).ToContainTextAsync("2 scenes · 2 shots");
        await Expect(Ws.Chapter("第二章 渡口")).ToContainTextAsync("1 scene · 1 shot");
        await Expect(Page.GetByTestId("shot-prompt")).ToHaveCountAsync(0);
        await Ws.Chapter("第一章 雨夜").GetByTestId("toggle-chapter").ClickAsync();
        await Expect(Page.GetByTestId("shot-prompt")).ToHaveTextAsync(["雨落在青石板上。", "灯笼在风中摇晃！"]);
        await Ws.Chapter("第二章 渡口").GetByTestId("toggle-chapter").ClickAsync();
        await Expect(Page.GetByTestId("shot-prompt")).ToHaveTextAsync(["雨落在青石板上。", "灯笼在风中摇晃！", "船夫解开缆绳。"]);
    }

    [Fact]
    public async Task Tree_OnAPhone_TitleKeepsItsLineAndTheButtonsGoUnderIt()
    {
        await Page.SetViewportSizeAsync(390, 844);
        await Ws.CreateProjectAsync("Phone tree");
        await Ws.ImportAsync("第一章 雨夜渡口\n雨落在青石板上。");
        var chapter = Ws.Chapter("第一章 雨夜渡口");
        await Expect(chapter).ToBeVisibleAsync();

        var title = await chapter.GetByTestId("chapter-title").BoundingBoxAsync();
        var delete = await chapter.GetByTestId("delete").First.BoundingBoxAsync();
        // One line of text (it was squeezed into a column three characters wide), the buttons on a line below it.
        Assert.True(title!.Height < 30, $"The chapter title is {title.Height} px high at 390 px: wrapped.");
        Assert.True(delete!.Y >= title.Y + title.Height, $"The delete button (top {delete.Y}) is beside the title (bottom {title.Y + title.Height}).");
    }

    [Fact]
    public async Task WorkspacePages_ScopedStyles_Applied()
    {
        // The host's own scoped CSS (only the workspace pages have any) comes with its app bundle; App.razor links
        // only the library bundles, so a page without WorkspaceLayout renders unstyled.
        await Ws.CreateProjectAsync("Styled");

        await Expect(Page.Locator("[data-testid=project-page]")).ToHaveCSSAsync("display", "block");
        await Expect(Page.Locator("[data-testid=project-page] .ws-tree").Or(Page.GetByTestId("tree-empty")).First).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-testid=project-page]")).ToHaveCSSAsync("padding-left", "24px");
        await Expect(Page.Locator("label.ws-file")).ToHaveCSSAsync("border-top-style", "dashed");
        await Ws.OpenAsync("assets");
        await Expect(Page.Locator("label.ws-upload")).ToHaveCSSAsync("border-top-style", "dashed");
        await Expect(Page.Locator("label.ws-upload input[type=file]")).ToHaveCSSAsync("width", "1px");
    }

    [Fact]
    public async Task ImportNovel_EmptyText_ClearMessageAndNothingAdded()
    {
        await Ws.CreateProjectAsync("Empty import");

        await Ws.ImportAsync("   \n\n  ");

        await Expect(Ws.Error).ToHaveTextAsync("The text is empty. Paste or upload the novel first.");
        await Expect(Page.GetByTestId("tree-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ImportNovel_TenMegabytesPasted_RefusedBeforeReadingWithLimit()
    {
        await Ws.CreateProjectAsync("Huge import");
        // 10 MB of text, set straight into the box (typing it would take minutes).
        await Page.GetByTestId("novel-text").EvaluateAsync("el => el.value = 'a'.repeat(10 * 1024 * 1024)");

        await Page.GetByTestId("import-novel").ClickAsync();

        await Expect(Ws.Error).ToHaveTextAsync("The text is longer than 2,000,000 characters. Import it in parts.");
        await Expect(Page.GetByTestId("tree-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ImportNovel_TenThousandScenes_RefusedNamingCountTextKeptNothingAdded()
    {
        await Ws.CreateProjectAsync("Ten thousand scenes");
        // Set straight into the box: Playwright's fill types 10,000 line breaks far too slowly.
        await Page.GetByTestId("novel-text").EvaluateAsync(
            "el => el.value = '第一章 长夜\\n' + Array.from({ length: 10000 }, (_, i) => `场景${i}。`).join('\\n---\\n')");

        await Page.GetByTestId("import-novel").ClickAsync();

        await Expect(Ws.Error).ToHaveTextAsync("The text has 10,000 scenes; one import takes at most 5,000. Import it in parts.");
        await Expect(Page.GetByTestId("tree-empty")).ToBeVisibleAsync();
        Assert.StartsWith("第一章 长夜\n场景0。\n---\n场景1。", await Page.GetByTestId("novel-text").InputValueAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateProject_NameTaken_ClearMessage()
    {
        await Ws.CreateProjectAsync("Twice");
        await Ws.OpenAsync("projects");

        await Page.GetByLabel("New project name").FillAsync("Twice");
        await Page.GetByTestId("create-project").ClickAsync();

        await Expect(Ws.Error).ToHaveTextAsync("The name “Twice” is already used here. Choose another one.");
    }

    [Fact]
    public async Task DeleteChapter_ThenUndo_ComesBackInPlace()
    {
        await Ws.CreateProjectAsync("Undo journey");
        await Ws.ImportAsync(Novel);
        await Expect(Ws.Chapters).ToHaveCountAsync(2);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete 第一章 雨夜" }).ClickAsync();
        await Expect(Ws.ChapterTitles).ToHaveTextAsync(["第二章 渡口"]);
        await Page.GetByTestId("ws-undo").ClickAsync();

        await Expect(Ws.ChapterTitles).ToHaveTextAsync(["第一章 雨夜", "第二章 渡口"]);
    }

    [Fact]
    public async Task RenameAndMoveChapter_ShowsNewTitleAndOrderAfterReload()
    {
        await Ws.CreateProjectAsync("Edit journey");
        await Ws.ImportAsync(Novel);
        await Expect(Ws.Chapters).ToHaveCountAsync(2);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Rename 第二章 渡口" }).ClickAsync();
        await Page.GetByTestId("edit-text").FillAsync("第二章 夜渡");
        await Page.GetByTestId("edit-save").ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Move up 第二章 夜渡" }).ClickAsync();
        await Expect(Ws.ChapterTitles).ToHaveTextAsync(["第二章 夜渡", "第一章 雨夜"]);
        await Ws.OpenAsync(Page.Url);

        await Expect(Ws.ChapterTitles).ToHaveTextAsync(["第二章 夜渡", "第一章 雨夜"]);
    }

    [Fact]
    public async Task RenameChapter_FromStaleTab_ConflictMessageTextKeptAndOtherEditKept()
    {
        await Ws.CreateProjectAsync("Two tabs");
        await Ws.ImportAsync(Novel);
        await Expect(Ws.Chapters).ToHaveCountAsync(2);
        var second = new WorkspaceUi(await Context.NewPageAsync());
        await second.OpenAsync(Page.Url);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Rename 第一章 雨夜" }).ClickAsync();
        await Page.GetByTestId("edit-text").FillAsync("第一章 夜雨");
        await Page.GetByTestId("edit-save").ClickAsync();
        await Expect(Ws.ChapterTitles.First).ToHaveTextAsync("第一章 夜雨");
        await second.Page.GetByRole(AriaRole.Button, new() { Name = "Rename 第一章 雨夜" }).ClickAsync();
        await second.Page.GetByTestId("edit-text").FillAsync("第一章 暴雨");
        await second.Page.GetByTestId("edit-save").ClickAsync();

        await Expect(second.Error).ToContainTextAsync("changed in another tab");
        await Expect(second.Page.GetByTestId("edit-text")).ToHaveValueAsync("第一章 暴雨");
        await Ws.OpenAsync(Page.Url);
        await Expect(Ws.ChapterTitles.First).ToHaveTextAsync("第一章 夜雨");
    }
}
