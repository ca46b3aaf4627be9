using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>What a presigned-URL check found.</summary>
internal enum SignatureOutcome
{
    Valid,

    /// <summary>No presigning parameters at all: an anonymous request on a private bucket.</summary>
    Anonymous,

    /// <summary>Some presigning parameters missing or malformed.</summary>
    Malformed,

    /// <summary>The HMAC does not match: the URL was changed after signing.</summary>
    SignatureMismatch,

    Expired,
}

internal sealed record SignatureCheck(SignatureOutcome Outcome, DateTimeOffset SignedAt = default, long ExpiresSeconds = 0);

/// <summary>
/// Mints and checks presigned download URLs shaped like S3 SigV4 query signing. The signature is a
/// plain HMAC-SHA256 over method, path and the other query parameters (not the full SigV4 key
/// derivation: clients never verify it, they only need it to be opaque, tamper-evident and to expire).
/// </summary>
internal sealed class UrlSigner
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    private const string Region = "us-east-1";
    private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private static readonly string[] RequiredParameters =
        ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"];

    private readonly byte[] secret;
    private readonly string accessKey;
    private readonly FaultController faults;
    private readonly StorageOrigin origin;
    private readonly TimeProvider time;

    public UrlSigner(
        IOptions<EmulatorOptions> options,
        EmulatorPaths paths,
        FaultController faults,
        StorageOrigin origin,
        [FromKeyedServices(EmulatorServiceKeys.Clock)] TimeProvider time)
    {
        secret = options.Value.SigningSecret is { } configured ? Encoding.UTF8.GetBytes(configured) : LoadOrCreateSecret(paths.SigningKeyFile);
        accessKey = options.Value.AccessKey;
        this.faults = faults;
        this.origin = origin;
        this.time = time;
    }

    /// <summary>A fresh URL for GET of the object, valid for the current URL lifetime from now.</summary>
    public async Task<string> PresignAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var baseUri = await origin.GetBaseUriAsync(cancellationToken);
        var now = time.GetUtcNow();
        var path = "/" + bucket + "/" + key;
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = Algorithm,
            ["X-Amz-Credential"] = $"{accessKey}/{now.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}/{Region}/s3/aws4_request",
            ["X-Amz-Date"] = now.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["X-Amz-Expires"] = ((long)faults.UrlLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        var query = CanonicalQuery(parameters);
        var signature = Sign(path, query);
        var escapedPath = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        return $"{baseUri.GetLeftPart(UriPartial.Authority)}{escapedPath}?{query}&X-Amz-Signature={signature}";
    }

    public SignatureCheck Verify(string bucket, string key, IQueryCollection query)
    {
        if (!RequiredParameters.Any(query.ContainsKey))
        {
            return new SignatureCheck(SignatureOutcome.Anonymous);
        }

        if (!RequiredParameters.All(query.ContainsKey)
            || query["X-Amz-Algorithm"] != Algorithm
            || !DateTimeOffset.TryParseExact(query["X-Amz-Date"], DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || !long.TryParse(query["X-Amz-Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return new SignatureCheck(SignatureOutcome.Malformed);
        }

        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (name != "X-Amz-Signature")
            {
                signed[name] = values.ToString();
            }
        }

        var expected = Encoding.ASCII.GetBytes(Sign("/" + bucket + "/" + key, CanonicalQuery(signed)));
        var actual = Encoding.ASCII.GetBytes(query["X-Amz-Signature"].ToString());
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return new SignatureCheck(SignatureOutcome.SignatureMismatch);
        }

        return time.GetUtcNow() > signedAt.AddSeconds(expires)
            ? new SignatureCheck(SignatureOutcome.Expired, signedAt, expires)
            : new SignatureCheck(SignatureOutcome.Valid, signedAt, expires);
    }

    private static string CanonicalQuery(SortedDictionary<string, string> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private string Sign(string path, string canonicalQuery)
    {
        var text = "GET\n" + path + "\n" + canonicalQuery;
        return Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Kept in the data directory so URLs minted before a restart still verify after it.</summary>
    private static byte[] LoadOrCreateSecret(string file)
    {
        if (File.Exists(file))
        {
            return Convert.FromHexString(File.ReadAllText(file).Trim());
        }

        var fresh = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(file, Convert.ToHexString(fresh));
        return fresh;
    }
}
