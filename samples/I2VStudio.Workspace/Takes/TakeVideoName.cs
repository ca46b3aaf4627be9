using System.Globalization;
using System.Text;

namespace I2VStudio.Workspace.Takes;

/// <summary>
/// What a captured take is called in the asset library: the start of its shot's prompt and its seed
/// ("雨落在青石板上 · seed 42.mp4"), so a search by the scene's words finds it and two takes of a shot tell apart.
/// </summary>
public static class TakeVideoName
{
    /// <summary>How many characters of the prompt the name keeps.</summary>
    public const int PromptLength = 40;

    private const string NotInFileNames = "<>:\"/\\|?*";

    /// <summary>The name for a take of a shot whose prompt is <paramref name="shotPrompt"/>, made with <paramref name="seed"/>.</summary>
    public static string For(string? shotPrompt, int seed)
    {
        // One line, without the characters a file name cannot carry on Windows or Linux (the name is offered on download).
        var words = new StringBuilder();
        foreach (var c in (shotPrompt ?? "").Trim())
        {
            var clean = char.IsWhiteSpace(c) || char.IsControl(c) || NotInFileNames.Contains(c, StringComparison.Ordinal) ? ' ' : c;
            if (clean == ' ' && (words.Length == 0 || words[^1] == ' ')) continue;
            words.Append(clean);
        }
        var text = words.ToString().TrimEnd();
        if (text.Length > PromptLength)
        {
            var cut = char.IsHighSurrogate(text[PromptLength - 1]) ? PromptLength - 1 : PromptLength; // never half a character
            text = text[..cut].TrimEnd() + "…";
        }
        if (text.Length == 0) text = "take";
        return string.Create(CultureInfo.InvariantCulture, $"{text} · seed {seed}.mp4");
    }
}
