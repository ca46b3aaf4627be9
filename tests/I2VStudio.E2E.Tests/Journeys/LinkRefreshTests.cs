using System.Globalization;
using System.Web;
using I2VStudio.E2E.Tests.Infrastructure;
using TurboDiffusion.Emulator;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>Journey 4, second half: after the video link expired, a reload still plays the video (a fresh link).</summary>
[Collection(SharedStudio.Name)]
public sealed class LinkRefreshTests(BrowserFixture browser, StudioFixture studio) : StudioTest<StudioFixture>(browser, studio)
{
    // Longer than the studio's smallest refresh lead (5 s), so the open page is not refreshing the link all the time.
    private static readonly TimeSpan UrlLifetime = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Reload_AfterVideoLinkExpired_VideoPlaysFromFreshLink()
    {
        Emulator.Faults.Update(f => f with { UrlLifetime = UrlLifetime });
        await Ui.OpenAsync();
        await Ui.PickPngAsync("meadow.png", TestImages.Png(320, 240), 320, 240);
        await Ui.FillPromptAsync("Wind over a meadow");
        var card = await Ui.GenerateAsync();
        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        var first = await Ui.WaitForPlayableVideoAsync();
        Assert.Contains("X-Amz-Expires=6", first.Src, StringComparison.Ordinal);

        // Leave the studio for a page without it (nothing refreshes the link there), then wait until every link the
        // browser stored has expired — checked by the storage origin itself answering 403.
        await Page.GotoAsync("projects");
        var stored = await Page.EvaluateAsync<string[]>("""
            () => {
              const found = [];
              const walk = v => {
                if (typeof v === 'string') { if (/^https?:\/\/.*X-Amz-Signature=/.test(v)) found.push(v); }
                else if (v && typeof v === 'object') Object.values(v).forEach(walk);
              };
              for (const key of Object.keys(localStorage)) {
                try { walk(JSON.parse(localStorage.getItem(key))); } catch { /* not JSON */ }
              }
              return found;
            }
            """);
        Assert.NotEmpty(stored);
        var lastExpiry = stored.Select(ExpiresAt).Max().ToUnixTimeMilliseconds();
        await Page.WaitForFunctionAsync($"() => Date.now() > {lastExpiry + 1000}", null, new() { PollingInterval = 250, Timeout = 30_000 });
        using (var http = new HttpClient())
        {
            foreach (var url in stored.Distinct())
            {
                using var expired = await http.GetAsync(new Uri(url), Ct);
                Assert.Equal(System.Net.HttpStatusCode.Forbidden, expired.StatusCode);
            }
        }

        await Ui.OpenAsync();

        await StudioPage.ExpectCeleryAsync(Ui.Cards.First, "SUCCESS");
        var again = await Ui.WaitForPlayableVideoAsync();
        Assert.DoesNotContain(again.Src, stored);
        Assert.InRange(again.Duration, 4.9, 5.2);
        await Expect(Ui.Result.Locator("[data-part=link-gone]")).ToHaveCountAsync(0);
    }

    private static DateTimeOffset ExpiresAt(string presignedUrl)
    {
        var query = HttpUtility.ParseQueryString(new Uri(presignedUrl).Query);
        var signedAt = DateTimeOffset.ParseExact(query["X-Amz-Date"]!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);
        return signedAt.AddSeconds(int.Parse(query["X-Amz-Expires"]!, CultureInfo.InvariantCulture));
    }
}
