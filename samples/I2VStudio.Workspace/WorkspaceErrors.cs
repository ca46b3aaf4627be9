namespace I2VStudio.Workspace;

/// <summary>Why the workspace refused a request. The pages turn each into a message in the user's language
/// (resource key <c>ws.error.{Code}</c>, formatted with <see cref="WorkspaceException.Arguments"/>).</summary>
public enum WorkspaceError
{
    /// <summary>The novel text is empty or only whitespace.</summary>
    EmptyText,

    /// <summary>The text or file is over the size limit (arguments: the limit).</summary>
    TooLarge,

    /// <summary>More chapters than one import takes (arguments: found, limit).</summary>
    TooManyChapters,

    /// <summary>More scenes than one import takes (arguments: found, limit).</summary>
    TooManyScenes,

    /// <summary>A name is empty.</summary>
    NameRequired,

    /// <summary>The name is already used beside it (arguments: the name).</summary>
    DuplicateName,

    /// <summary>The name is longer than allowed (arguments: the limit).</summary>
    NameTooLong,

    /// <summary>The row no longer exists (deleted elsewhere).</summary>
    NotFound,

    /// <summary>Someone saved the row after this copy was read (another tab): nothing was overwritten.</summary>
    Conflict,

    /// <summary>The upload is not a JPEG/PNG image or an MP4/WebM video (arguments: the file name).</summary>
    NotImageOrVideo,

    /// <summary>The file is empty.</summary>
    EmptyFile,

    /// <summary>The file is over the byte limit (arguments: the limit in bytes).</summary>
    FileTooLarge,

    /// <summary>The asset is still used (arguments: where, as text).</summary>
    AssetInUse,

    /// <summary>The shot has no source image yet.</summary>
    NoSourceImage,

    /// <summary>The shot's prompt is empty.</summary>
    PromptRequired,

    /// <summary>A clip length that is not a 0.5 s step from 0.5 s to the limit (arguments: the limit in seconds).</summary>
    DurationOutOfRange,

    /// <summary>A rating outside 1–5, or a variation count outside 1–limit (arguments: the limit).</summary>
    OutOfRange,
}

/// <summary>A refused workspace request: nothing was changed.</summary>
public sealed class WorkspaceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkspaceException(WorkspaceError code, params object[] arguments)
        : base($"{code}: {string.Join(", ", arguments)}")
    {
        Code = code;
        Arguments = arguments;
    }

    /// <summary>Creates the exception with a cause.</summary>
    public WorkspaceException(WorkspaceError code, Exception inner)
        : base(code.ToString(), inner)
    {
        Code = code;
        Arguments = [];
    }

    /// <summary>Unused; present for the standard exception shape.</summary>
    public WorkspaceException() : this(WorkspaceError.NotFound)
    {
    }

    /// <summary>Unused; present for the standard exception shape.</summary>
    public WorkspaceException(string message) : base(message)
    {
        Arguments = [];
    }

    /// <summary>Unused; present for the standard exception shape.</summary>
    public WorkspaceException(string message, Exception inner) : base(message, inner)
    {
        Arguments = [];
    }

    /// <summary>Why.</summary>
    public WorkspaceError Code { get; }

    /// <summary>Values for the message (limits, names).</summary>
    public IReadOnlyList<object> Arguments { get; }
}
