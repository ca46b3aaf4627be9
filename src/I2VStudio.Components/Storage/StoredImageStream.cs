using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Storage;

/// <summary>
/// An image stored in the browser's IndexedDB, as <see cref="BrowserBlobStore.OpenReadAsync"/> returns it in
/// WebAssembly. The tracker's job POST never reads it: the browser posts the form with the stored <c>Blob</c> itself
/// (<see cref="IImageFormPoster"/>), so a 20 MB image does not cross into .NET. Any other reader gets the image in
/// one copy on its first read.
/// </summary>
internal sealed class StoredImageStream(BrowserBlobStore store, string key, long size) : Stream, IImageFormPoster
{
    private Stream? _bytes;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => size;
    public override long Position { get => _bytes?.Position ?? 0; set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public Task<FormPostResponse> PostFormAsync(Uri url, ImageForm form, CancellationToken cancellationToken) =>
        store.PostFormAsync(key, url, form, cancellationToken);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _bytes ??= await store.ReadWholeAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException(BrowserBlobStore.ImageGoneMessage);
        return await _bytes.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Only once the image is in .NET: the browser hands it over asynchronously.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        _bytes?.Read(buffer, offset, count) ?? throw new NotSupportedException("Read the stored image asynchronously.");

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _bytes?.Dispose();
        base.Dispose(disposing);
    }
}
