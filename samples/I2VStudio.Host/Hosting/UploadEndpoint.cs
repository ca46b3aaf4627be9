using I2VStudio.Components.Browser;
using Microsoft.AspNetCore.Http.Features;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// <c>POST /_i2v/upload/{slot}</c>: the browser posts a stored image into an upload slot its circuit opened (see
/// <see cref="IUploadSlots"/>); the circuit reads the body as it arrives and streams it on to the backend, and the
/// request is answered (204) once the circuit has finished with it. One body per slot, at most
/// <c>I2VStudio:Images:MaxBytes</c>, as <c>application/octet-stream</c> (a type a cross-site page cannot send without a
/// CORS preflight, which this host does not grant). Unknown, expired or used slots: 404.
/// </summary>
public static class UploadEndpoint
{
    /// <summary>The route (see <c>I2VStudioOptions.UploadPath</c>).</summary>
    public const string Pattern = "/_i2v/upload/{slot}";

    private const long ReadAheadSlack = 1024 * 1024;

    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapI2VUploads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Pattern, HandleAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(string slot, HttpContext context, IUploadSlots slots)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!string.Equals(context.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Text("Send the image as application/octet-stream.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        // Kestrel's limit for every other route is small (Program.cs); this one takes an image up to the cap. The slot
        // counts what its reader consumes and answers 413; Kestrel counts what it reads ahead (up to a buffer more),
        // so its own limit sits that far above, as a backstop for a body without Content-Length.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = slots.MaxBytes + ReadAheadSlack;
        if (context.Request.ContentLength > slots.MaxBytes) return TooLarge(slots);

        UploadSlotOutcome outcome;
        try
        {
            outcome = await slots.DeliverAsync(slot, context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }

        return outcome switch
        {
            UploadSlotOutcome.Delivered => Results.NoContent(),
            UploadSlotOutcome.TooLarge => TooLarge(slots),
            _ => Results.Text("This upload slot has expired or was already used.", statusCode: StatusCodes.Status404NotFound),
        };
    }

    private static IResult TooLarge(IUploadSlots slots) =>
        Results.Text($"The image is larger than {slots.MaxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
