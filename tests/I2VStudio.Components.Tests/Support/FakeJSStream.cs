using System.Text;
using System.Text.Json;
using I2VStudio.Components.Storage;
using Microsoft.JSInterop;

namespace I2VStudio.Components.Tests.Support;

/// <summary>What a module function returning a <c>Uint8Array</c> hands to .NET: a JS stream reference over those bytes.</summary>
internal sealed class FakeJSStream(byte[] data) : IJSStreamReference
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public long Length => data.Length;

    public bool Disposed { get; private set; }

    public static FakeJSStream Bytes(byte[] data) => new(data);

    public static FakeJSStream Text(string? text) => new(Encoding.UTF8.GetBytes(text ?? ""));

    /// <summary>storage.js loadAllData: the items as <c>[{ key, value }]</c> JSON.</summary>
    public static FakeJSStream Items(IEnumerable<BrowserJobStore.StoredItem> items) =>
        Text(JsonSerializer.Serialize(items, Web));

    public ValueTask<Stream> OpenReadStreamAsync(long maxAllowedSize = 512000, CancellationToken cancellationToken = default)
    {
        if (data.Length > maxAllowedSize) throw new ArgumentOutOfRangeException(nameof(maxAllowedSize), "The stream is longer than allowed.");
        return ValueTask.FromResult<Stream>(new MemoryStream(data, writable: false));
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
