using System.Net;
using I2VStudio.E2E.Tests.Infrastructure;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>The prerendered page travels compressed; a video download never is (it is already compressed).</summary>
[Collection(SharedStudio.Name)]
public sealed class PageDeliveryTests(StudioFixture studio)
{
    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task StudioPage_BrowserAcceptsCompression_HtmlArrivesCompressedAndSmaller(string encoding)
    {
        using var plainClient = new HttpClient { BaseAddress = studio.BaseUri };
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var client = new HttpClient(handler) { BaseAddress = studio.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "tools/i2v");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);

        using var compressed = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var plain = await plainClient.GetByteArrayAsync(new Uri("tools/i2v", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await compressed.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal(encoding, Assert.Single(compressed.Content.Headers.ContentEncoding));
        Assert.Equal("text/html", compressed.Content.Headers.ContentType?.MediaType);
        Assert.True(body.Length * 2 < plain.Length, $"{encoding}: {body.Length} bytes vs {plain.Length} plain");
    }
}
