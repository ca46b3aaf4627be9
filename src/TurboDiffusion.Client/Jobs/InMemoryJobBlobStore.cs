using System.Collections.Concurrent;

namespace TurboDiffusion.Client.Jobs;

/// <summary>
/// An <see cref="IJobBlobStore"/> in memory, for tests and for hosts without browser storage. Thread-safe.
/// Blobs live as long as the store (one user session when registered scoped).
/// </summary>
public sealed class InMemoryJobBlobStore : IJobBlobStore
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    /// <summary>How many blobs are stored.</summary>
    public int Count => _blobs.Count;

    /// <summary>Stores (or replaces) <paramref name="bytes"/> under <paramref name="key"/>.</summary>
    public void Put(string key, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(bytes);
        _blobs[key] = bytes;
    }

    /// <summary>Copies <paramref name="content"/> into the store under a new key and returns the key.</summary>
    public async Task<string> SaveAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var key = Guid.NewGuid().ToString("N");
        _blobs[key] = buffer.ToArray();
        return key;
    }

    /// <summary>Deletes a blob; returns false when it was not there.</summary>
    public bool Remove(string key) => _blobs.TryRemove(key, out _);

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Stream? stream = _blobs.TryGetValue(key, out var bytes) ? new MemoryStream(bytes, writable: false) : null;
        return Task.FromResult(stream);
    }
}
