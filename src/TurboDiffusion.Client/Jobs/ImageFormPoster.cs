namespace TurboDiffusion.Client.Jobs;

/// <summary>
/// Offered by an image stream whose holder can send the job's multipart form itself, with the image read where it is
/// stored (the browser's <c>fetch</c> with an IndexedDB <c>Blob</c>), so the image's bytes never pass through .NET.
/// An <see cref="IJobBlobStore"/> returns such a stream from <see cref="IJobBlobStore.OpenReadAsync"/>; the job POST
/// then goes through the client's whole pipeline (routes, timeouts, error mapping, the answer's parsing) and only its
/// last step, the network, is this poster. Reading the stream still works for any other caller.
/// </summary>
public interface IImageFormPoster
{
    /// <summary>
    /// POSTs <paramref name="form"/> to <paramref name="url"/> and returns the answer. Throws
    /// <see cref="HttpRequestException"/> when no answer came (a network failure) and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> aborted the request.
    /// </summary>
    /// <param name="url">The job route, absolute.</param>
    /// <param name="form">The form's text fields and where its image goes.</param>
    /// <param name="cancellationToken">Aborts the request (the client's submit timeout, a caller).</param>
    Task<FormPostResponse> PostFormAsync(Uri url, ImageForm form, CancellationToken cancellationToken);
}

/// <summary>A multipart form as the client would send it, its image part left to the <see cref="IImageFormPoster"/>.</summary>
/// <param name="Fields">The text fields (name, value) in the client's order.</param>
/// <param name="ImagePosition">Where the image part stands among <paramref name="Fields"/> (0: before the first).</param>
/// <param name="ImageField">The image part's field name.</param>
/// <param name="FileName">The image part's file name.</param>
/// <param name="ContentType">The image part's MIME type.</param>
public sealed record ImageForm(IReadOnlyList<KeyValuePair<string, string>> Fields, int ImagePosition, string ImageField,
    string FileName, string ContentType);

/// <summary>What the server answered to an <see cref="IImageFormPoster"/>'s POST.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The answer's body as text.</param>
public sealed record FormPostResponse(int StatusCode, string Body)
{
    /// <summary>The status line's reason phrase, when the transport reports one.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>The answer's headers (name, value), e.g. <c>Content-Type</c> and <c>Retry-After</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
