using I2VStudio.Workspace.Novel;

namespace I2VStudio.Workspace.Tests.Novel;

public sealed class NovelParserTests
{
    [Fact]
    public void Parse_ChineseEnglishAndMarkdownHeadings_SplitsChapters()
    {
        var text = "第一章 雨夜\n她推开门。\n\nChapter 2: The Bridge\nHe waited.\n# 尾声\n风停了。";

        var chapters = NovelParser.Parse(text, "序章");

        Assert.Equal(["第一章 雨夜", "Chapter 2: The Bridge", "尾声"], chapters.Select(c => c.Title));
    }

    [Fact]
    public void Parse_DashLines_SplitScenesAndFirstSentenceIsPrompt()
    {
        var text = "第1章\n月光洒在湖面上。远处传来钟声。\n---\n她回头看了一眼！然后离开。\n  ---  \n\n";

        var scenes = NovelParser.Parse(text, "序章").Single().Scenes;

        Assert.Equal(["月光洒在湖面上。", "她回头看了一眼！"], scenes.Select(s => s.FirstSentence));
        Assert.Equal("月光洒在湖面上。远处传来钟声。", scenes[0].Narration);
    }

    [Fact]
    public void Parse_TextBeforeFirstHeading_BecomesUntitledChapter()
    {
        var chapters = NovelParser.Parse("楔子的文字。\n第二章 开始\n正文。", "序章");

        Assert.Equal(["序章", "第二章 开始"], chapters.Select(c => c.Title));
    }

    [Fact]
    public void Parse_WhitespaceOnly_RefusedAsEmpty()
    {
        var e = Assert.Throws<WorkspaceException>(() => NovelParser.Parse(" \n\t\n ", "序章"));

        Assert.Equal(WorkspaceError.EmptyText, e.Code);
    }

    [Fact]
    public void Parse_TenMegabytes_RefusedAsTooLarge()
    {
        var e = Assert.Throws<WorkspaceException>(() => NovelParser.Parse(new string('字', 10 * 1024 * 1024), "序章"));

        Assert.Equal(WorkspaceError.TooLarge, e.Code);
        Assert.Equal(WorkspaceLimits.NovelCharacters, e.Arguments[0]);
    }

    [Fact]
    public void Parse_TenThousandScenes_RefusedNamingCountAndLimit()
    {
        var text = string.Join("\n---\n", Enumerable.Range(0, 10_000).Select(i => $"场景{i}。"));

        var e = Assert.Throws<WorkspaceException>(() => NovelParser.Parse(text, "序章"));

        Assert.Equal(WorkspaceError.TooManyScenes, e.Code);
        Assert.Equal([10_000, WorkspaceLimits.ScenesPerImport], e.Arguments);
    }

    [Fact]
    public void FirstSentence_EnglishWithoutEndMark_IsFirstLine()
    {
        Assert.Equal("A boat drifts", NovelParser.FirstSentence("  A boat drifts\nand sinks."));
    }
}
