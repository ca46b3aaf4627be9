using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// The user's language and theme: languages from the browser's Accept-Language unless chosen (a cookie set by
/// <c>/_culture/set</c>); the theme in a cookie too, so the prerendered page already has the right colours.
/// </summary>
public static class Preferences
{
    /// <summary>The languages the studio speaks; the first is the fallback.</summary>
    public static readonly string[] Cultures = ["en", "zh-CN"];

    /// <summary>The theme cookie's name; its value is <c>dark</c> or <c>light</c>.</summary>
    public const string ThemeCookie = I2VStudio.Host.Components.Layout.ThemeState.CookieName;

    /// <summary>Languages: cookie first, then Accept-Language in the user's order, where any Chinese maps to zh-CN.</summary>
    public static void ConfigureLocalization(RequestLocalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cultures = Cultures.Select(CultureInfo.GetCultureInfo).ToList();
        options.DefaultRequestCulture = new RequestCulture(Cultures[0]);
        options.SupportedCultures = cultures;
        options.SupportedUICultures = cultures;
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider(),
            new CustomRequestCultureProvider(context => Task.FromResult(FromAcceptLanguage(context.Request.Headers.AcceptLanguage.ToString()))),
        ];
    }

    /// <summary>The first language in the header (by quality) that the studio speaks; <c>zh</c>, <c>zh-TW</c>, <c>zh-Hans</c> → zh-CN.</summary>
    internal static ProviderCultureResult? FromAcceptLanguage(string header)
    {
        if (!StringWithQualityHeaderValue.TryParseList([header], out var languages)) return null;
        foreach (var language in languages.OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = language.Value.ToString();
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase)) return new ProviderCultureResult("zh-CN");
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return new ProviderCultureResult("en");
        }

        return null;
    }

    /// <summary>Maps <c>/_culture/set?culture=..&amp;redirectUri=..</c>: remembers the language for a year and goes back.</summary>
    public static IEndpointRouteBuilder MapPreferences(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/_culture/set", (string? culture, string? redirectUri, HttpContext context) =>
        {
            // Only local paths: "/x" but not "//evil.example" or "/\evil.example" (an open redirect otherwise).
            var target = string.IsNullOrEmpty(redirectUri) ? "/" : redirectUri;
            if (!IsLocalUrl(target)) return Results.BadRequest("redirectUri must be a local path such as /tools/i2v.");
            if (culture is null || !Cultures.Contains(culture, StringComparer.OrdinalIgnoreCase))
                return Results.BadRequest("culture must be one of: " + string.Join(", ", Cultures));

            var chosen = Cultures.First(c => c.Equals(culture, StringComparison.OrdinalIgnoreCase));
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax, HttpOnly = false, Path = "/" });
            return Results.LocalRedirect(target);
        }).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>Whether <paramref name="url"/> is a path on this site (the same rule as MVC's <c>IsLocalUrl</c>).</summary>
    internal static bool IsLocalUrl(string url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/') return url.StartsWith("~/", StringComparison.Ordinal) && !url.StartsWith("~//", StringComparison.Ordinal) && !url.StartsWith("~/\\", StringComparison.Ordinal);
        if (url.Length == 1) return true;
        return url[1] != '/' && url[1] != '\\' && !url.Any(char.IsControl);
    }

    /// <summary>Whether the request's theme cookie asks for dark mode.</summary>
    public static bool IsDark(HttpContext? context) =>
        context?.Request.Cookies[ThemeCookie] is "dark";
}
