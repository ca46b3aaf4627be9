using I2VStudio.Workspace.Assets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace I2VStudio.Workspace;

/// <summary>The workspace's HTTP routes: asset bytes (Range-served, so videos seek) and asset deletion.</summary>
public static class WorkspaceEndpoints
{
    /// <summary>The route prefix of an asset's bytes: <c>/workspace/assets/{id}/content</c>.</summary>
    public const string AssetsPrefix = "/workspace/assets";

    /// <summary>The URL of an asset's bytes.</summary>
    public static string ContentUrl(Guid assetId) => $"{AssetsPrefix.TrimStart('/')}/{assetId}/content";

    /// <summary>Maps <c>GET /workspace/assets/{id}/content</c> (Range, ETag = SHA-256) and <c>DELETE
    /// /workspace/assets/{id}</c> (204; 404; 409 with <c>usedBy</c> while a shot or take uses it).</summary>
    public static IEndpointRouteBuilder MapI2VWorkspace(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var assets = endpoints.MapGroup(AssetsPrefix);
        assets.MapGet("/{id:guid}/content", async (Guid id, AssetStore store, CancellationToken cancellationToken) =>
        {
            var asset = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
            if (asset is null || !File.Exists(store.PathOf(asset))) return Results.NotFound();
            // Content-addressed bytes never change: cache for long, validate by hash.
            return Results.File(store.PathOf(asset), asset.ContentType, enableRangeProcessing: true,
                entityTag: new EntityTagHeaderValue($"\"{asset.Sha256}\""));
        });
        assets.MapDelete("/{id:guid}", async (Guid id, AssetStore store, CancellationToken cancellationToken) =>
        {
            try
            {
                await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
                return Results.NoContent();
            }
            catch (WorkspaceException e) when (e.Code == WorkspaceError.NotFound)
            {
                return Results.NotFound();
            }
            catch (WorkspaceException e) when (e.Code == WorkspaceError.AssetInUse)
            {
                var usages = await store.UsagesAsync(id, cancellationToken).ConfigureAwait(false);
                var usedBy = usages.Select(u => u.ToString()).ToArray();
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The asset is in use.",
                    detail: usedBy.Length > 0 ? "Used by: " + string.Join("; ", usedBy) : "Used by a deleted shot or take (undo is still possible).",
                    extensions: new Dictionary<string, object?> { ["usedBy"] = usedBy });
            }
        });
        var scenes = endpoints.MapGroup("/workspace/scenes");
        scenes.MapGet("/{id:guid}/export.zip", async (Guid id, Export.SceneExporter exporter, HttpContext context, CancellationToken cancellationToken) =>
        {
            var cut = await exporter.GetCutAsync(id, cancellationToken).ConfigureAwait(false);
            context.Response.ContentType = "application/zip";
            context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = $"{cut.SceneTitle}.zip" }.ToString();
            // ZipArchive writes synchronously in places; buffer through a temp file rather than allow sync IO on Kestrel.
            var temp = Path.GetTempFileName();
            try
            {
                await using (var file = File.Create(temp))
                {
                    await exporter.WriteZipAsync(id, file, cancellationToken).ConfigureAwait(false);
                }
                await using var read = File.OpenRead(temp);
                await read.CopyToAsync(context.Response.Body, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                File.Delete(temp);
            }
        });
        scenes.MapGet("/{id:guid}/export.mp4", async (Guid id, Export.SceneExporter exporter, HttpContext context, CancellationToken cancellationToken) =>
        {
            string path;
            try
            {
                path = await exporter.WriteConcatenatedAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (WorkspaceException e) when (e.Code == WorkspaceError.NotFound)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No shot of this scene has a chosen, captured take yet.");
            }
            context.Response.RegisterForDispose(new TempFile(path));
            return Results.File(path, "video/mp4", "scene.mp4", enableRangeProcessing: true);
        });
        return endpoints;
    }

    private sealed class TempFile(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }
}
