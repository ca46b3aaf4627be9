using System.Net;
using I2VStudio.Packaging.Tests.Infrastructure;

namespace I2VStudio.Packaging.Tests;

/// <summary>
/// The default render mode keeps the host's surface small: the browser never calls the backend, so there is no proxy,
/// no job download route and no client settings endpoint — only the ticket route, whose tickets only the server makes.
/// </summary>
public sealed class ServerModeTests : IAsyncLifetime
{
    private StudioHost _host = default!;

    public async ValueTask InitializeAsync() => _host = await StudioHost.StartAsync("Server", Xunit.TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/health")]
    [InlineData("/paths")]
    [InlineData("/v1/turbodiffusion/models")]
    [InlineData("/v1/videogen/models")]
    [InlineData("/openapi.json")]
    [InlineData("/_i2v/client-config")]
    [InlineData("/_i2v/download/job/0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11/x.mp4")]
    public async Task ServerMode_BrowserOnlyRoutes_NotMapped(string path)
    {
        using var http = new HttpClient { BaseAddress = _host.BaseUri };

        using var response = await http.GetAsync(path, Xunit.TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("\"status\"", await response.Content.ReadAsStringAsync(Xunit.TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
