using I2VStudio.Components.Browser;
using I2VStudio.Components.Imaging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace I2VStudio.Components.Tests.Browser;

public class UploadSlotsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 6, 0, 0, TimeSpan.Zero));
    private readonly InMemoryUploadSlots _slots;

    public UploadSlotsTests() => _slots = new InMemoryUploadSlots(_time, Options.Create(new ImageLimits { MaxBytes = 10 }));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MemoryStream Body(int bytes) => new([.. Enumerable.Range(0, bytes).Select(i => (byte)i)]);

    [Fact]
    public async Task DeliverAsync_OpenSlot_ReaderGetsTheBytesAndTheRequestEndsWhenTheReaderIsDone()
    {
        using var slot = _slots.Open();

        var delivering = _slots.DeliverAsync(slot.Id, Body(10), 10, Ct);
        var received = new MemoryStream();
        await using (var body = await slot.ReceiveAsync(Ct))
        {
            await body.CopyToAsync(received, Ct);
            Assert.False(delivering.IsCompleted);
        }

        Assert.Equal(UploadSlotOutcome.Delivered, await delivering);
        Assert.Equal(Body(10).ToArray(), received.ToArray());
    }

    [Fact]
    public async Task DeliverAsync_UnknownSlot_NotFound()
    {
        using var slot = _slots.Open();

        Assert.Equal(UploadSlotOutcome.NotFound, await _slots.DeliverAsync("0123456789abcdef0123456789abcdef", Body(3), 3, Ct));
    }

    [Fact]
    public async Task DeliverAsync_SecondBodyToTheSameSlot_NotFound()
    {
        using var slot = _slots.Open();
        var first = _slots.DeliverAsync(slot.Id, Body(3), 3, Ct);

        var second = await _slots.DeliverAsync(slot.Id, Body(3), 3, Ct);

        Assert.Equal(UploadSlotOutcome.NotFound, second);
        (await slot.ReceiveAsync(Ct)).Dispose();
        Assert.Equal(UploadSlotOutcome.Delivered, await first);
    }

    [Fact]
    public async Task DeliverAsync_AfterTheLifetime_NotFound()
    {
        using var slot = _slots.Open();

        _time.Advance(InMemoryUploadSlots.Lifetime);

        Assert.Equal(UploadSlotOutcome.NotFound, await _slots.DeliverAsync(slot.Id, Body(3), 3, Ct));
    }

    [Fact]
    public async Task ReceiveAsync_NothingArrivesInTheLifetime_ThrowsTimeoutAndDeletesTheSlot()
    {
        var slot = _slots.Open();
        var receiving = slot.ReceiveAsync(Ct);

        _time.Advance(InMemoryUploadSlots.Lifetime);

        await Assert.ThrowsAsync<TimeoutException>(() => receiving);
        Assert.Equal(0, _slots.Count);
    }

    [Fact]
    public async Task Dispose_UnusedSlot_DeletesIt()
    {
        var slot = _slots.Open();

        slot.Dispose();

        Assert.Equal(0, _slots.Count);
        Assert.Equal(UploadSlotOutcome.NotFound, await _slots.DeliverAsync(slot.Id, Body(3), 3, Ct));
    }

    [Fact]
    public async Task DeliverAsync_DeclaredLengthOverTheCap_TooLargeAndSlotGone()
    {
        using var slot = _slots.Open();

        Assert.Equal(UploadSlotOutcome.TooLarge, await _slots.DeliverAsync(slot.Id, Body(11), 11, Ct));
        Assert.Equal(0, _slots.Count);
    }

    [Fact]
    public async Task DeliverAsync_UndeclaredBodyOverTheCap_ReaderFailsAndOutcomeIsTooLarge()
    {
        using var slot = _slots.Open();
        var delivering = _slots.DeliverAsync(slot.Id, Body(11), null, Ct);

        await using (var body = await slot.ReceiveAsync(Ct))
        {
            await Assert.ThrowsAsync<InvalidDataException>(() => body.CopyToAsync(Stream.Null, Ct));
        }

        Assert.Equal(UploadSlotOutcome.TooLarge, await delivering);
    }

    [Fact]
    public async Task Dispose_BodyArrivedButNeverRead_EndsTheRequest()
    {
        var slot = _slots.Open();
        var delivering = _slots.DeliverAsync(slot.Id, Body(3), 3, Ct);

        slot.Dispose();

        Assert.Equal(UploadSlotOutcome.Delivered, await delivering);
    }

    [Fact]
    public void Open_Twice_GivesDistinct128BitIds()
    {
        using var a = _slots.Open();
        using var b = _slots.Open();

        Assert.NotEqual(a.Id, b.Id);
        Assert.Matches("^[0-9a-f]{32}$", a.Id);
    }
}
