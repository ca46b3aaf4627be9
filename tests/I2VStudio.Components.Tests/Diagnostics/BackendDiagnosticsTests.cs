using System.Net;
using Bunit;
using I2VStudio.Components.Diagnostics;
using I2VStudio.Components.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Tests.Diagnostics;

/// <summary>The diagnostics owner on its own (a plain class), and the panel given its data without any backend.</summary>
public sealed class BackendDiagnosticsTests : BunitContext
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeTurboDiffusionApi _api;
    private readonly FixedProfileResolver _profiles = new();

    public BackendDiagnosticsTests()
    {
        _api = new FakeTurboDiffusionApi(_time);
        JSInterop.Mode = JSRuntimeMode.Strict;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddSingleton(Options.Create(new TurboDiffusionOptions { BaseUrl = new Uri("http://gpu-box:8000/") }));
    }

    private BackendDiagnostics Create() => new(_api, new BackendFeaturesReader(_profiles, _api), _time);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public void New_CallsNothing()
    {
        using var diagnostics = Create();

        Assert.Equal(0, _api.Calls);
        Assert.Null(diagnostics.Health);
        Assert.False(diagnostics.Loading);
    }

    [Fact]
    public async Task Refresh_EachCallTimedOnTheClockAndTheCheckTimeKept()
    {
        _api.HealthDelay = TimeSpan.FromMilliseconds(37);
        using var diagnostics = Create();

        await diagnostics.RefreshAsync(Ct);

        Assert.Equal("ok", diagnostics.Health?.Value?.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(37), diagnostics.Health?.RoundTrip);
        Assert.Equal("/srv/models", diagnostics.Paths?.Value?.ModelsDir);
        Assert.Equal(BackendProfile.Legacy, diagnostics.Features?.Value?.Profile);
        Assert.Equal(_time.GetLocalNow(), diagnostics.CheckedAt);
        Assert.False(diagnostics.Loading);
    }

    [Fact]
    public async Task Refresh_RaisesChangedWhenItStartsAndWhenItEnds()
    {
        using var diagnostics = Create();
        var loadingSeen = new List<bool>();
        diagnostics.Changed += (_, _) => loadingSeen.Add(diagnostics.Loading);

        await diagnostics.RefreshAsync(Ct);

        Assert.Equal([true, false], loadingSeen);
    }

    [Fact]
    public async Task Refresh_OneCallFails_ItsErrorWithTheStatusAndTheOthersStill()
    {
        _api.Health = () => throw new TurboDiffusionApiException(ApiFailureKind.Http, "Bad gateway", HttpStatusCode.BadGateway);
        using var diagnostics = Create();

        await diagnostics.RefreshAsync(Ct);

        Assert.Equal("Bad gateway (HTTP 502)", diagnostics.Health?.Error);
        Assert.Null(diagnostics.Health?.Value);
        Assert.NotNull(diagnostics.Paths?.Value);
    }

    [Fact]
    public async Task Dispose_NoMoreChangedAndNoMoreCalls()
    {
        var diagnostics = Create();
        var raised = 0;
        diagnostics.Changed += (_, _) => raised++;

        diagnostics.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => diagnostics.RefreshAsync(Ct));
        Assert.Equal((0, 0), (raised, _api.Calls));
    }

    [Fact]
    public void Panel_NothingChecked_ShowsTheBackendUrlAndCallsNothing()
    {
        var cut = Render<DiagnosticsPanel>(p => p.Add(c => c.Diagnostics, null));

        Assert.Equal("http://gpu-box:8000/", cut.Find("[data-testid=diag-backend-url]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=diag-rtt]"));
        Assert.Equal(0, _api.Calls);
    }

    [Fact]
    public async Task Panel_GivenAFinishedCheck_RendersItWithoutCallingAgain()
    {
        using var diagnostics = Create();
        await diagnostics.RefreshAsync(Ct);

        var cut = Render<DiagnosticsPanel>(p => p.Add(c => c.Diagnostics, diagnostics));

        Assert.Contains("ok", cut.Find("[data-testid=diag-health]").TextContent, StringComparison.Ordinal);
        Assert.Equal(3, _api.Calls);
    }

    [Fact]
    public void Panel_RefreshClicked_RaisesOnRefreshOnly()
    {
        var refreshes = 0;
        var cut = Render<DiagnosticsPanel>(p => p.Add(c => c.Diagnostics, null).Add(c => c.OnRefresh, () => refreshes++));

        cut.Find("button").Click();

        Assert.Equal((1, 0), (refreshes, _api.Calls));
    }
}
