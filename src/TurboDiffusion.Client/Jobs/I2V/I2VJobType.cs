using System.Net;
using System.Text.Json;
using Refit;
using TurboDiffusion.Client.Http;

namespace TurboDiffusion.Client.Jobs.I2V;

/// <summary>
/// The image-to-video job type: posts the multipart form of <c>…/wan22-i2v/jobs</c> and reads <c>…/jobs/{id}</c> into a
/// <see cref="JobSnapshot"/>, on either API version (the client's pipeline picks the routes; this type maps the fields).
/// </summary>
public sealed class I2VJobType : IJobTypeDefinition
{
    private readonly ITurboDiffusionApi _api;
    private readonly IBackendProfileResolver? _profiles;

    /// <summary>A job type that reads both status shapes and sends every field it is given.</summary>
    /// <param name="api">The backend API.</param>
    public I2VJobType(ITurboDiffusionApi api) : this(api, null)
    {
    }

    /// <summary>A job type that leaves out what the resolved backend does not know (Legacy: <c>enhance_prompt</c>).</summary>
    /// <param name="api">The backend API.</param>
    /// <param name="profiles">The backend's API version; null: send everything.</param>
    public I2VJobType(ITurboDiffusionApi api, IBackendProfileResolver? profiles)
    {
        _api = api;
        _profiles = profiles;
    }

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
        if (parameters.EnhancePrompt && _profiles is not null
            && await _profiles.GetProfileAsync(cancellationToken).ConfigureAwait(false) == BackendProfile.Legacy)
        {
            // The legacy API has no prompt enhancement (duration_seconds it knows since 0.2.0; 0.1.0 ignores it).
            parameters = parameters with { EnhancePrompt = false };
        }

        var contentType = string.IsNullOrWhiteSpace(request.Inputs.ImageContentType) ? "application/octet-stream" : request.Inputs.ImageContentType;
        var fileName = WireFileName(request.Inputs.ImageName, contentType);

        // An image its holder can post itself (the browser's own fetch) never passes through .NET; the pipeline is the same.
        var part = image is IImageFormPoster poster
            ? new ImageReferencePart(image, poster, fileName, contentType)
            : new StreamPart(image, fileName, contentType);
        var response = await _api.CreateI2VJobAsync(part, request.Inputs.Prompt, parameters, cancellationToken).ConfigureAwait(false);
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
        var response = await _api.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
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
            // VideoGen answers never carry a job record: an unknown id reads exactly like a queued job there.
            NoJobRecords = _profiles?.Current == BackendProfile.VideoGen,
            OutputUrl = response.DownloadUrl,
            DurationSeconds = response.DurationSeconds,
            ProviderType = NullIfBlank(response.ProviderType),
            Progress = response.Progress is { ValueKind: JsonValueKind.Number } progress && progress.TryGetDouble(out var value) ? value : null,
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
