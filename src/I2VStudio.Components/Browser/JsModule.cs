using Microsoft.JSInterop;

namespace I2VStudio.Components.Browser;

/// <summary>
/// One lazily imported ES module: imported on first use (never during prerender, because the services are only
/// called from <c>OnAfterRenderAsync</c>), cached, and disposed safely — a lost circuit or a dispose that races the
/// import is not an error.
/// </summary>
internal sealed class JsModule : IAsyncDisposable
{
    /// <summary>Where the RCL's static files are served.</summary>
    public const string ContentRoot = "./_content/I2VStudio.Components/js/";

    private readonly IJSRuntime _js;
    private readonly string _path;
    private readonly Lock _gate = new();
    private Task<IJSObjectReference>? _module;
    private bool _disposed;

    public JsModule(IJSRuntime js, string fileName)
    {
        _js = js;
        _path = ContentRoot + fileName;
    }

    /// <summary>The import specifier, e.g. <c>./_content/I2VStudio.Components/js/storage.js</c>.</summary>
    public string Path => _path;

    public async ValueTask<IJSObjectReference> GetAsync(CancellationToken cancellationToken)
    {
        Task<IJSObjectReference> import;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // A failed import is not cached, so the next call tries again.
            if (_module is null || _module.IsFaulted || _module.IsCanceled)
            {
                // Not tied to the caller's token: a cancelled caller must not poison the shared import.
                _module = _js.InvokeAsync<IJSObjectReference>("import", CancellationToken.None, _path).AsTask();
            }

            import = _module;
        }

        return await import.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask InvokeVoidAsync(string identifier, CancellationToken cancellationToken, params object?[] args)
    {
        var module = await GetAsync(cancellationToken).ConfigureAwait(false);
        await module.InvokeVoidAsync(identifier, cancellationToken, args).ConfigureAwait(false);
    }

    public async ValueTask<T> InvokeAsync<T>(string identifier, CancellationToken cancellationToken, params object?[] args)
    {
        var module = await GetAsync(cancellationToken).ConfigureAwait(false);
        return await module.InvokeAsync<T>(identifier, cancellationToken, args).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls a module function that returns UTF-8 bytes (a <c>Uint8Array</c>) and reads them as text through a JS stream
    /// reference: over a Server circuit the bytes travel in chunks, so large reads need no raised message-size limit.
    /// </summary>
    public async ValueTask<string> InvokeTextAsync(string identifier, long maxBytes, CancellationToken cancellationToken, params object?[] args)
    {
        var reference = await InvokeAsync<IJSStreamReference>(identifier, cancellationToken, args).ConfigureAwait(false);
        await using (reference.ConfigureAwait(false))
        {
            var stream = await reference.OpenReadStreamAsync(maxBytes, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
                return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<IJSObjectReference>? import;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            import = _module;
            _module = null;
        }

        if (import is null) return;
        await DisposeQuietlyAsync(async () => await (await import.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Runs a JS clean-up step, ignoring the failures a closing circuit or page produces.</summary>
    public static async ValueTask DisposeQuietlyAsync(Func<ValueTask> cleanup)
    {
        try
        {
            await cleanup().ConfigureAwait(false);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; the browser dropped everything already.
        }
        catch (JSException)
        {
            // The page navigated away or the module failed to load; nothing left to clean.
        }
        catch (OperationCanceledException)
        {
            // The import or call was cancelled by a closing circuit.
        }
        catch (ObjectDisposedException)
        {
            // The JS runtime was disposed first.
        }
        catch (InvalidOperationException)
        {
            // Disposed while prerendering (no JS runtime yet).
        }
    }
}
