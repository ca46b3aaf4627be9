using System.Net;
using System.Net.Http.Headers;
using I2VStudio.Components.Browser;
using I2VStudio.E2E.Tests.Infrastructure;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace I2VStudio.E2E.Tests.Journeys;

/// <summary>
/// The host's upload endpoint (<c>POST /_i2v/upload/{slot}</c>, issue 14): a circuit's upload slot takes one body of at
/// most the image cap (1 MB here), as application/octet-stream, and the request is answered once the circuit is done
/// with it; and in the browser, Generate sends the image that way.
/// </summary>
public sealed class UploadSlotTests(BrowserFixture browser, SmallImageCapFixture studio)
    : StudioTest<SmallImageCapFixture>(browser, studio), IClassFixture<SmallImageCapFixture>
{
    private IUploadSlots Slots => Studio.HostServices.GetRequiredService<IUploadSlots>();

    private static ByteArrayContent Octets(byte[] bytes) =>
        new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

    private async Task<HttpResponseMessage> PostAsync(string slot, HttpContent content)
    {
        using var http = new HttpClient { BaseAddress = Studio.BaseUri };
        return await http.PostAsync(new Uri("_i2v/upload/" + slot, UriKind.Relative), content, Ct);
    }

    [Fact]
    public async Task Post_OpenSlot_CircuitReadsTheBytesThenTheRequestAnswers204()
    {
        var bytes = TestImages.Png(200, 100);
        using var slot = Slots.Open();

        var posting = PostAsync(slot.Id, Octets(bytes));
        var received = new MemoryStream();
        await using (var body = await slot.ReceiveAsync(Ct))
        {
            await body.CopyToAsync(received, Ct);
        }

        using var response = await posting;
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(bytes, received.ToArray());
    }

    [Fact]
    public async Task Post_SameSlotTwice_SecondIs404()
    {
        using var slot = Slots.Open();
        var first = PostAsync(slot.Id, Octets([1, 2, 3]));
        (await slot.ReceiveAsync(Ct)).Dispose();
        using var firstResponse = await first;

        using var second = await PostAsync(slot.Id, Octets([1, 2, 3]));

        Assert.Equal(HttpStatusCode.NoContent, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
    }

    [Fact]
    public async Task Post_SlotNeverOpened_404()
    {
        using var response = await PostAsync("0123456789abcdef0123456789abcdef", Octets([1, 2, 3]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_FormInsteadOfOctetStream_415AndTheSlotStaysOpen()
    {
        using var slot = Slots.Open();

        using var response = await PostAsync(slot.Id, new FormUrlEncodedContent([new("image", "x")]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var posting = PostAsync(slot.Id, Octets([1, 2, 3]));
        (await slot.ReceiveAsync(Ct)).Dispose();
        Assert.Equal(HttpStatusCode.NoContent, (await posting).StatusCode);
    }

    [Fact]
    public async Task Post_DeclaredOverTheCap_413()
    {
        using var slot = Slots.Open();

        using var response = await PostAsync(slot.Id, Octets(new byte[SmallImageCapFixture.MaxBytes + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_ChunkedOverTheCap_CircuitsReadFailsAnd413()
    {
        using var slot = Slots.Open();
        // No Content-Length: the body is only found too large while it is read.
        var chunked = new StreamContent(new NonSeekableStream(new byte[SmallImageCapFixture.MaxBytes + 10]));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var posting = PostAsync(slot.Id, chunked);
        await using (var body = await slot.ReceiveAsync(Ct))
        {
            await Assert.ThrowsAsync<InvalidDataException>(() => body.CopyToAsync(Stream.Null, Ct));
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await posting).StatusCode);
    }

    [Fact]
    public async Task PickThenGenerate_ServerMode_ImageCrossesOnceWhenPickedAndServesJobAndAsset()
    {
        var uploads = new List<IRequest>();
        var firstUpload = new TaskCompletionSource();
        Page.RequestFinished += (_, request) =>
        {
            if (!request.Url.Contains("/_i2v/upload/", StringComparison.Ordinal)) return;
            lock (uploads) uploads.Add(request);
            firstUpload.TrySetResult();
        };
        var png = TestImages.Png(320, 180);
        await Ui.OpenAsync();
        await Ui.PickPngAsync("slot.png", png, 320, 180);

        // The image goes to the host when it is picked, before Generate (BrowserBlobStore.Stage).
        await firstUpload.Task.WaitAsync(Timeouts.JobSpan, Ct);
        await Ui.FillPromptAsync("A slow pan across a harbour");
        var card = await Ui.GenerateAsync();

        // The job completing proves the backend received the image; PENDING alone is too brief to wait for.
        await StudioPage.ExpectCeleryAsync(card, "SUCCESS", timeout: Timeouts.Job);
        // Once the backend accepted the job the host keeps the image as an asset, read from the same copy on the host.
        var assets = Studio.HostServices.GetRequiredService<AssetStore>();
        var deadline = DateTimeOffset.UtcNow + Timeouts.JobSpan;
        IReadOnlyList<Asset> kept;
        while ((kept = await assets.SearchAsync("slot", AssetKind.Image, Ct)).Count == 0 && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(50, Ct);
        var asset = Assert.Single(kept);
        Assert.Equal(png.Length, asset.Size);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(png)), asset.Sha256, ignoreCase: true);

        IRequest[] seen;
        lock (uploads) seen = [.. uploads];
        var upload = Assert.Single(seen); // one crossing from the browser: not again for the job, not again for the asset
        Assert.Equal("POST", upload.Method);
        Assert.Equal(png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), await upload.HeaderValueAsync("content-length"));
        Assert.Equal(204, (await upload.ResponseAsync())?.Status);
    }

    /// <summary>A stream HttpClient cannot measure, so it sends chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
