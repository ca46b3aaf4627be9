namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>
/// A job's image as its POST reads it, with the end held until the job's record is stored (the no-record-loss rule
/// without a round trip before the POST, bench scenario 3): every byte passes at once, but the end of the stream, after
/// which the form's closing boundary is written, waits for <c>stored</c>. A backend takes a job only once the whole form
/// has arrived, so it cannot take one whose record is not stored; when the save fails, reading throws and the request is
/// aborted. Every route of the image goes through here: the host's staged copy, an upload slot, a JS stream, and (as
/// <see cref="Poster"/>) an image its holder posts itself.
/// </summary>
internal class SaveGatedImage : Stream
{
    /// <summary>The copy buffer, <see cref="Stream.CopyToAsync(Stream)"/>'s own size (1 MiB was tried in bench scenario 3).</summary>
    internal const int CopyBufferSize = 81920;

    private readonly Stream _image;
    private readonly Task _stored;

    private SaveGatedImage(Stream image, Task stored)
    {
        _image = image;
        _stored = stored;
    }

    /// <summary>Wraps <paramref name="image"/> (owned: disposed with the wrapper); <paramref name="stored"/> completes when the record is stored and faults when it could not be.</summary>
    public static Stream Wrap(Stream image, Task stored) =>
        image is IImageFormPoster poster ? new Poster(image, poster, stored) : new SaveGatedImage(image, stored);

    public override bool CanRead => true;

    public override bool CanSeek => _image.CanSeek;

    public override bool CanWrite => false;

    public override long Length => _image.Length;

    public override long Position
    {
        get => _image.Position;
        set => _image.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _image.Read(buffer);
        if (read == 0 && buffer.Length > 0) _stored.GetAwaiter().GetResult();
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _image.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0 && buffer.Length > 0) await _stored.WaitAsync(cancellationToken).ConfigureAwait(false);
        return read;
    }

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = new byte[CopyBufferSize];
        int read;
        while ((read = await _image.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        await _stored.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override long Seek(long offset, SeekOrigin origin) => _image.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _image.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _image.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>An image its holder posts (the browser's <c>fetch</c>): that request cannot be held at its end, so it starts once the record is stored.</summary>
    private sealed class Poster(Stream image, IImageFormPoster poster, Task stored) : SaveGatedImage(image, stored), IImageFormPoster
    {
        public async Task<FormPostResponse> PostFormAsync(Uri url, ImageForm form, CancellationToken cancellationToken)
        {
            await _stored.WaitAsync(cancellationToken).ConfigureAwait(false);
            return await poster.PostFormAsync(url, form, cancellationToken).ConfigureAwait(false);
        }
    }
}
