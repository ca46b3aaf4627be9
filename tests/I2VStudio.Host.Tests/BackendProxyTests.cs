using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using I2VStudio.Host.Tests.Support;
using TurboDiffusion.Emulator;

namespace I2VStudio.Host.Tests;

/// <summary>
/// The same-origin proxy (WebAssembly render mode) forwards the job API, <c>/health</c> and <c>/paths</c>, and nothing
/// else: in particular never the emulator's admin routes (<c>/_emulator/*</c>: faults, reset, counters), however the
/// path is spelled.
/// </summary>
public sealed class BackendProxyTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Ways to spell an admin route so that it might slip past a prefix check or be resolved downstream.</summary>
    private static readonly string[] Targets =
    [
        "/_emulator/faults",
        "/_emulator/reset",
        "/v1/turbodiffusion/../../_emulator/faults",
        "/v1/turbodiffusion/%2e%2e/%2e%2e/_emulator/faults",
        "/v1/turbodiffusion/..%2f..%2f_emulator%2ffaults",
        "/v1/turbodiffusion/%2E%2E%2F%2E%2E%2F_emulator%2Freset",
        "/v1/turbodiffusion/..%5c..%5c_emulator%5cfaults",
        "/v1/turbodiffusion/%252e%252e%252f_emulator%252ffaults",
        "/v1/turbodiffusion//..//..//_emulator/faults",
        "/v1/turbodiffusion/jobs/..;/..;/_emulator/faults",
        "/health/../_emulator/faults",
        "/health%2f..%2f_emulator%2ffaults",
        "/paths/..%2f_emulator%2fcounters",
        "//_emulator/faults",
        "http://127.0.0.1/_emulator/faults",
    ];

    public static TheoryData<string> AdminTargets { get; } = new(Targets);

    [Theory]
    [MemberData(nameof(AdminTargets))]
    public async Task Proxy_AdminRouteSpelledAnyWay_NeverForwardedOutsideTheApi(string target)
    {
        await using var backend = await FakeServer.StartAsync(Ct);
        await using var host = TestHost.ForBackend(backend.BaseUri);

        foreach (var method in new[] { "GET", "POST", "PUT", "DELETE" })
        {
            var status = await host.SendRawAsync(method, target, Ct);
            Assert.NotEqual(200, status);
        }

        // Whatever reached the backend, read the way the most lenient server would (decoded until stable, backslashes
        // as slashes, dot segments resolved), is still inside the forwarded routes.
        Assert.All(backend.Requests, r => Assert.Matches("^/(v1/turbodiffusion/[^/]+(/[^/]+)*|health|paths)$", Lenient(r.Target)));
        Assert.DoesNotContain(backend.Requests, r => Lenient(r.Target).Contains("_emulator", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET", "/v1/turbodiffusion/jobs/0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11")]
    [InlineData("GET", "/v1/turbodiffusion/models")]
    [InlineData("POST", "/v1/turbodiffusion/wan22-i2v/jobs")]
    [InlineData("GET", "/v1/videogen/jobs/0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11")]
    [InlineData("POST", "/v1/videogen/wan22-i2v/jobs")]
    [InlineData("GET", "/v1/capabilities/status")]
    [InlineData("GET", "/openapi.json")]
    [InlineData("GET", "/health")]
    [InlineData("GET", "/paths")]
    public async Task Proxy_ApiRoutes_Forwarded(string method, string target)
    {
        await using var backend = await FakeServer.StartAsync(Ct);
        await using var host = TestHost.ForBackend(backend.BaseUri);

        var status = await host.SendRawAsync(method, target, Ct);

        Assert.Equal(200, status);
        Assert.Equal((method, target), Assert.Single(backend.Requests));
    }

    [Fact]
    public async Task Proxy_Emulator_AdminFaultsCannotBeChangedThroughTheHost()
    {
        await using var emulator = await TurboDiffusionEmulatorServer.StartAsync(new EmulatorOptions(), Ct);
        await using var host = TestHost.ForBackend(emulator.ApiBaseUri);
        var before = emulator.Faults.Current;
        using var client = host.Client();

        foreach (var target in Targets)
        {
            // HttpClient cannot send an absolute-form or "//" target: those go raw only.
            if (target.StartsWith('/') && !target.StartsWith("//", StringComparison.Ordinal))
            {
                using var put = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, new Uri(host.BaseUri, target))
                {
                    Content = JsonContent.Create(new JsonObject { ["brokerDown"] = true, ["dbDown"] = true }),
                }, Ct);
                Assert.NotEqual(HttpStatusCode.OK, put.StatusCode);
            }

            Assert.NotEqual(200, await host.SendRawAsync("PUT", target, Ct, """{"brokerDown":true,"dbDown":true}"""));
            Assert.NotEqual(200, await host.SendRawAsync("POST", target.Replace("faults", "reset", StringComparison.Ordinal), Ct));
        }

        Assert.Equal(before, emulator.Faults.Current);
        // The API itself still goes through.
        Assert.Equal(200, await host.SendRawAsync("GET", "/health", Ct));
    }

    private static string Lenient(string target)
    {
        var path = target.Split('?', 2)[0];
        for (var i = 0; i < 5; i++) path = Uri.UnescapeDataString(path);
        path = path.Replace('\\', '/').Replace(";", "", StringComparison.Ordinal);
        var segments = new List<string>();
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return "/" + string.Join('/', segments);
    }
}
