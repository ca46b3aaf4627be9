using System.Net;
using System.Text;
using Refit;
using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Http;

/// <summary>
/// The innermost handler: a multipart request whose image part is an <see cref="ImageReferenceContent"/> is handed to
/// that image's <see cref="IImageFormPoster"/> instead of the network, and the poster's answer comes back up as an
/// ordinary response. So the route, the submit timeout, the error mapping (422, 413, 5xx, the 404 re-detect) and the
/// job id's parsing are the pipeline's own, whichever way the bytes travel. Every other request passes through.
/// </summary>
internal sealed class ImageFormPostHandler : DelegatingHandler
{
    /// <summary>Headers of the poster's answer that describe the wire, not the text it hands over.</summary>
    private static readonly string[] WireHeaders = ["Content-Length", "Content-Encoding", "Transfer-Encoding"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not MultipartFormDataContent multipart || request.RequestUri is not { IsAbsoluteUri: true } url
            || multipart.OfType<ImageReferenceContent>().FirstOrDefault() is not { } image)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var fields = new List<KeyValuePair<string, string>>();
        var imagePosition = 0;
        foreach (var part in multipart)
        {
            if (ReferenceEquals(part, image))
            {
                imagePosition = fields.Count;
                continue;
            }

            fields.Add(new(NameOf(part), await part.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)));
        }

        var form = new ImageForm(fields, imagePosition, NameOf(image),
            image.Headers.ContentDisposition?.FileName?.Trim('"') ?? "",
            image.Headers.ContentType?.MediaType ?? "application/octet-stream");
        var answer = await image.Poster.PostFormAsync(url, form, cancellationToken).ConfigureAwait(false);
        return ToResponse(answer, request);
    }

    private static string NameOf(HttpContent part) => part.Headers.ContentDisposition?.Name?.Trim('"') ?? "";

    private static HttpResponseMessage ToResponse(FormPostResponse answer, HttpRequestMessage request)
    {
        var response = new HttpResponseMessage((HttpStatusCode)answer.StatusCode)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(answer.Body)),
        };
        if (!string.IsNullOrEmpty(answer.ReasonPhrase)) response.ReasonPhrase = answer.ReasonPhrase;
        foreach (var (name, value) in answer.Headers)
        {
            if (WireHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
            if (!response.Headers.TryAddWithoutValidation(name, value)) response.Content.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}

/// <summary>
/// The image part of a job form when the image's stream can be posted by its holder (<see cref="IImageFormPoster"/>):
/// Refit builds the form with it in place of a <see cref="StreamContent"/>, so the fields are the client's own.
/// </summary>
internal sealed class ImageReferencePart(Stream image, IImageFormPoster poster, string fileName, string contentType)
    : StreamPart(image, fileName, contentType)
{
    protected override HttpContent CreateContent() => new ImageReferenceContent(Value, poster);
}

/// <summary>
/// An image part that <see cref="ImageFormPostHandler"/> hands to <see cref="Poster"/>; sent any other way (a handler
/// that answers before it), it streams the image like a <see cref="StreamContent"/>.
/// </summary>
internal sealed class ImageReferenceContent(Stream image, IImageFormPoster poster) : HttpContent
{
    public IImageFormPoster Poster { get; } = poster;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => image.CopyToAsync(stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        image.CopyToAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
