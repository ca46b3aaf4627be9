using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace I2VStudio.Components.Browser;

/// <summary>
/// What a download ticket lets the host fetch: the video of one job, by the backend's job id, and the file name to save
/// it as. A ticket holds no URL: the host asks the configured backend for the job's status when the ticket is redeemed
/// and fetches the <c>output_url</c> of that live answer, so nothing stored in the browser (a job record in
/// localStorage, which the user can edit) ever decides what the host fetches.
/// </summary>
/// <param name="JobId">The backend's job id.</param>
/// <param name="FileName">The name to save as, e.g. <c>i2v_2026-11-28_1432_seed42_4steps.mp4</c>.</param>
public sealed record DownloadTicket(string JobId, string FileName);

/// <summary>
/// Short-lived, unguessable tickets for the host's download endpoint (<c>/_i2v/download/{ticket}</c>). Tickets are
/// made server-side only and name a job, never a URL, so the endpoint is no open proxy: the browser can only redeem.
/// </summary>
public interface IDownloadTickets
{
    /// <summary>Issues a ticket (128 random bits, URL-safe) for <paramref name="ticket"/>.</summary>
    string Issue(DownloadTicket ticket);

    /// <summary>The ticket's content, or null when unknown, expired or used up.</summary>
    DownloadTicket? Redeem(string ticket);
}

/// <summary>
/// <see cref="IDownloadTickets"/> in memory (one host process): tickets expire after <see cref="Lifetime"/> (10 min)
/// and can be redeemed <see cref="MaxUses"/> times (a browser may retry or probe a download once or twice).
/// </summary>
public sealed class InMemoryDownloadTickets : IDownloadTickets
{
    /// <summary>Longest life of a ticket.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>How many times one ticket can be redeemed.</summary>
    public const int MaxUses = 3;

    private readonly ConcurrentDictionary<string, Entry> _tickets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the store.</summary>
    public InMemoryDownloadTickets(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
    }

    /// <inheritdoc />
    public string Issue(DownloadTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var now = _time.GetUtcNow();
        Sweep(now);
        var expires = now + Lifetime;
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _tickets[id] = new Entry(ticket, expires, MaxUses);
        return id;
    }

    /// <inheritdoc />
    public DownloadTicket? Redeem(string ticket)
    {
        if (string.IsNullOrEmpty(ticket)) return null;
        var now = _time.GetUtcNow();
        while (_tickets.TryGetValue(ticket, out var entry))
        {
            if (entry.ExpiresAt <= now)
            {
                _tickets.TryRemove(new KeyValuePair<string, Entry>(ticket, entry));
                return null;
            }

            var used = entry with { UsesLeft = entry.UsesLeft - 1 };
            var swapped = used.UsesLeft == 0
                ? _tickets.TryRemove(new KeyValuePair<string, Entry>(ticket, entry))
                : _tickets.TryUpdate(ticket, used, entry);
            if (swapped) return entry.Ticket;
            // Another request redeemed it at the same moment: look again.
        }

        return null;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var pair in _tickets)
        {
            if (pair.Value.ExpiresAt <= now) _tickets.TryRemove(pair);
        }
    }

    private sealed record Entry(DownloadTicket Ticket, DateTimeOffset ExpiresAt, int UsesLeft);
}
