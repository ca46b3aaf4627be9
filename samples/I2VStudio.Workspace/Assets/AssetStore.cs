using System.Security.Cryptography;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace I2VStudio.Workspace.Assets;

/// <summary>Where an asset is used, for the "in use" refusal.</summary>
/// <param name="Project">Project name.</param>
/// <param name="Chapter">Chapter title.</param>
/// <param name="Scene">Scene title.</param>
/// <param name="ShotOrder">The shot's position in its scene, from 1.</param>
/// <param name="AsTake">Whether a take's video (false: a shot's source image).</param>
public sealed record AssetUsage(string Project, string Chapter, string Scene, int ShotOrder, bool AsTake)
{
    /// <inheritdoc />
    public override string ToString() => $"{Project} › {Chapter} › {Scene} › #{ShotOrder}{(AsTake ? " (take)" : "")}";
}

/// <summary>The outcome of an upload.</summary>
/// <param name="Asset">The stored asset (the earlier one when the same bytes were already stored).</param>
/// <param name="AlreadyStored">Whether the bytes were already stored (nothing new was kept).</param>
public sealed record AssetUpload(Asset Asset, bool AlreadyStored);

/// <summary>The asset library: bytes in a folder, named by their SHA-256 (an upload already stored returns the existing
/// asset), rows in the workspace database. Only JPEG/PNG images and MP4/WebM videos are taken, judged by their bytes.</summary>
public sealed class AssetStore(IDbContextFactory<WorkspaceDbContext> contexts, IOptions<WorkspaceOptions> options, TimeProvider time)
{
    private const int SniffLength = 16;

