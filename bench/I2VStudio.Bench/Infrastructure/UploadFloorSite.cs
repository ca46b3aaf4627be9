using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// The least a browser-driven submission can be, for scenario 3's floor: a plain page (no framework, no stylesheet) whose
/// file input copies the picked file to this site (one POST, kept in a file, as the studio's upload slot), and whose
/// button asks this site to POST that copy to the backend; the page then writes the job id into a span. The same
/// machine, browser, backend and multipart form as the studio, without Blazor, SignalR, MudBlazor or the tracker.
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

    private readonly HttpListener _listener = new();
    private readonly HttpClient _backend;
    private readonly string _stagedPath = Path.Combine(Path.GetTempPath(), $"i2v-bench-floor-{Guid.NewGuid():N}.png");
    private readonly Task _loop;
    private readonly List<(double Start, double End)> _posts = [];

    private UploadFloorSite(Uri backend, int port)
    {
        _backend = new HttpClient { BaseAddress = backend, Timeout = TimeSpan.FromMinutes(5) };
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; }

    /// <summary>
    /// Each backend POST so far: sent and answered (response headers), in seconds on the monotonic clock
    /// (<see cref="System.Diagnostics.Stopwatch"/>), as the studio's job POST is timed.
    /// </summary>
    public IReadOnlyList<(double Start, double End)> Posts
    {
        get
        {
            lock (_posts) return [.. _posts];
        }
    }

    public static UploadFloorSite Start(Uri backend) => new(backend, ChildProcess.FreePort());

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // One request at a time is all the page makes; handled off the accept loop so a slow one blocks nothing.
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            switch (context.Request.HttpMethod, context.Request.Url?.AbsolutePath)
            {
                case ("GET", "/"):
                    await WriteAsync(response, "text/html; charset=utf-8", Html);
                    break;
                case ("POST", "/stage"):
                    await using (var file = new FileStream(_stagedPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20, useAsync: true))
                    {
                        await context.Request.InputStream.CopyToAsync(file, 1 << 20);
                    }

                    await WriteAsync(response, "text/plain", "ok");
                    break;
                case ("POST", "/submit"):
                    await WriteAsync(response, "text/plain", await PostStagedAsync());
                    break;
                default:
                    response.StatusCode = 404;
                    break;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or HttpListenerException)
        {
            response.StatusCode = 502;
        }
        finally
        {
            response.Close();
        }
    }

    /// <summary>The studio's form (image streamed from the staged file, then the fields), posted as it is.</summary>
    private async Task<string> PostStagedAsync()
    {
        await using var image = new FileStream(_stagedPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        using var form = new MultipartFormDataContent();
        var content = new StreamContent(image, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(content, "image", "noise.png");
        form.Add(new StringContent("Static on an old television, slowly resolving into a face"), "prompt");
        form.Add(new StringContent("0"), "seed");
        form.Add(new StringContent("4"), "num_steps");
        form.Add(new StringContent("true"), "quantized");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/turbodiffusion/wan22-i2v/jobs") { Content = form };
        var sent = Now();
        using var answer = await _backend.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var answered = Now();
        answer.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        lock (_posts) _posts.Add((sent, answered));
        return json.RootElement.GetProperty("job_id").GetString() ?? "";
    }

    private static double Now() => System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;

    private static async Task WriteAsync(HttpListenerResponse response, string type, string text)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        response.ContentType = type;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _backend.Dispose();
        File.Delete(_stagedPath);
    }
}
