using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Workspace;

/// <summary>Sizes the workspace accepts; anything larger is refused with a message naming the limit.</summary>
public static class WorkspaceLimits
{
    /// <summary>Longest project, chapter or scene name.</summary>
    public const int NameLength = 200;

    /// <summary>Longest style prefix or suffix.</summary>
    public const int StyleLength = 2000;

    /// <summary>Longest shot prompt (the backend accepts 8000 characters for the whole prompt).</summary>
    public const int PromptLength = 8000;

    /// <summary>Most characters of novel text in one import (about two long novels in Chinese).</summary>
    public const int NovelCharacters = 2_000_000;

    /// <summary>Most bytes of an uploaded novel file (UTF-8).</summary>
    public const long NovelFileBytes = 6 * 1024 * 1024;

    /// <summary>Most chapters in one import.</summary>
    public const int ChaptersPerImport = 1_000;

    /// <summary>Most scenes in one import.</summary>
    public const int ScenesPerImport = 5_000;

    /// <summary>Refuses a clip length the I2V form would refuse (the client's one rule: 0.5 s steps up to
    /// <paramref name="maxSeconds"/>); null (inherit, or none) passes.</summary>
    /// <exception cref="WorkspaceException"><see cref="WorkspaceError.DurationOutOfRange"/> with the limit.</exception>
    public static void CheckDuration(double? seconds, double maxSeconds)
    {
        if (seconds is { } value && !I2VParams.IsAllowedDuration(value, maxSeconds))
            throw new WorkspaceException(WorkspaceError.DurationOutOfRange, maxSeconds);
    }
}
