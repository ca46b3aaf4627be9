using I2VStudio.Components.Browser;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Storage;

/// <summary>
/// Keeps original input images in the browser's IndexedDB (database <c>i2v-studio</c>, store <c>images</c>), capped
/// at <see cref="BrowserStorageOptions.MaxImageStoreBytes"/> with the oldest evicted first, so Retry works after a
/// reload. Images are written by <see cref="ImageIntake"/> (the file never leaves the browser until it is posted);
/// <see cref="OpenReadAsync"/> streams one back without buffering the whole file in .NET: on a server with
/// <see cref="IUploadSlots"/>, the browser posts the stored file to the host's upload endpoint
/// (<see cref="I2VStudioOptions.UploadPath"/>) as one plain HTTP request, about 25 times faster than a JS stream over the
/// circuit (bench scenario 3); otherwise, or when that request fails before its body arrives, as a JS stream. With a
/// <see cref="StagedImageFolder"/> as well, <see cref="Stage"/> has that upload happen when the image is picked, into a
/// file on the host, so a submission reads the host's copy and does not wait for the browser.
/// </summary>
public sealed partial class BrowserBlobStore : IJobBlobStore, IAsyncDisposable
{
    /// <summary>The module's file name under <c>_content/I2VStudio.Components/js/</c>.</summary>
    public const string ModuleFile = "blobs.js";

    /// <summary>How many staged copies one store (one circuit) keeps: the image picked now and the one before.</summary>
    public const int MaxStagedImages = 2;

    private readonly JsModule _module;
    private readonly IUploadSlots? _uploads;
    private readonly string? _uploadPath;
    private readonly StagedImageFolder? _staging;
    private readonly Lock _stagedLock = new();
    private readonly List<StagedImage> _staged = []; // oldest first
    private readonly List<Task> _deletions = [];
    private bool _disposed;

    /// <summary>Creates the store; images travel to .NET as JS streams.</summary>
    public BrowserBlobStore(IJSRuntime js, IOptions<BrowserStorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(options);
        _module = new JsModule(js, ModuleFile);
        Options = options.Value;
    }

