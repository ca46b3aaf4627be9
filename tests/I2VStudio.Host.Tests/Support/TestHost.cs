extern alias host;

using System.Net.Sockets;
using System.Text;
using I2VStudio.Testing;

namespace I2VStudio.Host.Tests.Support;

/// <summary>The real studio host on a free Kestrel port with the given settings (see <see cref="StudioHostFactory"/>).</summary>
internal sealed class TestHost(IReadOnlyDictionary<string, string?> settings) : StudioHostFactory(settings)
{
    /// <summary>
    /// A host whose backend is <paramref name="backendUrl"/> (a "real" backend, not the emulator), in the WebAssembly
    /// render mode so the proxy and the job download route are mapped too; <paramref name="more"/> adds settings.
    /// </summary>
    public static TestHost ForBackend(Uri backendUrl, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["TurboDiffusion:BaseUrl"] = backendUrl.ToString(),
            ["TurboDiffusion:GetRetries"] = "0",
            ["I2VStudio:RenderMode"] = "WebAssembly",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in more) settings[key] = value;
        var host = new TestHost(settings);
        host.Start();
        return host;
    }

    /// <summary>A client for the host (no cookies, no redirects followed).</summary>
    public HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseUri };

    /// <summary>
    /// Sends <paramref name="method"/> <paramref name="rawTarget"/> exactly as written (HttpClient would normalise
    /// dot segments and escapes first) and returns the status code of the answer.
    /// </summary>
    public async Task<int> SendRawAsync(string method, string rawTarget, CancellationToken cancellationToken, string jsonBody = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(BaseUri.Host, BaseUri.Port, cancellationToken);
        await using var stream = tcp.GetStream();
        var body = Encoding.UTF8.GetByteCount(jsonBody);
        var request = $"{method} {rawTarget} HTTP/1.1\r\nHost: {BaseUri.Authority}\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {body}\r\nConnection: close\r\n\r\n{jsonBody}";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync(cancellationToken) ?? "";
        // "HTTP/1.1 404 Not Found"
        var parts = statusLine.Split(' ', 3);
        return parts.Length >= 2 && int.TryParse(parts[1], out var status) ? status : 0;
    }
}
