using Bunit;
using I2VStudio.Components.Diagnostics;
using I2VStudio.Components.Tests.Support;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Tests.Diagnostics;

public class BackendChipTests : StudioTestContext
{
    [Fact]
    public void VideoGen_Chip_NamesTheApiAndListsTheCapabilities()
    {
        Profiles.Profile = BackendProfile.VideoGen;
        Api.Capabilities = () => new CapabilitiesResponse
        {
            Capabilities = new Dictionary<string, CapabilityStatus>
            {
                ["llm"] = new() { Status = "available" },
                ["tts"] = new() { Status = "unavailable" },
            },
        };

        var cut = Render<BackendChip>();

        cut.WaitForAssertion(() => Assert.Equal("VideoGen", cut.Find("[data-testid=backend-chip]").GetAttribute("data-profile")));
        Assert.Contains("VideoGen API", cut.Find("[data-testid=backend-chip]").TextContent, StringComparison.Ordinal);
        Assert.Equal("available", cut.Find("[data-testid=backend-chip]").GetAttribute("data-llm"));
        Assert.Contains("llm: available · tts: unavailable", cut.Find("[data-testid=backend-chip]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void VideoGen_ChineseTooltip_FullWidthColons()
    {
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        Profiles.Profile = BackendProfile.VideoGen;
        Api.Capabilities = () => new CapabilitiesResponse
        {
            Capabilities = new Dictionary<string, CapabilityStatus>
            {
                ["llm"] = new() { Status = "available" },
                ["tts"] = new() { Status = "unavailable" },
            },
        };

        var cut = Render<BackendChip>();

        cut.WaitForAssertion(() => Assert.Equal("VideoGen", cut.Find("[data-testid=backend-chip]").GetAttribute("data-profile")));
        Assert.Contains("llm：可用 · tts：不可用", cut.Find("[data-testid=backend-chip]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_Chip_SaysLegacyWithoutCallingTheCapabilitiesRoute()
    {
        Api.Capabilities = () => throw new InvalidOperationException("a legacy backend has no capabilities route");

        var cut = Render<BackendChip>();

        cut.WaitForAssertion(() => Assert.Equal("Legacy", cut.Find("[data-testid=backend-chip]").GetAttribute("data-profile")));
        Assert.Contains("Legacy API", cut.Find("[data-testid=backend-chip]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_Chip_SaysUnknownWithTheReason()
    {
        Profiles.Failure = new TurboDiffusionApiException(ApiFailureKind.Network, "Cannot reach the backend at http://gpu-box:8000/");

        var cut = Render<BackendChip>();

        cut.WaitForAssertion(() => Assert.Contains("Backend unknown", cut.Find("[data-testid=backend-chip]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Cannot reach the backend", cut.Find("[data-testid=backend-chip]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }
}
