using Bunit;
using I2VStudio.Components.Browser;

namespace I2VStudio.Components.Tests.Browser;

public class BrowserActionsTests : BunitContext
{
    private readonly BunitJSModuleInterop _module;

    public BrowserActionsTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule("./_content/I2VStudio.Components/js/browserActions.js");
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetTitleBadgeAsync_SameCountTwice_CallsTheBrowserOnce()
    {
        _module.SetupVoid("setTitleBadge", _ => true).SetVoidResult();
        var actions = new BrowserActions(JSInterop.JSRuntime);

        await actions.SetTitleBadgeAsync(2, Ct);
        await actions.SetTitleBadgeAsync(2, Ct);
        await actions.SetTitleBadgeAsync(0, Ct);

        Assert.Equal([2, 0], _module.Invocations["setTitleBadge"].Select(i => (int)i.Arguments[0]!));
    }

    [Theory]
    [InlineData("granted", BrowserNotificationState.Granted)]
    [InlineData("denied", BrowserNotificationState.Denied)]
    [InlineData("default", BrowserNotificationState.Default)]
    [InlineData("unsupported", BrowserNotificationState.Unsupported)]
    public async Task RequestNotificationPermissionAsync_BrowserAnswer_IsMapped(string answer, BrowserNotificationState expected)
    {
        _module.Setup<string>("requestNotificationPermission").SetResult(answer);

        var state = await new BrowserActions(JSInterop.JSRuntime).RequestNotificationPermissionAsync(Ct);

        Assert.Equal(expected, state);
    }

    [Fact]
    public async Task DownloadAsync_TicketUrl_PassesUrlAndFileName()
    {
        _module.SetupVoid("download", "/_i2v/download/abc", "i2v_2026-11-28_1432_seed42_4steps.mp4").SetVoidResult();

        await new BrowserActions(JSInterop.JSRuntime).DownloadAsync("/_i2v/download/abc", "i2v_2026-11-28_1432_seed42_4steps.mp4", Ct);

        Assert.Single(_module.Invocations["download"]);
    }
}
