using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>Who hears about record changes, in what order, and what a failing subscriber does to the others.</summary>
public sealed class JobChangeFeedTests
{
    private static readonly JobChange Change = new(JobChangeKind.Removed, "a", null, null);

    private readonly List<(JobChange Change, Exception Error)> _failures = [];

    private JobChangeFeed NewFeed() => new((change, ex) => _failures.Add((change, ex)));

    [Fact]
    public async Task PublishAsync_TwoSubscribers_EachHearsInSubscriptionOrder()
    {
        var feed = NewFeed();
        var heard = new List<string>();
        feed.Subscribe(c => { heard.Add("first:" + c.Id); return Task.CompletedTask; });
        feed.Subscribe(c => { heard.Add("second:" + c.Id); return Task.CompletedTask; });

        await feed.PublishAsync(Change);

        Assert.Equal(["first:a", "second:a"], heard);
    }

    [Fact]
    public async Task PublishAsync_SubscriberThrows_OthersStillHearAndFailureReported()
    {
        var feed = NewFeed();
        var heard = 0;
        feed.Subscribe(_ => throw new InvalidOperationException("broken panel"));
        feed.Subscribe(_ => Task.FromException(new InvalidOperationException("broken later")));
        feed.Subscribe(_ => { heard++; return Task.CompletedTask; });

        await feed.PublishAsync(Change);

        Assert.Equal(1, heard);
        Assert.Equal(["broken panel", "broken later"], _failures.Select(f => f.Error.Message));
        Assert.All(_failures, f => Assert.Same(Change, f.Change));
    }

    [Fact]
    public async Task Subscribe_Disposed_NoLongerHears()
    {
        var feed = NewFeed();
        var heard = 0;
        var subscription = feed.Subscribe(_ => { heard++; return Task.CompletedTask; });

        subscription.Dispose();
        await feed.PublishAsync(Change);

        Assert.Equal(0, heard);
        Assert.Equal(0, feed.Count);
    }

    [Fact]
    public async Task Close_ThenPublishOrSubscribe_NobodyHears()
    {
        var feed = NewFeed();
        var heard = 0;
        feed.Subscribe(_ => { heard++; return Task.CompletedTask; });

        feed.Close();
        using var late = feed.Subscribe(_ => { heard++; return Task.CompletedTask; });
        await feed.PublishAsync(Change);

        Assert.Equal(0, heard);
        Assert.Equal(0, feed.Count);
    }

    [Fact]
    public void Subscribe_NullHandler_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => NewFeed().Subscribe(null!));
    }
}
