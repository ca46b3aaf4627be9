using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace TurboDiffusion.Emulator;

/// <summary>The storage origin's routes: presigned GETs of objects, answered as MinIO/S3 would.</summary>
internal static class StorageEndpoints
{
    /// <summary>The response headers MinIO lets cross-origin scripts read.</summary>
    private const string ExposedHeaders =
        "Date, Etag, Server, Connection, Accept-Ranges, Content-Range, Content-Encoding, Content-Length, Content-Type, "
        + "Content-Disposition, Last-Modified, Content-Language, Cache-Control, Retry-After, X-Amz-Bucket-Region, Expires, "
        + "X-Amz-Request-Id, X-Amz-Id-2";

    /// <summary>
    /// MinIO answers CORS for any origin by default. A plain <c>&lt;video src&gt;</c> needs none of
    /// this, but a <c>fetch()</c> of the file (a download button) does.
    /// </summary>
    public static void UseStorageCors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowCredentials = "true";
            headers.AccessControlExposeHeaders = ExposedHeaders;
            headers.Vary = "Origin";
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                headers.AccessControlAllowMethods = "GET, HEAD, PUT, POST, DELETE, OPTIONS";
                headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders.ToString() is { Length: > 0 } asked ? asked : "*";
                headers.AccessControlMaxAge = "3600";
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }
        }

        await next(context);
    });

    public static void MapStorageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/{bucket}/{**key}", [HttpMethods.Get, HttpMethods.Head], GetObject);

        // Anything else (listing buckets, uploads) is refused as MinIO refuses an anonymous caller.
        endpoints.MapFallback(static (HttpContext context) => S3Error(context, StatusCodes.Status403Forbidden, "AccessDenied", "Access Denied."));
    }

    private static IResult GetObject(
        HttpContext context,
        string bucket,
        string? key,
        ObjectStore store,
        UrlSigner signer,
        RequestCounters counters,
        [FromKeyedServices(EmulatorServiceKeys.Clock)] TimeProvider time)
    {
        counters.Increment(EmulatorRoute.StorageGet);
        key ??= "";
        if (!ObjectStore.BucketExists(bucket))
        {
            return S3Error(context, StatusCodes.Status404NotFound, "NoSuchBucket", "The specified bucket does not exist", bucket, key);
        }

        var check = signer.Verify(bucket, key, context.Request.Query);
        switch (check.Outcome)
        {
            case SignatureOutcome.Anonymous:
                return S3Error(context, StatusCodes.Status403Forbidden, "AccessDenied", "Access Denied.", bucket, key);
            case SignatureOutcome.Malformed:
                return S3Error(
                    context,
                    StatusCodes.Status400BadRequest,
                    "AuthorizationQueryParametersError",
                    "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\" and requires X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature.",
                    bucket,
                    key);
            case SignatureOutcome.SignatureMismatch:
                return S3Error(
                    context,
                    StatusCodes.Status403Forbidden,
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                    bucket,
                    key);
            case SignatureOutcome.Expired:
                return S3Error(
                    context,
                    StatusCodes.Status403Forbidden,
                    "AccessDenied",
                    "Request has expired",
                    bucket,
                    key,
                    new XElement("X-Amz-Expires", check.ExpiresSeconds.ToString(CultureInfo.InvariantCulture)),
                    new XElement("Expires", S3Time(check.SignedAt.AddSeconds(check.ExpiresSeconds))),
                    new XElement("ServerTime", S3Time(time.GetUtcNow())));
        }

        var file = store.Find(bucket, key);
        if (file is null)
        {
            return S3Error(context, StatusCodes.Status404NotFound, "NoSuchKey", "The specified key does not exist.", bucket, key);
        }

        context.Response.Headers["x-amz-request-id"] = NewRequestId();
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}"))))[..32] + "\"");
        return Results.File(file.FullName, ContentTypeOf(key), lastModified: file.LastWriteTimeUtc, entityTag: etag, enableRangeProcessing: true);
    }

    private static string ContentTypeOf(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".mp4" => "video/mp4",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };

    /// <summary>S3's error document: an XML declaration, then one <c>Error</c> element, sent as application/xml.</summary>
    private static IResult S3Error(HttpContext context, int status, string code, string message, string? bucket = null, string? key = null, params XElement[] extra)
    {
        var requestId = NewRequestId();
        var error = new XElement("Error", new XElement("Code", code), new XElement("Message", message));
        if (key is not null)
        {
            error.Add(new XElement("Key", key));
        }

        if (bucket is not null)
        {
            error.Add(new XElement("BucketName", bucket));
            error.Add(new XElement("Resource", "/" + bucket + (key is null ? "" : "/" + key)));
        }

        error.Add(extra);
        error.Add(new XElement("RequestId", requestId), new XElement("HostId", Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(requestId)))));
        context.Response.Headers["x-amz-request-id"] = requestId;
        var body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + error.ToString(SaveOptions.DisableFormatting);
        return Results.Content(body, "application/xml", Encoding.UTF8, status);
    }

    private static string S3Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string NewRequestId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
}
