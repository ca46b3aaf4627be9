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

public class DiagnosticsPanelTests : BunitContext
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeTurboDiffusionApi _api;

    public DiagnosticsPanelTests()
    {
        _api = new FakeTurboDiffusionApi(_time);
        JSInterop.Mode = JSRuntimeMode.Strict; // the panel itself uses no JS; MudBlazor calls would fail the test
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton<ITurboDiffusionApi>(_api);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton(Options.Create(new TurboDiffusionOptions { BaseUrl = new Uri("http://gpu-box:8000/") }));
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
        var cut = Render<DiagnosticsPanel>();

        cut.WaitForAssertion(() => Assert.Contains("ok", cut.Find("[data-testid=diag-health]").TextContent, StringComparison.Ordinal));
        Assert.Equal("http://gpu-box:8000/", cut.Find("[data-testid=diag-backend-url]").TextContent);
        Assert.Contains("/srv/models", cut.Find("[data-testid=diag-paths]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Models_ShowsEachFileWithExistsAndPath()
    {
        _api.Models = TwoFileModel;

        var cut = Render<DiagnosticsPanel>();

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

        var cut = Render<DiagnosticsPanel>();

        cut.WaitForAssertion(() => Assert.Equal("ffmpeg zoom (CPU stand-in)", cut.Find("[data-testid=diag-engine]").TextContent));
    }

    [Fact]
    public void Render_EachCall_ShowsItsRoundTripFromTheClock()
    {
        _api.HealthDelay = TimeSpan.FromMilliseconds(37);

        var cut = Render<DiagnosticsPanel>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=diag-rtt]").Count));
        Assert.Equal("Round trip: 37 ms", cut.Find("[data-testid=diag-health] [data-testid=diag-rtt]").TextContent);
    }

    [Fact]
    public void Render_ErrorWithMarkup_ShowsItAsText()
    {
        _api.Health = () => throw new TurboDiffusionApiException(ApiFailureKind.Http, "<script>alert('x')</script> Bad gateway", HttpStatusCode.BadGateway);

        var cut = Render<DiagnosticsPanel>();

        cut.WaitForAssertion(() => Assert.Equal("<script>alert('x')</script> Bad gateway (HTTP 502)", cut.Find("[data-testid=diag-health] .i2v-diag-error-text").TextContent));
        Assert.Empty(cut.FindAll("script"));
    }

    [Fact]
    public void Render_OneCallFails_OthersStillShow()
    {
        _api.Models = () => throw new TurboDiffusionApiException(ApiFailureKind.Network, "Cannot reach the backend at http://gpu-box:8000/.");

        var cut = Render<DiagnosticsPanel>();

        cut.WaitForAssertion(() => Assert.Contains("Cannot reach the backend", cut.Find("[data-testid=diag-models]").TextContent, StringComparison.Ordinal));
        Assert.Contains("ok", cut.Find("[data-testid=diag-health]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Refresh_Click_CallsTheBackendAgain()
    {
        var cut = Render<DiagnosticsPanel>();
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

        var cut = Render<DiagnosticsPanel>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=diag-engine] dt").Count));
        var values = cut.FindAll("[data-testid=diag-engine] dd").Select(d => d.TextContent).ToArray();
        Assert.Equal(["ffmpeg-kenburns", "true", "<b>CPU stand-in</b>"], values);
        Assert.Empty(cut.FindAll("[data-testid=diag-engine] b"));
    }
}
