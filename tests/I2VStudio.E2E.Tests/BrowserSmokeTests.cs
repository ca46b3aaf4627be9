using I2VStudio.Testing;
using Microsoft.Playwright;

namespace I2VStudio.E2E.Tests;

public class BrowserSmokeTests
{
    [Fact]
    public async Task Chromium_Launch_RendersAPage()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = DebianChromium.ExecutablePath,
            Headless = true,
            Args = DebianChromium.Args,
        });
        var page = await browser.NewPageAsync();
        await page.SetContentAsync("<h1>I2V</h1>");
        Assert.Equal("I2V", await page.InnerTextAsync("h1"));
    }
}
