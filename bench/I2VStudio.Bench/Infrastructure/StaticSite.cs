using System.Net;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// The baseline of "first contentful paint": a static single-page app on loopback — an HTML shell whose script renders
/// the studio's heading, a prompt box and a button, with the studio's own stylesheets — served from memory.
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly Dictionary<string, (byte[] Body, string Type)> _files;
    private readonly LoopbackListener _listener;

    private StaticSite(Dictionary<string, (byte[] Body, string Type)> files)
    {
        _files = files;
        _listener = new LoopbackListener(ServeAsync);
    }

    public Uri BaseUri => _listener.BaseUri;

    /// <summary>Serves the shell with the stylesheets found under <paramref name="wwwroot"/> (a published host's).</summary>
    public static StaticSite Start(string wwwroot)
    {
        const string html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <title>I2V Studio (static SPA)</title>
            <link href="MudBlazor.min.css" rel="stylesheet" /><link href="app.css" rel="stylesheet" />
            <script src="app.js" defer></script></head>
            <body><div id="app"></div></body></html>
            """;
        const string js = """
            const app = document.getElementById('app');
            app.innerHTML = '<header class="mud-appbar"><h1 class="mud-typography mud-typography-h5">I2V Studio</h1></header>' +
              '<main class="mud-main-content"><section><h2 class="mud-typography mud-typography-h6">Image</h2>' +
              '<button class="mud-button-root">Drop an image here</button></section>' +
              '<label for="p">Prompt</label><textarea id="p" rows="5"></textarea>' +
              '<button class="mud-button-root mud-button-filled" disabled>Generate video</button></main>';
            """;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal)
        {
            ["/"] = (System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8"),
            ["/app.js"] = (System.Text.Encoding.UTF8.GetBytes(js), "text/javascript"),
            ["/MudBlazor.min.css"] = (Read(Path.Combine(wwwroot, "_content", "MudBlazor", "MudBlazor.min.css")), "text/css"),
            ["/app.css"] = (Read(Path.Combine(wwwroot, "app.css")), "text/css"),
        };
        return new StaticSite(files);
    }

    private static byte[] Read(string path) => File.Exists(path) ? File.ReadAllBytes(path) : [];

    private async Task ServeAsync(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath ?? "/";
        if (_files.TryGetValue(path, out var file))
        {
            context.Response.ContentType = file.Type;
            context.Response.ContentLength64 = file.Body.Length;
            await context.Response.OutputStream.WriteAsync(file.Body);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
