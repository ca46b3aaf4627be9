using I2VStudio.Components.Storage;

namespace I2VStudio.Components.Tests.Storage;

public class StorageNoticesTests
{
    [Fact]
    public async Task PublishAsync_OneSubscriberThrows_OthersStillReceiveAndErrorSurfaces()
    {
        var notices = new StorageNotices();
        var received = new List<StorageNotice>();
        using var failing = notices.Subscribe(_ => throw new InvalidOperationException("boom"));
        using var working = notices.Subscribe(n => { received.Add(n); return Task.CompletedTask; });

        await Assert.ThrowsAsync<AggregateException>(() => notices.PublishAsync(new StorageNotice(StorageNoticeKind.SaveFailed)));

        Assert.Single(received);
    }

    [Fact]
    public async Task Subscribe_Disposed_NoLongerReceives()
    {
        var notices = new StorageNotices();
        var count = 0;
        var subscription = notices.Subscribe(_ => { count++; return Task.CompletedTask; });

        subscription.Dispose();
        await notices.PublishAsync(new StorageNotice(StorageNoticeKind.ThumbnailsRemoved, 1));

        Assert.Equal(0, count);
    }
}
