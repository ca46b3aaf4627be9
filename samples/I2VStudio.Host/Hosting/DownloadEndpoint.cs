using System.Net;
using System.Net.Http.Headers;
using System.Text;
using I2VStudio.Components.Browser;
using Microsoft.AspNetCore.Http.Features;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// <c>GET /_i2v/download/{ticket}</c>: streams a job's video from the URL in a download ticket, same-origin, as an
/// attachment with the studio's file name. A ticket is the only input: no URL is ever taken from the request.
/// </summary>
public static partial class DownloadEndpoint
{
    /// <summary>The route.</summary>
    public const string Pattern = "/_i2v/download/{ticket}";

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

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointConventionBuilder MapI2VDownloads(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Pattern, HandleAsync).ExcludeFromDescription();

    private static async Task HandleAsync(string ticket, HttpContext context, IDownloadTickets tickets, DownloadOriginPolicy policy,
        IHttpClientFactory clients, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DownloadEndpoint));
        context.Response.Headers.CacheControl = "no-store";
        if (tickets.Redeem(ticket) is not { } download)
        {
            await TextAsync(context, StatusCodes.Status404NotFound, "This download link has expired or was already used. Press Download again in the studio.");
            return;
        }

        if (policy.Check(download.Url) is not { } url)
        {
            LogRefused(logger, Uri.TryCreate(download.Url, UriKind.Absolute, out var refused) ? refused.GetLeftPart(UriPartial.Authority) : "(not an absolute URL)");
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
                    _ => $"The video storage answered {(int)upstream.StatusCode} {upstream.ReasonPhrase}.",
                };
                await TextAsync(context, StatusCodes.Status502BadGateway, message);
                return;
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "video/mp4";
            context.Response.ContentLength = upstream.Content.Headers.ContentLength;
            context.Response.Headers.ContentDisposition = ContentDisposition(download.FileName);
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
