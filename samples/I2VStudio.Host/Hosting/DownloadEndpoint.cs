using System.Net;
using System.Net.Http.Headers;
using System.Text;
using I2VStudio.Components.Browser;
using Microsoft.AspNetCore.Http.Features;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// <c>GET /_i2v/download/{ticket}</c>: streams the video of the job a download ticket names, same-origin, as an
/// attachment with the studio's file name. <c>GET /_i2v/download/job/{jobId}/{fileName}</c> (mapped when the studio
/// may run in the browser, where tickets cannot be issued) does the same for a job id in the path. Both ask the
/// configured backend for the job's status at that moment and stream the <c>output_url</c> of that live answer: no URL
/// ever comes from the request, a ticket or a stored job record, and only what <see cref="DownloadOriginPolicy"/>
/// allows is fetched, without following redirects.
/// </summary>
public static partial class DownloadEndpoint
{
    /// <summary>The ticket route.</summary>
    public const string Pattern = "/_i2v/download/{ticket}";

    /// <summary>The job route (see <c>I2VStudioOptions.JobDownloadPath</c>).</summary>
    public const string JobPattern = "/_i2v/download/job/{jobId}/{fileName}";

    /// <summary>The named HttpClient used to fetch videos.</summary>
    public const string HttpClientName = "i2v-download";

