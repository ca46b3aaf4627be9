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
        return endpoints;
    }
}
