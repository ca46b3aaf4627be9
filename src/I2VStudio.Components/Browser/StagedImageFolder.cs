using System.Security.Cryptography;

namespace I2VStudio.Components.Browser;

/// <summary>
/// Where a server keeps copies of picked images ahead of their submission ("staged", see
/// <see cref="Storage.BrowserBlobStore.Stage"/>): one file per image, readable by this user only, written by a circuit
/// when its user picks the image and deleted when that circuit ends or stages newer ones. Files that a process left
/// behind when it ended without cleaning up are deleted when the folder is opened, once older than
/// <see cref="LeftoverAge"/>. <see cref="CreateDefault"/> makes a new folder of this process's own (disposing it
/// deletes the folder).
/// </summary>
public sealed class StagedImageFolder : IDisposable
{
    private const string DefaultPrefix = "i2v-staged-";
    private readonly bool _owned;

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

    /// <summary>
    /// A new folder under the system's temporary folder, created for this process only (a fresh name, readable by this
    /// user only, so no other local user can have prepared it); such folders of earlier processes older than
    /// <see cref="LeftoverAge"/> are deleted. Disposing the result deletes its folder.
    /// </summary>
    public static StagedImageFolder CreateDefault(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var olderThan = (timeProvider.GetUtcNow() - LeftoverAge).UtcDateTime;
        try
        {
            foreach (var earlier in new DirectoryInfo(System.IO.Path.GetTempPath()).EnumerateDirectories(DefaultPrefix + "*"))
            {
                if (earlier.LastWriteTimeUtc >= olderThan) continue;
                try
                {
                    earlier.Delete(recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another user's, or in use: not ours to clean.
                }
            }

            return new StagedImageFolder(Directory.CreateTempSubdirectory(DefaultPrefix).FullName, timeProvider, owned: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new StagedImageFolder(System.IO.Path.Combine(System.IO.Path.GetTempPath(), DefaultPrefix + "unusable"), usable: false);
        }
    }

    private StagedImageFolder(string path, TimeProvider timeProvider, bool owned)
        : this(path, timeProvider)
    {
        _owned = owned;
    }

    private StagedImageFolder(string path, bool usable)
    {
        Path = path;
        IsUsable = usable;
    }

    /// <summary>Deletes the folder when <see cref="CreateDefault"/> made it (a folder given by path is left).</summary>
    public void Dispose()
    {
        if (!_owned) return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's sweep.
        }
    }

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
        // Made again if it went: another process's start may have swept a folder left without files for a day.
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
