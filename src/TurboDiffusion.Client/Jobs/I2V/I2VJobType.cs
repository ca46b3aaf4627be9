using System.Net;
using System.Text.Json;
using TurboDiffusion.Client.Http;

namespace TurboDiffusion.Client.Jobs.I2V;

/// <summary>
/// The image-to-video job type: posts the multipart form of <c>/v1/turbodiffusion/wan22-i2v/jobs</c> and reads
/// <c>/v1/turbodiffusion/jobs/{id}</c> into a <see cref="JobSnapshot"/>.
/// </summary>
/// <param name="api">The backend API.</param>
public sealed class I2VJobType(ITurboDiffusionApi api) : IJobTypeDefinition
{
    /// <inheritdoc />
    public string Name => I2VParams.JobTypeName;

    /// <inheritdoc />
    public async Task<string> SubmitAsync(JobRequest request, Stream? image, CancellationToken cancellationToken) =>
        (await SubmitForReplyAsync(request, image, cancellationToken).ConfigureAwait(false)).JobId;

    /// <inheritdoc />
    public async Task<JobSubmission> SubmitForReplyAsync(JobRequest request, Stream? image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A caller bug, not a backend failure: said plainly because the tracker shows it on the job card.
        if (image is null) throw new ArgumentNullException(nameof(image), "An image-to-video job needs its input image.");

        var parameters = I2VParams.FromJson(request.Params);
        var contentType = string.IsNullOrWhiteSpace(request.Inputs.ImageContentType) ? "application/octet-stream" : request.Inputs.ImageContentType;
        var fileName = WireFileName(request.Inputs.ImageName, contentType);

        var response = await api.CreateI2VJobAsync(image, fileName, contentType, request.Inputs.Prompt, parameters, cancellationToken)
            .ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(response?.JobId))
        {
            throw new TurboDiffusionApiException(ApiFailureKind.Protocol,
                "The backend accepted the upload but sent no job id, so the job cannot be followed.", HttpStatusCode.OK);
        }

        return new JobSubmission(response.JobId, response.Db?.Persisted);
    }

    /// <inheritdoc />
    public async Task<JobSnapshot> GetStatusAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        var response = await api.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            throw new TurboDiffusionApiException(ApiFailureKind.Protocol,
                $"The backend sent an empty answer for job {jobId}.", HttpStatusCode.OK);
        }

        if (string.IsNullOrWhiteSpace(response.Status))
        {
            throw new TurboDiffusionApiException(ApiFailureKind.Protocol,
                $"The backend's answer for job {jobId} has no 'status' field, so its state is unknown.", HttpStatusCode.OK);
        }

        return new JobSnapshot
        {
            Celery = response.Status,
            Db = response.Db?.Status,
            DbUnavailable = !string.IsNullOrWhiteSpace(response.DbError),
            OutputUrl = string.IsNullOrWhiteSpace(response.OutputUrl) ? null : response.OutputUrl,
            RawResult = response.Result is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } result ? result.GetRawText() : null,
            Error = string.IsNullOrWhiteSpace(response.Error) ? NullIfBlank(response.Db?.Error) : response.Error,
        };
    }

    /// <inheritdoc />
    public JsonElement WithSeed(JsonElement parameters, long seed) => (I2VParams.FromJson(parameters) with { Seed = seed }).ToJson();

    /// <summary>
    /// The file name sent in the form. The backend keeps only its suffix (no suffix means <c>.jpg</c>), and a
    /// non-ASCII name would travel MIME-encoded and lose its suffix, so such names become <c>image.png</c>/<c>image.jpg</c>.
    /// </summary>
    internal static string WireFileName(string? imageName, string contentType)
    {
        var name = Path.GetFileName(imageName ?? "").Trim();
        var suffix = contentType.ToUpperInvariant() switch
        {
            "IMAGE/PNG" => ".png",
            "IMAGE/JPEG" or "IMAGE/JPG" => ".jpg",
            _ => Path.GetExtension(name),
        };

        var safe = name.Length > 0 && name.All(c => c is >= ' ' and <= '~' and not '"' and not '\\');
        if (!safe) return "image" + (string.IsNullOrEmpty(suffix) ? ".jpg" : suffix);
        return string.IsNullOrEmpty(Path.GetExtension(name)) ? name + suffix : name;
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
