using System.Text.Json;
using I2VStudio.Components.Browser;
using Microsoft.JSInterop;

namespace I2VStudio.Components.Storage;

/// <summary>
/// A JSON value in <c>localStorage</c> that is a convenience (prompt history, form draft): read tolerantly (missing,
/// oversized, corrupt or unreadable → null) and written best-effort (storage full or unavailable → not kept).
/// </summary>
internal static class LocalStorageJson
{
    /// <summary>The stored value, or null when there is none that reads.</summary>
    public static async Task<T?> ReadAsync<T>(this JsModule module, string key, long maxBytes, JsonSerializerOptions? options,
        CancellationToken cancellationToken) where T : class
    {
        string json;
        try
        {
            // As a stream: a long value may not fit one interop message of a Server circuit.
            json = await module.InvokeTextAsync("getItemData", maxBytes, cancellationToken, key).ConfigureAwait(false);
        }
        catch (JSException)
        {
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // larger than anything we write
        }

        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(json, options);
        }
        catch (JsonException)
        {
            return null; // corrupt
        }
    }

    /// <summary>Writes <paramref name="value"/>; a full or unavailable storage drops it ("quota" is not worth evicting jobs for).</summary>
    public static async Task WriteAsync<T>(this JsModule module, string key, T value, JsonSerializerOptions? options,
        CancellationToken cancellationToken)
    {
        try
        {
            await module.InvokeAsync<string>("setItem", cancellationToken, key, JsonSerializer.Serialize(value, options))
                .ConfigureAwait(false);
        }
        catch (JSException)
        {
            // localStorage unavailable: the value simply is not kept.
        }
    }
}