    /// <summary>Registers the endpoint's services: the origin policy and an HttpClient that streams and never follows redirects.</summary>
    public static IServiceCollection AddI2VDownloads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DownloadOptions>().Bind(configuration.GetSection("I2VStudio"));
        services.AddSingleton<DownloadOriginPolicy>();
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // A redirect could lead anywhere; presigned storage URLs do not redirect.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(15) });
        return services;
    }

    /// <summary>Maps the ticket route, and the job route when <paramref name="includeJobRoute"/> is set.</summary>
    public static IEndpointRouteBuilder MapI2VDownloads(this IEndpointRouteBuilder endpoints, bool includeJobRoute = false)
    {
        endpoints.MapGet(Pattern, HandleTicketAsync).ExcludeFromDescription();
        if (includeJobRoute) endpoints.MapGet(JobPattern, HandleJobAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task HandleTicketAsync(string ticket, HttpContext context, IDownloadTickets tickets, ITurboDiffusionApi api,
        DownloadOriginPolicy policy, IHttpClientFactory clients, ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (tickets.Redeem(ticket) is not { } download)
        {
            await TextAsync(context, StatusCodes.Status404NotFound, "This download link has expired or was already used. Press Download again in the studio.");
            return;
        }

        await StreamJobAsync(context, download.JobId, SafeFileName(download.FileName), api, policy, clients, loggers);
    }

    private static Task HandleJobAsync(string jobId, string fileName, HttpContext context, ITurboDiffusionApi api,
        DownloadOriginPolicy policy, IHttpClientFactory clients, ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        return StreamJobAsync(context, jobId, SafeFileName(fileName), api, policy, clients, loggers);
    }

    private static async Task StreamJobAsync(HttpContext context, string jobId, string fileName, ITurboDiffusionApi api,
        DownloadOriginPolicy policy, IHttpClientFactory clients, ILoggerFactory loggers)
    {
        if (!IsJobId(jobId))
        {
            await TextAsync(context, StatusCodes.Status400BadRequest, "This is not a job id.");
            return;
        }

        JobStatusResponse status;
        try
        {
            // A fresh status answer mints a fresh output link; the URL is the backend's, never the request's.
            status = await api.GetJobAsync(jobId, context.RequestAborted);
        }
        catch (TurboDiffusionApiException ex)
        {
            await TextAsync(context, StatusCodes.Status502BadGateway, "The backend could not say where this video is: " + ex.Message);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        // output_url (Legacy) or video_url (VideoGen).
        if (status.DownloadUrl is not { } videoUrl)
        {
            await TextAsync(context, StatusCodes.Status404NotFound, "The backend has no video for this job (not finished, failed, or its result has expired).");
            return;
        }

        await StreamAsync(context, videoUrl, fileName, policy, clients, loggers.CreateLogger(typeof(DownloadEndpoint)));
    }

    /// <summary>Job ids are UUIDs on the real backend; any short id of letters, digits, '-' and '_' is accepted.</summary>
    internal static bool IsJobId(string jobId) =>
        jobId.Length is > 0 and <= 128 && jobId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// The file name the browser asked for, when it is a plain <c>.mp4</c> name of letters, digits, '-', '_' and '.'
    /// (the studio's own names are); otherwise <c>video.mp4</c>.
    /// </summary>
    internal static string SafeFileName(string fileName) =>
        fileName.Length is > 4 and <= 160
        && fileName.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase)
        && !fileName.StartsWith('.')
        && fileName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? fileName
            : "video.mp4";

    /// <summary>Streams <paramref name="liveOutputUrl"/>, the <c>output_url</c> of a status answer the host just got from the backend.</summary>
    private static async Task StreamAsync(HttpContext context, string liveOutputUrl, string fileName, DownloadOriginPolicy policy,
        IHttpClientFactory clients, ILogger logger)
    {
        if (policy.CheckLiveAnswer(liveOutputUrl) is not { } url)
        {
            LogRefused(logger, Uri.TryCreate(liveOutputUrl, UriKind.Absolute, out var refused) ? refused.GetLeftPart(UriPartial.Authority) : "(not an absolute URL)");
            await TextAsync(context, StatusCodes.Status403Forbidden, "This video's address is not on the configured backend, so the studio will not fetch it.");
            return;
        }

        HttpResponseMessage upstream;
        try
        {
            using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            headersTimeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            upstream = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            if (context.RequestAborted.IsCancellationRequested) return;
            LogUpstreamFailed(logger, ex, url.GetLeftPart(UriPartial.Authority));
            await TextAsync(context, StatusCodes.Status502BadGateway, "The video storage could not be reached. Try again in a moment.");
            return;
        }

        using (upstream)
        {
            if (!upstream.IsSuccessStatusCode)
            {
                var message = upstream.StatusCode switch
                {
                    HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized =>
                        "The video link has expired. Go back to the studio and press Download again to get a fresh one.",
                    HttpStatusCode.NotFound => "The video storage no longer has this video.",
                    // Never followed: a redirect could lead anywhere, and presigned storage links do not redirect.
                    >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest =>
                        "The video storage answered with a redirect, which the studio does not follow.",
                    _ => $"The video storage answered {(int)upstream.StatusCode} {upstream.ReasonPhrase}.",
                };
                await TextAsync(context, StatusCodes.Status502BadGateway, message);
                return;
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "video/mp4";
            context.Response.ContentLength = upstream.Content.Headers.ContentLength;
            context.Response.Headers.ContentDisposition = ContentDisposition(fileName);
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await using var body = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
            try
            {
                await body.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The user cancelled the download.
            }
        }
    }

    /// <summary><c>attachment; filename="ascii"; filename*=UTF-8''encoded</c>.</summary>
    internal static string ContentDisposition(string fileName)
    {
        var name = string.IsNullOrWhiteSpace(fileName) ? "video.mp4" : fileName;
        var ascii = new StringBuilder(name.Length);
        foreach (var c in name) ascii.Append(c is >= ' ' and < (char)127 and not '"' and not '\\' ? c : '_');
        var header = new ContentDispositionHeaderValue("attachment") { FileName = "\"" + ascii + "\"", FileNameStar = name };
        return header.ToString();
    }

    private static async Task TextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a download from {Origin}: not an allowed origin.")]
    private static partial void LogRefused(ILogger logger, string origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching a video from {Origin} failed.")]
    private static partial void LogUpstreamFailed(ILogger logger, Exception exception, string origin);
}
