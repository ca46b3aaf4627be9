namespace I2VStudio.Components.Storage;

/// <summary>What the browser storage had to do.</summary>
public enum StorageNoticeKind
{
    /// <summary>Storage was full; thumbnails of the oldest finished jobs were removed to make room.</summary>
    ThumbnailsRemoved,
    /// <summary>Storage was full; the oldest finished jobs were removed from this browser to make room.</summary>
    RecordsRemoved,
    /// <summary>Storage was full and nothing could be freed: the job is kept for this session only.</summary>
    SaveFailed,
    /// <summary>
    /// Stored job records could not be read (corrupt or incomplete); they were set aside with their text unchanged
    /// (count in <see cref="StorageNotice.RecordsRemoved"/>).
    /// </summary>
    RecordsSetAside,
    /// <summary>
    /// More jobs were stored than <see cref="BrowserStorageOptions.MaxStoredJobs"/>: the oldest Succeeded or Failed ones
    /// were removed from this browser (count in <see cref="StorageNotice.RecordsRemoved"/>).
    /// </summary>
    RecordsCapped,
}

/// <summary>A notice for the user about browser storage.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="ThumbnailsRemoved">How many thumbnails were removed.</param>
/// <param name="RecordsRemoved">How many job records were removed.</param>
public sealed record StorageNotice(StorageNoticeKind Kind, int ThumbnailsRemoved = 0, int RecordsRemoved = 0);

/// <summary>
/// Tells the UI what the browser storage had to do (e.g. "storage full, thumbnails removed"). One per user session;
/// <c>&lt;JobNotifications /&gt;</c> shows each notice as a snackbar.
/// </summary>
public sealed class StorageNotices
{
    private readonly Lock _gate = new();
    private readonly List<Func<StorageNotice, Task>> _handlers = [];

    /// <summary>Calls <paramref name="handler"/> for every notice. Dispose the result to unsubscribe.</summary>
    public IDisposable Subscribe(Func<StorageNotice, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate) _handlers.Add(handler);
        return new Subscription(this, handler);
    }

    /// <summary>Raises a notice to every subscriber; a failing subscriber does not stop the others.</summary>
    public async Task PublishAsync(StorageNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        Func<StorageNotice, Task>[] handlers;
        lock (_gate) handlers = [.. _handlers];
        List<Exception>? errors = null;
        foreach (var handler in handlers)
        {
            try
            {
                await handler(notice).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One subscriber's failure must not hide the notice from the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null) throw new AggregateException(errors);
    }

    private void Unsubscribe(Func<StorageNotice, Task> handler)
    {
        lock (_gate) _handlers.Remove(handler);
    }

    private sealed class Subscription(StorageNotices owner, Func<StorageNotice, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Unsubscribe(handler);
        }
    }
}
