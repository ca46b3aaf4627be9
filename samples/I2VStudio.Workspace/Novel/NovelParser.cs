using System.Text.RegularExpressions;

namespace I2VStudio.Workspace.Novel;

/// <summary>A scene found in the text: its narration and the first sentence (the default shot prompt).</summary>
/// <param name="Title">A short title (the first sentence, shortened).</param>
/// <param name="Narration">The scene's text.</param>
/// <param name="FirstSentence">The first sentence, the shot's default prompt.</param>
public sealed record ParsedScene(string Title, string Narration, string FirstSentence);

/// <summary>A chapter found in the text.</summary>
/// <param name="Title">The heading (without <c>#</c>), or the default title for text before the first heading.</param>
/// <param name="Text">The chapter's text, heading excluded.</param>
/// <param name="Scenes">Its scenes, in order.</param>
public sealed record ParsedChapter(string Title, string Text, IReadOnlyList<ParsedScene> Scenes);

/// <summary>Splits novel text: chapters on a heading line (<c>第N章</c>, <c>Chapter N</c>, <c># …</c>), scenes on a line
/// <c>---</c> (the backend's own rule), the first sentence of each scene as its default prompt.</summary>
public static partial class NovelParser
{
    private const int TitleLength = 40;

    /// <summary>Parses <paramref name="text"/>; refuses empty text, text over the limit and too many chapters or scenes
    /// with a <see cref="WorkspaceException"/>.</summary>
    /// <param name="text">The novel.</param>
    /// <param name="untitledChapter">The title for text before the first heading (in the user's language).</param>
    public static IReadOnlyList<ParsedChapter> Parse(string text, string untitledChapter)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > WorkspaceLimits.NovelCharacters)
            throw new WorkspaceException(WorkspaceError.TooLarge, WorkspaceLimits.NovelCharacters);
        if (string.IsNullOrWhiteSpace(text)) throw new WorkspaceException(WorkspaceError.EmptyText);

        var chapters = new List<ParsedChapter>();
        var sceneCount = 0;
        string? title = null;
        var body = new List<string>();

        void Flush()
        {
            var chapterText = string.Join('\n', body).Trim();
            if (title is null && chapterText.Length == 0) return;
            var scenes = SplitScenes(body);
            sceneCount += scenes.Count;
            chapters.Add(new ParsedChapter(title ?? untitledChapter, chapterText, scenes));
        }

        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var heading = HeadingOf(rawLine);
            if (heading is not null)
            {
                Flush();
                title = heading;
                body.Clear();
            }
            else
            {
                body.Add(rawLine);
            }
        }
        Flush();

        if (chapters.Count > WorkspaceLimits.ChaptersPerImport)
            throw new WorkspaceException(WorkspaceError.TooManyChapters, chapters.Count, WorkspaceLimits.ChaptersPerImport);
        if (sceneCount > WorkspaceLimits.ScenesPerImport)
            throw new WorkspaceException(WorkspaceError.TooManyScenes, sceneCount, WorkspaceLimits.ScenesPerImport);
        return chapters;
    }

    /// <summary>The first sentence of <paramref name="text"/> (up to and including 。！？.!? or the end of the line).</summary>
    public static string FirstSentence(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimStart();
        var end = trimmed.IndexOfAny(SentenceEnds);
        var sentence = end < 0 ? trimmed : trimmed[..(trimmed[end] == '\n' ? end : end + 1)];
        sentence = sentence.Trim();
        return sentence.Length <= WorkspaceLimits.PromptLength ? sentence : sentence[..WorkspaceLimits.PromptLength];
    }

    private static readonly System.Buffers.SearchValues<char> SentenceEnds = System.Buffers.SearchValues.Create("。！？!?.\n");

    private static List<ParsedScene> SplitScenes(List<string> lines)
    {
        var scenes = new List<ParsedScene>();
        var current = new List<string>();
        void Flush()
        {
            var narration = string.Join('\n', current).Trim();
            current.Clear();
            if (narration.Length == 0) return;
            var first = FirstSentence(narration);
            var title = first.Length <= TitleLength ? first : first[..TitleLength] + "…";
            scenes.Add(new ParsedScene(title, narration, first));
        }
        foreach (var line in lines)
        {
            if (line.Trim() == "---") Flush();
            else current.Add(line);
        }
        Flush();
        return scenes;
    }

    private static string? HeadingOf(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed.Length > WorkspaceLimits.NameLength) return null;
        var markdown = MarkdownHeading().Match(trimmed);
        if (markdown.Success) return markdown.Groups[1].Value.Trim();
        return ChineseHeading().IsMatch(trimmed) || EnglishHeading().IsMatch(trimmed) ? trimmed : null;
    }

    [GeneratedRegex(@"^#{1,6}\s+(\S.*)$")]
    private static partial Regex MarkdownHeading();

    [GeneratedRegex(@"^第[0-9０-９一二三四五六七八九十百千零〇两]+[章回节]")]
    private static partial Regex ChineseHeading();

    [GeneratedRegex(@"^chapter\s+([0-9]+|[ivxlc]+)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishHeading();
}
