using System.ComponentModel.DataAnnotations;

namespace I2VStudio.Components.Storage;

/// <summary>Limits of the studio's browser storage. Bound from <c>I2VStudio:Storage</c> and validated on start.</summary>
public sealed class BrowserStorageOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "I2VStudio:Storage";

    /// <summary>Most bytes of original images kept in IndexedDB; the oldest are evicted first. Default 200 MB.</summary>
    [Range(1024 * 1024, long.MaxValue, ErrorMessage = "I2VStudio:Storage:MaxImageStoreBytes must be at least 1 MB.")]
    public long MaxImageStoreBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Longest side of a job's thumbnail in pixels. Default 160.</summary>
    [Range(16, 1024)]
    public int ThumbnailSide { get; set; } = 160;

    /// <summary>Largest thumbnail data URL in characters (what it costs in localStorage). Default 20 KB.</summary>
    [Range(1024, 200 * 1024)]
    public int ThumbnailMaxChars { get; set; } = 20 * 1024;

    /// <summary>
    /// Most job records kept in this browser. Past it, the oldest Succeeded or Failed jobs are removed when the studio
    /// loads, and the user is told; jobs that may still run or were never sent are always kept. Default 1000.
    /// </summary>
    [Range(10, 100_000, ErrorMessage = "I2VStudio:Storage:MaxStoredJobs must be between 10 and 100000.")]
    public int MaxStoredJobs { get; set; } = 1000;

    /// <summary>How many distinct prompts the history keeps. Default 50.</summary>
    [Range(1, 1000)]
    public int PromptHistorySize { get; set; } = 50;
}
