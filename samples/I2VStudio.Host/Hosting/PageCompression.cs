using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// Compresses the prerendered pages (about 48 KB of HTML → about 12 KB). Static assets come precompressed from
/// <c>MapStaticAssets</c>; downloads, the proxy's API traffic and the circuit are not HTML and are left alone.
/// </summary>
internal static class PageCompression
{
    public static IServiceCollection AddPageCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            // BREACH recovers a secret that repeats in every response next to attacker-reflected input. The studio's
            // pages carry no antiforgery token or session secret (the prerender descriptor is encrypted afresh per
            // request), so HTTPS responses are compressed too.
            options.EnableForHttps = true;
            options.MimeTypes = ["text/html"];
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Optimal);
        return services;
    }
}