    /// <summary>Creates the store; images travel to .NET as HTTP uploads into <paramref name="uploads"/> slots.</summary>
    public BrowserBlobStore(IJSRuntime js, IOptions<BrowserStorageOptions> options, IUploadSlots uploads, IOptions<I2VStudioOptions> studio)
        : this(js, options)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        ArgumentNullException.ThrowIfNull(studio);
        _uploads = uploads;
        _uploadPath = studio.Value.UploadPath;
    }

    /// <summary>
    /// Creates the store; images travel to .NET as HTTP uploads into <paramref name="uploads"/> slots, and
    /// <see cref="Stage"/> keeps them in <paramref name="staging"/> ahead of their submission.
    /// </summary>
    public BrowserBlobStore(IJSRuntime js, IOptions<BrowserStorageOptions> options, IUploadSlots uploads, IOptions<I2VStudioOptions> studio,
        StagedImageFolder staging)
        : this(js, options, uploads, studio)
    {
        ArgumentNullException.ThrowIfNull(staging);
        if (staging.IsUsable) _staging = staging;
    }

    /// <summary>
    /// Starts copying the stored image <paramref name="key"/> to the host in the background (one upload into a slot,
    /// written to a file), so its submission, a retry and the asset copy read the host's copy instead of waiting for the
    /// browser (bench scenario 3). Call it when the user picks the image. Does nothing in the browser (no upload slots),
    /// without a usable staging folder, or when the image is staged already; the copies of the last
    /// <see cref="MaxStagedImages"/> images are kept until the store is disposed (the circuit ends). When the copy fails,
    /// a submission reads the image from the browser as before.
    /// </summary>
    public void Stage(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_uploads is not { } uploads || _staging is not { } folder) return;
        StagedImage? earlier;
        StagedImage? evicted = null;
        lock (_stagedLock)
        {
            if (_disposed) return;
            // A copy that failed is forgotten, so staging the image again tries again; one under way or done is kept.
            earlier = _staged.Find(s => s.Key == key);
            if (earlier is { Failed: false }) return;
            if (earlier is not null) _staged.Remove(earlier);
            var staged = new StagedImage(key, folder.NewFilePath());
            _staged.Add(staged);
            if (_staged.Count > MaxStagedImages)
            {
                evicted = _staged[0];
                _staged.RemoveAt(0);
            }

            // Started under the lock, so a Delete always finds the copy it has to stop (this runs only to the JS call).
            staged.Start(token => CopyToHostAsync(staged, uploads, token));
        }

        earlier?.Dispose();
        if (evicted is not null) Track(evicted.Delete());
    }

    private void Track(Task deletion)
    {
        lock (_stagedLock)
        {
            _deletions.RemoveAll(t => t.IsCompleted);
            _deletions.Add(deletion);
        }
    }

    /// <summary>Completes when every staged copy given up so far is deleted (for tests).</summary>
    internal Task DeletionsDone()
    {
        lock (_stagedLock) return Task.WhenAll(_deletions);
    }

    /// <summary>Whether <paramref name="key"/> has a copy on the host (finished, not failed): for tests and diagnostics.</summary>
    internal bool IsStaged(string key)
    {
        lock (_stagedLock) return _staged.Exists(s => s.Key == key && s.Copy.IsCompletedSuccessfully && s.Copy.Result);
    }

    private async Task<bool> CopyToHostAsync(StagedImage staged, IUploadSlots uploads, CancellationToken cancellationToken)
    {
        try
        {
            var body = await UploadAsync(staged.Key, uploads, cancellationToken).ConfigureAwait(false);
            if (body is null) return false;
            // Disposing the body answers the browser's request.
            await using (body.ConfigureAwait(false))
            {
                var file = StagedImageFolder.Create(staged.Path);
                await using (file.ConfigureAwait(false))
                {
                    await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }

            return true;
        }
#pragma warning disable CA1031 // A copy ahead of time: whatever went wrong (too large, disk, circuit gone), the submission reads from the browser.
        catch (Exception)
#pragma warning restore CA1031
        {
            StagedImageFolder.Delete(staged.Path);
            return false;
        }
    }

    /// <summary>The staged copy of <paramref name="key"/>, once its copy has finished; null when there is none.</summary>
    private async Task<Stream?> OpenStagedAsync(string key, CancellationToken cancellationToken)
    {
        StagedImage? staged;
        lock (_stagedLock) staged = _staged.Find(s => s.Key == key);
        if (staged is null) return null;
        if (await staged.Copy.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                return StagedImageFolder.OpenRead(staged.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Deleted by hand or by a sweep: forget it.
            }
        }

        // Failed: forget it, so a later Stage tries again.
        bool removed;
        lock (_stagedLock) removed = _staged.Remove(staged);
        if (removed) staged.Dispose();
        return null;
    }

    /// <summary>The limits in force.</summary>
    public BrowserStorageOptions Options { get; }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (await OpenStagedAsync(key, cancellationToken).ConfigureAwait(false) is { } staged) return staged;

        // The upload first, without asking for the image's info: one round trip less; a missing image is found below.
        if (_uploads is not null && await UploadAsync(key, _uploads, cancellationToken).ConfigureAwait(false) is { } uploaded)
        {
            return uploaded;
        }

        if (ReadsWholeImage) return await OpenStoredAsync(key, cancellationToken).ConfigureAwait(false);

        var info = await GetInfoAsync(key, cancellationToken).ConfigureAwait(false);
        if (info is null) return null;

        IJSStreamReference reference;
        try
        {
            reference = await _module.InvokeAsync<IJSStreamReference>("openRead", cancellationToken, key).ConfigureAwait(false);
        }
        catch (JSException)
        {
            return null; // evicted between the two calls (another tab stored a new image)
        }

        try
        {
            var stream = await reference.OpenReadStreamAsync(info.Size + 1, cancellationToken).ConfigureAwait(false);
            return new OwningStream(stream, reference);
        }
        catch
        {
            await reference.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Has the browser post the stored image into a new upload slot and returns the body as it arrives; null when the
    /// request ended before its body reached the slot (no upload endpoint, the image just evicted, a network fault).
    /// </summary>
    private async Task<Stream?> UploadAsync(string key, IUploadSlots uploads, CancellationToken cancellationToken)
    {
        using var slot = uploads.Open();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, _uploadPath!, slot.Id);
        // Completes only when the host has answered the upload, i.e. after the backend POST has read the body.
        var sending = _module.InvokeAsync<int>("send", cancellationToken, key, url).AsTask();
        var arriving = slot.ReceiveAsync(cancellationToken);
        if (await Task.WhenAny(arriving, sending).ConfigureAwait(false) == arriving && arriving.IsCompletedSuccessfully)
        {
            _ = sending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return await arriving.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        _ = arriving.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _ = sending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return null;
    }

    /// <summary>
    /// Whether <see cref="OpenReadAsync"/> returns a <see cref="StoredImageStream"/>: in the browser (WebAssembly) the
    /// job POST is the browser's own <c>fetch</c> with the stored <c>Blob</c>, and a reader gets the image as one
    /// <c>Uint8Array</c> (one copy into .NET, where a JS stream crawls at about 4 MB/s, bench scenario 3); over a circuit
    /// a byte array would be one huge message, so the server never does.
    /// </summary>
    internal bool ReadsWholeImage { get; init; } = OperatingSystem.IsBrowser();

    internal async Task<Stream?> ReadWholeAsync(string key, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await _module.InvokeAsync<byte[]?>("readAll", cancellationToken, key).ConfigureAwait(false);
        }
        catch (JSException)
        {
            return null; // IndexedDB unavailable
        }

        return bytes is null ? null : new MemoryStream(bytes, writable: false);
    }

    /// <summary>Size, type and name of a stored image, or null when it is not (or no longer) stored.</summary>
    public async Task<StoredBlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            return await _module.InvokeAsync<StoredBlobInfo?>("info", cancellationToken, key).ConfigureAwait(false);
        }
        catch (JSException)
        {
            return null; // IndexedDB unavailable (private mode in some browsers): there is nothing to read
        }
    }

    /// <summary>
    /// A <c>blob:</c> URL showing the stored image of <paramref name="width"/> × <paramref name="height"/> px (valid while
    /// the page lives), or null. A large image is shown through a copy downscaled in the browser, never in full.
    /// </summary>
    public async Task<string?> GetPreviewUrlAsync(string key, int width, int height, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            return await _module.InvokeAsync<string?>("previewUrl", cancellationToken, key, width, height).ConfigureAwait(false);
        }
        catch (JSException)
        {
            return null;
        }
    }

    /// <summary>Deletes a stored image.</summary>
    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await _module.InvokeVoidAsync("remove", cancellationToken, key).ConfigureAwait(false);
    }

    /// <summary>Deletes the staged copies (stopping copies under way) and releases the JS module.</summary>
    public async ValueTask DisposeAsync()
    {
        StagedImage[] staged;
        lock (_stagedLock)
        {
            _disposed = true;
            staged = [.. _staged];
            _staged.Clear();
        }

        foreach (var image in staged) Track(image.Delete());
        await DeletionsDone().ConfigureAwait(false);
        await _module.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One image's copy on the host: its file, and the copy under way or done (true when it succeeded).</summary>
    private sealed class StagedImage(string key, string path) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public string Key => key;

        public string Path => path;

        public Task<bool> Copy { get; private set; } = Task.FromResult(false);

        /// <summary>True once the copy has ended without a file.</summary>
        public bool Failed => Copy is { IsCompletedSuccessfully: true, Result: false };

        public void Start(Func<CancellationToken, Task<bool>> copy) => Copy = copy(_stop.Token);

        /// <summary>Stops the copy and deletes the file once nothing writes it.</summary>
        public Task Delete()
        {
            _stop.Cancel();
            return Copy.ContinueWith(_ =>
            {
                StagedImageFolder.Delete(path);
                Dispose();
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        public void Dispose() => _stop.Dispose();
    }

    /// <summary>A read stream that also releases the JS-side stream reference when disposed.</summary>
    private sealed class OwningStream(Stream inner, IJSStreamReference reference) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => reference.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                // Synchronous dispose cannot await the JS release; let it finish on its own.
                _ = JsModule.DisposeQuietlyAsync(() => reference.DisposeAsync()).AsTask();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await JsModule.DisposeQuietlyAsync(() => reference.DisposeAsync()).ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>What the browser knows about a stored image.</summary>
/// <param name="Size">Bytes.</param>
/// <param name="Type">The MIME type the browser gave the file (informational; the inspector judged the bytes).</param>
/// <param name="Name">The original file name.</param>
public sealed record StoredBlobInfo(long Size, string Type, string Name);
