using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// The folders of one emulator run. With no <see cref="EmulatorOptions.DataDirectory"/> the run gets
/// a fresh temporary folder and deletes it when it stops: nothing is expected to outlive it.
/// </summary>
internal sealed class EmulatorPaths : IDisposable
{
    private readonly bool ownsDataDirectory;

    public EmulatorPaths(IOptions<EmulatorOptions> options)
    {
        var configured = options.Value.DataDirectory;
        ownsDataDirectory = string.IsNullOrWhiteSpace(configured);
        DataDirectory = ownsDataDirectory
            ? Path.Combine(Path.GetTempPath(), "turbodiffusion-emulator", Guid.NewGuid().ToString("N")[..12])
            : Path.GetFullPath(configured!);

        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(ObjectsDirectory);
        Directory.CreateDirectory(WorkDirectory);
        Directory.CreateDirectory(LogsDirectory);
    }

    public string DataDirectory { get; }

    public bool IsTemporary => ownsDataDirectory;

    public string DatabaseFile => Path.Combine(DataDirectory, "emulator.db");

    public string SigningKeyFile => Path.Combine(DataDirectory, "signing.key");

    public string ObjectsDirectory => Path.Combine(DataDirectory, "objects");

    /// <summary>Scratch space of running jobs (the worker's local copy of input and output).</summary>
    public string WorkDirectory => Path.Combine(DataDirectory, "work");

    public string LogsDirectory => Path.Combine(DataDirectory, "logs");

    /// <summary>Where the real weights would live; <c>/v1/turbodiffusion/models</c> lists them as missing.</summary>
    public string ModelsDirectory => Path.Combine(DataDirectory, "models");

    public void Dispose()
    {
        if (!ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temp folder is left for the OS to clean.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: best effort only.
        }
    }
}
