namespace TurboDiffusion.Emulator;

/// <summary>
/// Local object storage standing in for MinIO: one file per key under the data directory. Keys are
/// mapped segment by segment with escaping, so no key (whatever an upload's name was) can leave the
/// bucket's folder.
/// </summary>
internal sealed class ObjectStore(EmulatorPaths paths)
{
    /// <summary>The bucket the real backend uses for inputs and outputs.</summary>
    public const string Bucket = "turbo-super-novel";

    public const string InputPrefix = "turbodiffusion/inputs/";

    public const string OutputPrefix = "turbodiffusion/outputs/";

    public static bool BucketExists(string bucket) => bucket == Bucket;

    public string PathOf(string bucket, string key)
    {
        var segments = key.Split('/').Select(EscapeSegment);
        return Path.Combine([paths.ObjectsDirectory, EscapeSegment(bucket), .. segments]);
    }

    public async Task PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken)
    {
        var target = PathOf(bucket, key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        await using (var file = File.Create(partial))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        // Rename last, so a reader never sees half an object.
        File.Move(partial, target, overwrite: true);
    }

    public void PutFile(string bucket, string key, string sourcePath)
    {
        var target = PathOf(bucket, key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(sourcePath, target, overwrite: true);
    }

    public FileInfo? Find(string bucket, string key)
    {
        if (!BucketExists(bucket))
        {
            return null;
        }

        var file = new FileInfo(PathOf(bucket, key));
        return file.Exists ? file : null;
    }

    private static string EscapeSegment(string segment) => segment switch
    {
        "" => "%",
        _ when segment.Trim('.').Length == 0 => segment.Replace(".", "%2E", StringComparison.Ordinal),
        _ => Uri.EscapeDataString(segment),
    };
}
