using System.Globalization;
using Refit;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Jobs.I2V;

namespace TurboDiffusion.Client.Http;

/// <summary>Typed helpers over <see cref="ITurboDiffusionApi"/>.</summary>
public static class TurboDiffusionApiExtensions
{
    /// <summary>
    /// Creates an image-to-video job from typed parameters, formatting the form fields the way FastAPI reads them.
    /// The image is streamed from <paramref name="image"/> (read once, not closed).
    /// </summary>
    /// <param name="api">The API.</param>
    /// <param name="image">The image stream.</param>
    /// <param name="fileName">The file name sent; its suffix becomes the stored key's suffix.</param>
    /// <param name="contentType">The image's MIME type.</param>
    /// <param name="prompt">The prompt.</param>
    /// <param name="parameters">Seed, steps, quantized, duration, prompt enhancement (sent only when asked for).</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    public static Task<CreateJobResponse> CreateI2VJobAsync(this ITurboDiffusionApi api, Stream image, string fileName,
        string contentType, string prompt, I2VParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(parameters);
        return api.CreateI2VJobAsync(new StreamPart(image, fileName, contentType), prompt, parameters, cancellationToken);
    }

    /// <summary>The same with the image part given (e.g. an <see cref="ImageReferencePart"/>): one place formats the fields.</summary>
    internal static Task<CreateJobResponse> CreateI2VJobAsync(this ITurboDiffusionApi api, StreamPart image, string prompt,
        I2VParams parameters, CancellationToken cancellationToken)
    {
        return api.CreateI2VJobAsync(
            image,
            prompt ?? "",
            parameters.Seed.ToString(CultureInfo.InvariantCulture),
            parameters.NumSteps.ToString(CultureInfo.InvariantCulture),
            parameters.Quantized ? "true" : "false",
            parameters.DurationSeconds?.ToString("R", CultureInfo.InvariantCulture),
            parameters.EnhancePrompt ? "true" : null,
            cancellationToken);
    }
}
