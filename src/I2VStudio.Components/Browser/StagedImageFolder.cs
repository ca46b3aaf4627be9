using System.Security.Cryptography;

namespace I2VStudio.Components.Browser;

/// <summary>
/// Where a server keeps copies of picked images ahead of their submission ("staged", see
/// <see cref="Storage.BrowserBlobStore.Stage"/>): one file per image, readable by this user only, written by a circuit
/// when its user picks the image and deleted when that circuit ends or stages newer ones. Files that a process left
/// behind when it ended without cleaning up are deleted when the folder is opened, once older than
/// <see cref="LeftoverAge"/>.
/// </summary>
public sealed class StagedImageFolder
{
    /// <summary>How old a file must be before opening the folder deletes it as a leftover.</summary>
    public static readonly TimeSpan LeftoverAge = TimeSpan.FromDays(1);

    private const string Extension = ".staged";

    /// <summary>Opens (and creates when missing) the folder at <paramref name="path"/>, deleting leftovers.</summary>
    public StagedImageFolder(string path, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Path = path;
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
            else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            DeleteLeftovers(timeProvider.GetUtcNow() - LeftoverAge);
            IsUsable = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only disk, another user's folder: images are then read from the browser at submission, as before.
            IsUsable = false;
        }
    }

    /// <summary>False when the folder could not be created or read: nothing is staged then.</summary>
    public bool IsUsable { get; }

    /// <summary>The default place: a folder of this user's own under the system's temporary folder.</summary>
    public static string DefaultPath =>
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "i2v-studio-staged-" + Environment.UserName);

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>A new, unused file path in the folder (128 random bits).</summary>
    public string NewFilePath() =>
        System.IO.Path.Combine(Path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + Extension);

    /// <summary>Creates the file at <paramref name="path"/> for writing, readable by this user only.</summary>
    internal static FileStream Create(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(path, options);
    }

    /// <summary>Opens a staged file for reading; it may be deleted meanwhile (the reader keeps its bytes).</summary>
    internal static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Deletes a file if it is there; a file that cannot be deleted now is left for the next start.</summary>
    internal static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void DeleteLeftovers(DateTimeOffset olderThan)
    {
        foreach (var file in new DirectoryInfo(Path).EnumerateFiles("*" + Extension))
        {
            if (file.LastWriteTimeUtc < olderThan.UtcDateTime) Delete(file.FullName);
        }
    }
}
