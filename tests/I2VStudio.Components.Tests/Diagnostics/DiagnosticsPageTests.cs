using System.Net;
using System.Text.Json;
using Bunit;
using I2VStudio.Components.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Tests.Diagnostics;

public class DiagnosticsPageTests : BunitContext
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeTurboDiffusionApi _api;

    public DiagnosticsPageTests()
    {
        _api = new FakeTurboDiffusionApi(_time);
        JSInterop.Mode = JSRuntimeMode.Strict; // the panel itself uses no JS; MudBlazor calls would fail the test
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<ITurboDiffusionApi>(_api);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(Options.Create(new TurboDiffusionOptions { BaseUrl = new Uri("http://gpu-box:8000/") }));
        Services.AddSingleton<IBackendProfileResolver>(_profiles);
        Services.AddScoped<BackendFeaturesReader>();
    }

    private readonly I2VStudio.Components.Tests.Support.FixedProfileResolver _profiles = new();

    private static CapabilitiesResponse FourCapabilities(bool llm) => new()
    {
        Capabilities = new Dictionary<string, CapabilityStatus>
        {
            ["tts"] = new() { Provider = "local", Status = "unavailable", Detail = "no TTS model" },
            ["imagegen"] = new() { Provider = "remote", Status = "unavailable" },
            ["videogen"] = new() { Provider = "local", Status = "available" },
            ["llm"] = new() { Provider = "openai", Status = llm ? "available" : "unavailable" },
        },
    };

    [Fact]
    public void Render_VideoGen_ShowsTheApiLostDetectionOffAndEachCapability()
    {
        _profiles.Profile = BackendProfile.VideoGen;
        _api.Capabilities = () => FourCapabilities(llm: true);

        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Equal("VideoGen", cut.Find("[data-testid=diag-api-profile]").GetAttribute("data-profile")));
        Assert.Contains("Lost detection is off", cut.Find("[data-testid=diag-lost-detection]").TextContent, StringComparison.Ordinal);
        Assert.Equal("available", cut.Find("[data-capability=llm]").GetAttribute("data-status"));
        Assert.Equal("unavailable", cut.Find("[data-capability=tts]").GetAttribute("data-status"));
        Assert.Contains("no TTS model", cut.Find("[data-capability=tts]").TextContent, StringComparison.Ordinal);
        Assert.Contains("GET /v1/videogen/models", cut.Find("[data-testid=diag-models]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Legacy_SaysLostDetectionOnAndNoCapabilitiesRoute()
    {
        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Equal("Legacy", cut.Find("[data-testid=diag-api-profile]").GetAttribute("data-profile")));
        Assert.Contains("Lost detection is on", cut.Find("[data-testid=diag-lost-detection]").TextContent, StringComparison.Ordinal);
        Assert.Contains("The legacy API has no capabilities route.", cut.Find("[data-testid=diag-api]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=diag-capabilities]"));
    }

    [Fact]
    public void Render_VideoGenModelsNotInstalled_ShowsTheBackendsErrorAsText()
    {
        _profiles.Profile = BackendProfile.VideoGen;
        _api.Models = () => new ModelsResponse { Error = "videogen not installed (<b>No module</b>)", Available = [] };

        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Contains("The backend says: videogen not installed (<b>No module</b>)",
            cut.Find("[data-testid=diag-models-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.Find("[data-testid=diag-models-error]").GetElementsByTagName("b"));
    }

    private static ModelsResponse TwoFileModel() => new()
    {
        ModelsRoot = "/srv/tsn/models/turbodiffusion",
        Available =
        [
            new ModelInfo
            {
                Model = "TurboWan2.2-I2V-A14B-720P",
                Quantized = true,
                Files =
                [
                    new ModelFile { Name = "Wan2.1_VAE.pth", Group = "base", Path = "/srv/tsn/models/Wan2.1_VAE.pth", Exists = true },
                    new ModelFile { Name = "TurboWan2.2-I2V-A14B-high-720P-quant.pth", Group = "dit", Path = "/srv/tsn/models/high.pth", Exists = false },
                ],
            },
        ],
        Extra = new Dictionary<string, JsonElement> { ["engine"] = JsonSerializer.SerializeToElement("ffmpeg zoom (CPU stand-in)") },
    };

    [Fact]
    public void Render_HealthyBackend_ShowsBackendUrlHealthAndPaths()
    {
        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Contains("ok", cut.Find("[data-testid=diag-health]").TextContent, StringComparison.Ordinal));
        Assert.Equal("http://gpu-box:8000/", cut.Find("[data-testid=diag-backend-url]").TextContent);
        Assert.Contains("/srv/models", cut.Find("[data-testid=diag-paths]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Models_ShowsEachFileWithExistsAndPath()
    {
        _api.Models = TwoFileModel;

        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=diag-model-file]").Count));
        var rows = cut.FindAll("[data-testid=diag-model-file]");
        Assert.Contains("Yes", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("/srv/tsn/models/Wan2.1_VAE.pth", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("No", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("1 of 2 model files are missing.", cut.Find("[data-testid=diag-model]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmulatorEngineExtra_IsShown()
    {
        _api.Models = TwoFileModel;

        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Equal("ffmpeg zoom (CPU stand-in)", cut.Find("[data-testid=diag-engine]").TextContent));
    }

    [Fact]
    public void Render_EachCall_ShowsItsRoundTripFromTheClock()
    {
        _api.HealthDelay = TimeSpan.FromMilliseconds(37);

        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=diag-rtt]").Count)); // health, paths, models and the API version
        Assert.Equal("Round trip: 37 ms", cut.Find("[data-testid=diag-health] [data-testid=diag-rtt]").TextContent);
    }

    [Fact]
    public void Render_ErrorWithMarkup_ShowsItAsText()
    {
        _api.Health = () => throw new TurboDiffusionApiException(ApiFailureKind.Http, "<script>alert('x')</script> Bad gateway", HttpStatusCode.BadGateway);

        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Equal("<script>alert('x')</script> Bad gateway (HTTP 502)", cut.Find("[data-testid=diag-health] .i2v-diag-error-text").TextContent));
        Assert.Empty(cut.FindAll("script"));
    }

    [Fact]
    public void Render_OneCallFails_OthersStillShow()
    {
        _api.Models = () => throw new TurboDiffusionApiException(ApiFailureKind.Network, "Cannot reach the backend at http://gpu-box:8000/.");

        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Contains("Cannot reach the backend", cut.Find("[data-testid=diag-models]").TextContent, StringComparison.Ordinal));
        Assert.Contains("ok", cut.Find("[data-testid=diag-health]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_Click_CallsTheBackendAgain()
    {
        var cut = Render<DiagnosticsPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, _api.Calls));
        _api.Health = () => new HealthResponse { Status = "degraded" };

        cut.Find("button").Click();

        cut.WaitForAssertion(() => Assert.Contains("degraded", cut.Find("[data-testid=diag-health]").TextContent, StringComparison.Ordinal));
        Assert.Equal(6, _api.Calls);
    }

    [Fact]
    public void Render_EngineExtraObject_ShowsEachFieldAsText()
    {
        _api.Models = () => TwoFileModel() with
        {
            Extra = new Dictionary<string, JsonElement>
            {
                ["engine"] = JsonSerializer.SerializeToElement(new { name = "ffmpeg-kenburns", stand_in = true, description = "<b>CPU stand-in</b>" }),
            },
        };

        var cut = Render<DiagnosticsPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=diag-engine] dt").Count));
        var values = cut.FindAll("[data-testid=diag-engine] dd").Select(d => d.TextContent).ToArray();
        Assert.Equal(["ffmpeg-kenburns", "true", "<b>CPU stand-in</b>"], values);
        Assert.Empty(cut.FindAll("[data-testid=diag-engine] b"));
    }
}
