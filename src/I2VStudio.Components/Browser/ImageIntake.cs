using I2VStudio.Components.Imaging;
using I2VStudio.Components.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace I2VStudio.Components.Browser;

/// <summary>
/// Takes an input image by click, drag-and-drop or paste. The browser sends only the file's size and first
/// 256 KB (as a stream, so a Server circuit's default message size suffices); <see cref="ImageInspector"/> judges them here; only an accepted image is stored in IndexedDB
/// (<see cref="BrowserBlobStore"/>) and thumbnailed (a JPEG data URL ≤ 20 KB) — the file itself never crosses the
/// circuit until the tracker posts it. One per user session; call <see cref="AttachAsync"/> after the first render.
/// </summary>
public sealed partial class ImageIntake : IAsyncDisposable
{
    /// <summary>The module's file name under <c>_content/I2VStudio.Components/js/</c>.</summary>
    public const string ModuleFile = "imageIntake.js";

    private readonly JsModule _module;
    private readonly ImageLimits _limits;
    private readonly BrowserStorageOptions _storage;
    private readonly ILogger<ImageIntake> _logger;

    /// <summary>Creates the intake.</summary>
    public ImageIntake(IJSRuntime js, IOptions<ImageLimits> limits, IOptions<BrowserStorageOptions> storage,
        ILogger<ImageIntake> logger)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(storage);
        _module = new JsModule(js, ModuleFile);
        _limits = limits.Value;
        _storage = storage.Value;
        _logger = logger;
    }

    private Attachment? _current;
    private (string Url, string FileName)? _queuedPick;

    /// <summary>The limits in force (for messages and hints).</summary>
    public ImageLimits Limits => _limits;

    /// <summary>
    /// Has the browser fetch an image of this site (<paramref name="url"/>, same origin only; e.g. a workspace asset)
    /// and take it as if the user had picked it as <paramref name="fileName"/>: the same checks, storage and thumbnail,
    /// reported to the attached drop zone's handler. Before a drop zone is attached the pick waits for it. An image
    /// that cannot be fetched (deleted meanwhile, a failed request) is reported as <see cref="ImageProblemKind.Unavailable"/>.
    /// </summary>
    public async Task PickFromUrlAsync(string url, string fileName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (_current?.Handle is { } handle)
            await handle.InvokeVoidAsync("fromUrl", cancellationToken, url, fileName ?? "").ConfigureAwait(false);
        else
            _queuedPick = (url, fileName ?? "");
    }

    /// <summary>
    /// Wires <paramref name="dropZone"/> (a <c>&lt;button&gt;</c>: click opens the picker, files can be dropped on it),
    /// <paramref name="fileInput"/> (a hidden <c>&lt;input type="file" accept="image/png,image/jpeg"&gt;</c>) and paste
    /// anywhere on the page. <paramref name="onPicked"/> receives each result, on the caller's renderer if it
    /// marshals. Dispose the result to detach.
    /// </summary>
    public async Task<IAsyncDisposable> AttachAsync(ElementReference dropZone, ElementReference fileInput,
        Func<PickedImageResult, Task> onPicked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onPicked);
        var attachment = new Attachment(this, onPicked);
        try
        {
            var options = new { maxBytes = _limits.MaxBytes, headBytes = ImageInspector.HeadLength };
            attachment.Handle = await _module.InvokeAsync<IJSObjectReference>("attach", cancellationToken,
                dropZone, fileInput, attachment.Reference, options).ConfigureAwait(false);
            _current = attachment;
            if (_queuedPick is { } queued)
            {
                _queuedPick = null;
                await attachment.Handle.InvokeVoidAsync("fromUrl", cancellationToken, queued.Url, queued.FileName).ConfigureAwait(false);
            }
            return attachment;
        }
        catch
        {
            await attachment.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _module.DisposeAsync();

    /// <summary>Judges one file the browser reported and, when it is acceptable, has the browser keep it.</summary>
    internal async Task<PickedImageResult> ProcessAsync(IJSObjectReference handle, string id, string fileName, long size)
    {
        // Size first: an empty or oversized file is refused without reading a byte.
        var head = size > 0 && size <= _limits.MaxBytes ? await ReadHeadAsync(handle, id).ConfigureAwait(false) : [];
        var inspection = ImageInspector.Inspect(head, size, _limits);
        if (inspection is not { IsValid: true, ContentType: { } type, Width: { } width, Height: { } height })
        {
            await JsModule.DisposeQuietlyAsync(() => handle.InvokeVoidAsync("discard", id)).ConfigureAwait(false);
            return Refused(inspection.Problem ?? ImageProblemKind.Unreadable, inspection.Width, inspection.Height);
        }

        var blobKey = "img-" + Guid.NewGuid().ToString("N");
        try
        {
            var stored = await handle.InvokeAsync<AcceptResult>("accept", id, blobKey, width, height,
                _storage.MaxImageStoreBytes, _storage.ThumbnailSide, _storage.ThumbnailMaxChars).ConfigureAwait(false);
            return new PickedImageResult(
                new PickedImage(DisplayName(fileName, type), type, size, width, height, blobKey, stored.ThumbnailDataUrl, stored.PreviewUrl),
                null);
        }
        catch (JSException ex)
        {
            // The header looked right but the browser could not decode the picture (or IndexedDB refused it).
            LogAcceptFailed(ex, fileName);
            return Refused(ImageProblemKind.Unreadable, width, height);
        }

        PickedImageResult Refused(ImageProblemKind kind, int? w, int? h) =>
            new(null, new ImageProblem(kind, fileName, size, w, h, _limits));
    }

    // The first bytes as a JS stream: chunked over a circuit (no large interop message), a plain copy in WebAssembly.
    private static async Task<byte[]> ReadHeadAsync(IJSObjectReference handle, string id)
    {
        try
        {
            var reference = await handle.InvokeAsync<IJSStreamReference>("head", id).ConfigureAwait(false);
            await using (reference.ConfigureAwait(false))
            {
                var stream = await reference.OpenReadStreamAsync(ImageInspector.HeadLength).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer).ConfigureAwait(false);
                    return buffer.ToArray();
                }
            }
        }
        catch (JSException)
        {
            return []; // judged unreadable
        }
    }

    // A pasted screenshot may come without a name; give it one with the right suffix (the backend keeps the suffix).
    private static string DisplayName(string fileName, string contentType) =>
        !string.IsNullOrWhiteSpace(fileName) ? fileName : contentType == ImageInspector.Png ? "pasted-image.png" : "pasted-image.jpg";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The browser could not keep the image {FileName}.")]
    private partial void LogAcceptFailed(Exception exception, string fileName);

    [LoggerMessage(Level = LogLevel.Error, Message = "An image pick handler failed.")]
    private partial void LogHandlerFailed(Exception exception);

    internal sealed record AcceptResult(string ThumbnailDataUrl, string PreviewUrl);

    /// <summary>One attached drop zone: receives files from JS and detaches on dispose.</summary>
    internal sealed class Attachment : IAsyncDisposable
    {
        private readonly ImageIntake _owner;
        private readonly Func<PickedImageResult, Task> _onPicked;
        private int _disposed;

        public Attachment(ImageIntake owner, Func<PickedImageResult, Task> onPicked)
        {
            _owner = owner;
            _onPicked = onPicked;
            Reference = DotNetObjectReference.Create(this);
        }

        public DotNetObjectReference<Attachment> Reference { get; }

        public IJSObjectReference? Handle { get; set; }

        /// <summary>Called by the module for every picked, dropped or pasted file.</summary>
        [JSInvokable]
        public async Task OnFile(string id, string fileName, long size)
        {
            if (Volatile.Read(ref _disposed) != 0 || Handle is not { } handle) return;
            await ReportAsync(await _owner.ProcessAsync(handle, id, fileName, size).ConfigureAwait(false)).ConfigureAwait(false);
        }

        /// <summary>Called by the module when an image to be taken from this site could not be fetched.</summary>
        [JSInvokable]
        public Task OnUnavailable(string fileName) =>
            ReportAsync(new PickedImageResult(null, new ImageProblem(ImageProblemKind.Unavailable, fileName ?? "", 0, null, null, _owner._limits)));

        private async Task ReportAsync(PickedImageResult result)
        {
            if (Volatile.Read(ref _disposed) != 0) return;
            try
            {
                await _onPicked(result).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The JS caller can do nothing with a component's exception; log it instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _owner.LogHandlerFailed(ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            if (ReferenceEquals(_owner._current, this)) _owner._current = null;
            if (Handle is { } handle)
            {
                await JsModule.DisposeQuietlyAsync(() => handle.InvokeVoidAsync("detach")).ConfigureAwait(false);
                await JsModule.DisposeQuietlyAsync(() => handle.DisposeAsync()).ConfigureAwait(false);
            }

            Reference.Dispose();
        }
    }
}