    /// <summary>Stores an image or a video. Refuses an empty file, one over the size cap, or one that is not an image or
    /// a video, with a <see cref="WorkspaceException"/>; the same bytes twice give the first asset back.</summary>
    public async Task<AssetUpload> AddFileAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = string.IsNullOrWhiteSpace(fileName) ? "upload" : Path.GetFileName(fileName.Trim());
        if (name.Length > WorkspaceLimits.NameLength) name = name[^WorkspaceLimits.NameLength..];
        var folder = options.Value.AssetDirectory;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".upload-{Guid.NewGuid():N}");
        try
        {
            var (sha, size, head) = await CopyHashingAsync(content, temp, cancellationToken).ConfigureAwait(false);
            if (size == 0) throw new WorkspaceException(WorkspaceError.EmptyFile);
            var sniffed = Sniff(head) ?? throw new WorkspaceException(WorkspaceError.NotImageOrVideo, name);
            return await KeepAsync(temp, sha, size, sniffed.Kind, sniffed.ContentType, sniffed.Extension, name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Stores a prompt template (text).</summary>
    public async Task<AssetUpload> AddPromptTemplateAsync(string name, string text, CancellationToken cancellationToken)
    {
        var clean = Services.ProjectService.CleanName(name);
        if (string.IsNullOrWhiteSpace(text)) throw new WorkspaceException(WorkspaceError.EmptyText);
        if (text.Length > WorkspaceLimits.PromptLength) throw new WorkspaceException(WorkspaceError.TooLarge, WorkspaceLimits.PromptLength);
        var folder = options.Value.AssetDirectory;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".upload-{Guid.NewGuid():N}");
        try
        {
            using var bytes = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            var (sha, size, _) = await CopyHashingAsync(bytes, temp, cancellationToken).ConfigureAwait(false);
            return await KeepAsync(temp, sha, size, AssetKind.PromptTemplate, "text/plain; charset=utf-8", ".txt", clean, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Assets whose name contains <paramref name="query"/> (case-insensitive), of <paramref name="kind"/> if
    /// given, newest first.</summary>
    public async Task<IReadOnlyList<Asset>> SearchAsync(string? query, AssetKind? kind, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<Asset> assets = db.Assets.AsNoTracking();
        if (kind is { } k) assets = assets.Where(a => a.Kind == k);
        if (!string.IsNullOrWhiteSpace(query))
        {
            var needle = query.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1304, CA1311 // translated to SQL lower(); the culture overloads do not translate
            assets = assets.Where(a => a.Name.ToLower().Contains(needle));
#pragma warning restore CA1862, CA1304, CA1311
        }
        return await assets.OrderByDescending(a => a.CreatedAt).Take(500).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The asset, or null.</summary>
    public async Task<Asset?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A prompt template's text.</summary>
    public async Task<string> ReadTextAsync(Asset asset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(asset);
        if (asset.Kind != AssetKind.PromptTemplate) throw new ArgumentException("Only prompt templates hold text.", nameof(asset));
        return await File.ReadAllTextAsync(PathOf(asset), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The full path of the asset's bytes.</summary>
    public string PathOf(Asset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return System.IO.Path.Combine(options.Value.AssetDirectory, asset.Path);
    }

    /// <summary>Where the asset is used (live shots and their takes).</summary>
    public async Task<IReadOnlyList<AssetUsage>> UsagesAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var asSource =
            from shot in db.Shots
            where shot.SourceImageAssetId == id
            join scene in db.Scenes on shot.SceneId equals scene.Id
            join chapter in db.Chapters on scene.ChapterId equals chapter.Id
            join project in db.Projects on chapter.ProjectId equals project.Id
            select new AssetUsage(project.Name, chapter.Title, scene.Title, shot.Order + 1, false);
        var asTake =
            from take in db.Takes
            where take.VideoAssetId == id
            join shot in db.Shots on take.ShotId equals shot.Id
            join scene in db.Scenes on shot.SceneId equals scene.Id
            join chapter in db.Chapters on scene.ChapterId equals chapter.Id
            join project in db.Projects on chapter.ProjectId equals project.Id
            select new AssetUsage(project.Name, chapter.Title, scene.Title, shot.Order + 1, true);
        var usages = await asSource.ToListAsync(cancellationToken).ConfigureAwait(false);
        usages.AddRange(await asTake.ToListAsync(cancellationToken).ConfigureAwait(false));
        return usages;
    }

    /// <summary>Deletes the asset and its bytes; refused with <see cref="WorkspaceError.AssetInUse"/> (naming where) while
    /// a shot or a take uses it. Rows in deleted (undoable) projects, chapters, scenes or shots also hold it.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var usages = await UsagesAsync(id, cancellationToken).ConfigureAwait(false);
        if (usages.Count > 0) throw new WorkspaceException(WorkspaceError.AssetInUse, string.Join("; ", usages));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var asset = await db.Assets.FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        db.Assets.Remove(asset);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e)
        {
            // A deleted (undoable) shot or take still points at it: the foreign key refuses.
            throw new WorkspaceException(WorkspaceError.AssetInUse, e);
        }
        File.Delete(PathOf(asset));
    }

    private async Task<AssetUpload> KeepAsync(string temp, string sha, long size, AssetKind kind, string contentType, string extension, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Sha256 == sha, cancellationToken).ConfigureAwait(false);
        if (existing is not null) return new AssetUpload(existing, AlreadyStored: true);

        var relative = System.IO.Path.Combine(sha[..2], sha + extension);
        var target = System.IO.Path.Combine(options.Value.AssetDirectory, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Move(temp, target, overwrite: true);
        var asset = new Asset
        {
            Kind = kind, Name = name, Sha256 = sha, Size = size, ContentType = contentType, Path = relative,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Assets.Add(asset);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return new AssetUpload(asset, AlreadyStored: false);
        }
        catch (DbUpdateException)
        {
            // Another upload of the same bytes won the unique index: the file it points at is the same bytes.
            await using var again = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            return new AssetUpload(await again.Assets.AsNoTracking().FirstAsync(a => a.Sha256 == sha, cancellationToken).ConfigureAwait(false), AlreadyStored: true);
        }
    }

    private async Task<(string Sha, long Size, byte[] Head)> CopyHashingAsync(Stream content, string target, CancellationToken cancellationToken)
    {
        var cap = options.Value.MaxAssetBytes;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[SniffLength];
        var headLength = 0;
        long size = 0;
        var buffer = new byte[81920];
        await using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                size += read;
                if (size > cap) throw new WorkspaceException(WorkspaceError.FileTooLarge, cap);
                if (headLength < SniffLength)
                {
                    var take = Math.Min(SniffLength - headLength, read);
                    Array.Copy(buffer, 0, head, headLength, take);
                    headLength += take;
                }
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size, head[..headLength]);
    }

    internal static (AssetKind Kind, string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return (AssetKind.Image, "image/jpeg", ".jpg");
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return (AssetKind.Image, "image/png", ".png");
        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8)) return (AssetKind.Video, "video/mp4", ".mp4");
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return (AssetKind.Video, "video/webm", ".webm");
        return null;
    }
}
