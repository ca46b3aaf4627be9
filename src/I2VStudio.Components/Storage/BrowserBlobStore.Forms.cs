using System.Globalization;
using Microsoft.JSInterop;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Storage;

public sealed partial class BrowserBlobStore
{
    /// <summary>Shown when the image went from IndexedDB between its open and its POST (another tab stored a new one).</summary>
    internal const string ImageGoneMessage = "The original image is no longer stored in this browser; choose it again.";

    private static long s_lastPostId;

    /// <summary>In the browser: the stored image as a <see cref="StoredImageStream"/>, or null when it is not stored.</summary>
    private async Task<Stream?> OpenStoredAsync(string key, CancellationToken cancellationToken)
    {
        var info = await GetInfoAsync(key, cancellationToken).ConfigureAwait(false);
        return info is null ? null : new StoredImageStream(this, key, info.Size);
    }

    /// <summary>
    /// Has the browser POST <paramref name="form"/> with the stored image as its image part (<c>FormData</c> with the
    /// IndexedDB <c>Blob</c>), so the image never crosses into .NET. <paramref name="cancellationToken"/> aborts the
    /// browser's request (<c>AbortController</c>), not only the wait for it.
    /// </summary>
    internal async Task<FormPostResponse> PostFormAsync(string key, Uri url, ImageForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(form);
        cancellationToken.ThrowIfCancellationRequested();
        var id = Interlocked.Increment(ref s_lastPostId).ToString(CultureInfo.InvariantCulture);
        string[][] fields = [.. form.Fields.Select(f => new[] { f.Key, f.Value })];
        BrowserFormAnswer? answer;
        using (cancellationToken.Register(() => _ = AbortPostAsync(id)))
        {
            try
            {
                answer = await _module.InvokeAsync<BrowserFormAnswer?>("postForm", cancellationToken, id, key, url.ToString(), fields,
                    form.ImagePosition, form.ImageField, form.FileName, form.ContentType).ConfigureAwait(false);
            }
            catch (JSException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The image's upload was aborted.", e, cancellationToken);
            }
            catch (JSException e)
            {
                // fetch rejects only when no answer came: the same failure the browser's HttpClient reports.
                throw new HttpRequestException(e.Message, e);
            }
        }

        if (answer is null) throw new InvalidOperationException(ImageGoneMessage);
        return new FormPostResponse(answer.Status, answer.Body ?? "")
        {
            ReasonPhrase = answer.StatusText,
            Headers = [.. (answer.Headers ?? []).Where(h => h.Length == 2).Select(h => new KeyValuePair<string, string>(h[0], h[1]))],
        };
    }

    private async Task AbortPostAsync(string id)
    {
        try
        {
            await _module.InvokeVoidAsync("abortPost", CancellationToken.None, id).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or ObjectDisposedException or TaskCanceledException)
        {
            // The request has ended (or the page has): nothing left to abort.
        }
    }
}

/// <summary>The browser's answer to <c>postForm</c>.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="StatusText">The reason phrase (empty over HTTP/2).</param>
/// <param name="Body">The body as text.</param>
/// <param name="Headers">The headers as [name, value] pairs.</param>
internal sealed record BrowserFormAnswer(int Status, string? StatusText, string? Body, string[][]? Headers);
