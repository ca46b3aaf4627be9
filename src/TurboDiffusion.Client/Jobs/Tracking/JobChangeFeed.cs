using System.Collections.Immutable;

namespace TurboDiffusion.Client.Jobs.Tracking;

/// <summary>
/// Who hears about record changes (<see cref="IJobTracker.Subscribe"/>): each change goes to every subscriber in the
/// order they subscribed, one after the other; a subscriber that throws is reported and the others still hear it.
/// Once closed (the tracker stopped) nobody hears anything and new subscriptions are ignored. Thread-safe.
/// </summary>
internal sealed class JobChangeFeed
{
    private readonly Action<JobChange, Exception> _handlerFailed;
    private readonly Lock _gate = new();
    private ImmutableList<Func<JobChange, Task>> _handlers = [];
    private bool _closed;

    /// <param name="handlerFailed">Told when a subscriber throws (the tracker logs it).</param>
    public JobChangeFeed(Action<JobChange, Exception> handlerFailed) => _handlerFailed = handlerFailed;

    /// <summary>How many subscribers there are.</summary>
    public int Count => Volatile.Read(ref _handlers).Count;

    /// <summary>Adds a subscriber (unless closed); dispose the result to remove it.</summary>
    public IDisposable Subscribe(Func<JobChange, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (!_closed) _handlers = _handlers.Add(handler);
        }

        return new Subscription(this, handler);
    }

    /// <summary>Tells every subscriber, in turn; never throws for a subscriber's failure.</summary>
    public async Task PublishAsync(JobChange change)
    {
        ImmutableList<Func<JobChange, Task>> handlers;
        lock (_gate)
        {
            if (_closed) return;
            handlers = _handlers;
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler(change).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A broken subscriber must not break tracking or the other subscribers.
                _handlerFailed(change, ex);
            }
        }
    }

    /// <summary>Drops every subscriber; later publications and subscriptions do nothing.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _handlers = [];
        }
    }

    private sealed class Subscription(JobChangeFeed feed, Func<JobChange, Task> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._gate) feed._handlers = feed._handlers.Remove(handler);
        }
    }
}
