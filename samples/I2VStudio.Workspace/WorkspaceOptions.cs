using System.ComponentModel.DataAnnotations;

namespace I2VStudio.Workspace;

/// <summary>Where the workspace keeps its data (section <c>Workspace</c>; env <c>Workspace__DataDirectory</c>,
/// <c>ConnectionStrings__Workspace</c>).</summary>
public sealed class WorkspaceOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Workspace";

    /// <summary>The folder for the SQLite file and the asset bytes; default <c>~/.local/share/I2VStudio/workspace</c>
    /// (the per-user application data folder). Created on first start.</summary>
    public string DataDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "I2VStudio", "workspace");

    /// <summary>A PostgreSQL connection string (from <c>ConnectionStrings:Workspace</c>); unset → SQLite in
    /// <see cref="DataDirectory"/>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Largest asset upload, in bytes (default 200 MB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxAssetBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>The ffmpeg executable for the concatenated scene export (default <c>ffmpeg</c> on the PATH).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Frame width of the concatenated scene export (clips are scaled and padded to it).</summary>
    [Range(16, 4096)]
    public int ExportWidth { get; set; } = 832;

    /// <summary>Frame height of the concatenated scene export.</summary>
    [Range(16, 4096)]
    public int ExportHeight { get; set; } = 480;

    /// <summary>Longest clip a take asks for, in seconds (a multiple of 0.5). The host sets it from the I2V tool's own
    /// <c>I2VStudio:MaxDurationSeconds</c>, so shots and <c>/tools/i2v</c> follow one limit. Default 10.</summary>
    [Range(0.5, 600)]
    public double MaxDurationSeconds { get; set; } = 10;

    /// <summary>The clip length a new project starts with, in seconds (a multiple of 0.5; above
    /// <see cref="MaxDurationSeconds"/> it is taken down to it). The host sets it from the I2V tool's own
    /// <c>I2VStudio:DefaultDurationSeconds</c>. Default 5.</summary>
    [Range(0.5, 600)]
    public double DefaultDurationSeconds { get; set; } = 5;

    /// <summary>Longest <see cref="HostId"/>.</summary>
    public const int HostIdLength = 64;

    /// <summary>This host's name in the take records it follows. Hosts sharing one PostgreSQL need different ones; a
    /// host that keeps its name across restarts (e.g. the container's or pod's name) resumes its own takes at once when
    /// it comes back. Unset: <c>local</c> on SQLite (one host), a random id per process on PostgreSQL (a restarted host
    /// is then a new one, and its takes are taken over when their lease runs out).</summary>
    [StringLength(HostIdLength)]
    public string? HostId { get; set; }

    /// <summary>How long a host holds the takes it follows without renewing; once past, another host takes them over.
    /// Default 2 minutes; at least twice <see cref="TakeLeaseRenewal"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan TakeLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a host renews its leases and looks for takes whose host's lease ran out. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan TakeLeaseRenewal { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether PostgreSQL is used.</summary>
    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>The SQLite database file.</summary>
    public string SqliteFile => Path.Combine(DataDirectory, "workspace.db");

    /// <summary>The folder of asset bytes.</summary>
    public string AssetDirectory => Path.Combine(DataDirectory, "assets");
}
