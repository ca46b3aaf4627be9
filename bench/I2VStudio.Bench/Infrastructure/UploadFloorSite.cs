using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// The least a browser-driven submission can be, for scenario 3's floor: a plain page (no framework, no stylesheet) whose
/// file input copies the picked file to this site (one POST, kept in a file, as the studio's upload slot), and whose
/// button asks this site to POST that copy to the backend; the page then writes the job id into a span. The same
/// machine, browser and backend as the studio, and the direct POST's form; no Blazor, SignalR, MudBlazor or tracker.
/// </summary>
public sealed class UploadFloorSite : IAsyncDisposable
{
    private const string Html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8" /><title>Upload floor</title></head>
        <body>
        <input type="file" id="image" accept="image/*" />
        <p id="staged"></p>
        <button id="generate" type="button">Generate video</button>
        <p class="result-panel">Job <span data-part="job-id"></span></p>
        <script>
          const staged = document.getElementById('staged');
          document.getElementById('image').addEventListener('change', async e => {
            staged.textContent = '';
            const file = e.target.files[0];
            const response = await fetch('stage', { method: 'POST', body: file });
            staged.textContent = response.ok ? 'staged ' + file.name : 'failed';
          });
          document.getElementById('generate').addEventListener('click', async () => {
            const response = await fetch('submit', { method: 'POST' });
            document.querySelector('[data-part=job-id]').textContent = await response.text();
          });
        </script>
        </body></html>
        """;

    private readonly LoopbackListener _listener;
    private readonly HttpClient _backend;
    private readonly string _stagedPath = Path.Combine(Path.GetTempPath(), $"i2v-bench-floor-{Guid.NewGuid():N}.png");
    private readonly List<(double Start, double End)> _posts = [];

    private UploadFloorSite(Uri backend)
    {
        _backend = new HttpClient { BaseAddress = backend, Timeout = TimeSpan.FromMinutes(5) };
        _listener = new LoopbackListener(HandleAsync);
    }

    public Uri BaseUri => _listener.BaseUri;

    /// <summary>
    /// Each backend POST so far: sent and answered (response headers), in seconds on the monotonic clock
    /// (<see cref="Monotonic"/>), as the studio's job POST is timed.
    /// </summary>
    public IReadOnlyList<(double Start, double End)> Posts
    {
        get
        {
            lock (_posts) return [.. _posts];
        }
    }

    public static UploadFloorSite Start(Uri backend) => new(backend);

    private async Task HandleAsync(HttpListenerContext context)
    {
        switch (context.Request.HttpMethod, context.Request.Url?.AbsolutePath)
        {
            case ("GET", "/"):
                await WriteAsync(context.Response, "text/html; charset=utf-8", Html);
                break;
            case ("POST", "/stage"):
                await using (var file = new FileStream(_stagedPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20, useAsync: true))
                {
                    await context.Request.InputStream.CopyToAsync(file, 1 << 20);
                }

                await WriteAsync(context.Response, "text/plain", "ok");
                break;
            case ("POST", "/submit"):
                await WriteAsync(context.Response, "text/plain", await PostStagedAsync());
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    /// <summary>Posts <see cref="JobForm"/> with the image streamed from the staged copy; returns the backend's job id.</summary>
    private async Task<string> PostStagedAsync()
    {
        await using var image = new FileStream(_stagedPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        using var form = JobForm(new StreamContent(image, 1 << 20));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/turbodiffusion/wan22-i2v/jobs") { Content = form };
        var sent = Monotonic.Now();
        using var answer = await _backend.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var answered = Monotonic.Now();
        answer.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        lock (_posts) _posts.Add((sent, answered));
        return json.RootElement.GetProperty("job_id").GetString() ?? "";
    }

    /// <summary>Scenario 3's job form, the same for the direct POST and the floor: the image part, then the fields.</summary>
    public static MultipartFormDataContent JobForm(HttpContent png)
    {
        ArgumentNullException.ThrowIfNull(png);
        var form = new MultipartFormDataContent();
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(png, "image", "noise.png");
        form.Add(new StringContent("Static on an old television, slowly resolving into a face"), "prompt");
        form.Add(new StringContent("0"), "seed");
        form.Add(new StringContent("4"), "num_steps");
        form.Add(new StringContent("true"), "quantized");
        return form;
    }

    private static async Task WriteAsync(HttpListenerResponse response, string type, string text)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        response.ContentType = type;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _backend.Dispose();
        File.Delete(_stagedPath);
    }
}
