using System.Collections.Concurrent;
using System.Security.Cryptography;
using I2VStudio.Components.Imaging;
using Microsoft.Extensions.Options;

namespace I2VStudio.Components.Browser;

/// <summary>What became of a body posted to an upload slot.</summary>
public enum UploadSlotOutcome
{
    /// <summary>The slot's reader took the body and has finished with it.</summary>
    Delivered,

    /// <summary>No such slot: never opened, expired, already used or given up by its reader.</summary>
    NotFound,

    /// <summary>The body is larger than the slot's cap (<see cref="IUploadSlots.MaxBytes"/>).</summary>
    TooLarge,
}

/// <summary>
/// Short-lived, single-use upload slots for the host's upload endpoint (<c>POST /_i2v/upload/{slot}</c>), so a circuit
/// receives an image from its browser as one plain HTTP request instead of a JS stream over the circuit. A circuit
/// opens a slot and tells only its own browser the slot's id (128 random bits); the browser posts the bytes; the
/// circuit reads them as they arrive and streams them on to the backend. A slot takes one body of at most
/// <see cref="MaxBytes"/>, expires if none arrives in time, and is forgotten once used or given up. Only the
/// <see cref="UploadSlot"/> its opener holds can read what arrives: knowing an id lets a request deliver bytes to
/// that slot's opener, never read anything.
/// </summary>
public interface IUploadSlots
{
    /// <summary>The most bytes a slot accepts (<c>I2VStudio:Images:MaxBytes</c>).</summary>
    long MaxBytes { get; }

    /// <summary>Opens a slot; dispose it when done (it is deleted then, used or not).</summary>
    UploadSlot Open();

    /// <summary>
    /// Hands <paramref name="body"/> (of <paramref name="length"/> bytes when known) to the reader of slot
    /// <paramref name="id"/> and completes when the reader has finished with it, or when
    /// <paramref name="cancellationToken"/> fires (the request was aborted).
    /// </summary>
    Task<UploadSlotOutcome> DeliverAsync(string id, Stream body, long? length, CancellationToken cancellationToken);
}

/// <summary>The opener's side of one upload slot: its id (for the browser) and the body once it arrives.</summary>
public sealed class UploadSlot : IDisposable
{
    private readonly TaskCompletionSource<Stream> _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<UploadSlot> _forget;
    private readonly TimeProvider _time;
    private int _taken;

    internal UploadSlot(string id, DateTimeOffset expiresAt, long maxBytes, TimeProvider time, Action<UploadSlot> forget)
    {
        Id = id;
        ExpiresAt = expiresAt;
        MaxBytes = maxBytes;
        _time = time;
        _forget = forget;
    }

    /// <summary>The slot's id: 32 hex digits, unguessable.</summary>
    public string Id { get; }

    /// <summary>When the slot stops accepting a body.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The most bytes the body may have.</summary>
    public long MaxBytes { get; }

    /// <summary>
    /// The posted body, readable as it arrives (at most <see cref="MaxBytes"/>); disposing it completes the upload
    /// request. Throws <see cref="TimeoutException"/> when nothing arrived before <see cref="ExpiresAt"/>.
    /// </summary>
    public async Task<Stream> ReceiveAsync(CancellationToken cancellationToken)
    {
        var left = ExpiresAt - _time.GetUtcNow();
        Stream body;
        try
        {
            body = await _arrived.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Dispose();
            throw new TimeoutException("The browser did not send the image in time.");
        }

        ObjectDisposedException.ThrowIf(Interlocked.Exchange(ref _taken, 1) == 1, this);
        return body;
    }

    internal bool TryDeliver(Stream body) => _arrived.TrySetResult(body);

    /// <summary>Deletes the slot: a body not yet posted is refused from now on.</summary>
    public void Dispose()
    {
        _forget(this);
        // A body that arrived as the reader gave up is released, so its request can answer.
        if (!_arrived.TrySetCanceled() && _arrived.Task.IsCompletedSuccessfully && Interlocked.Exchange(ref _taken, 1) == 0)
        {
            _arrived.Task.Result.Dispose();
        }
    }
}

/// <summary>
/// <see cref="IUploadSlots"/> in memory (one host process): a slot lives <see cref="Lifetime"/> (1 min) until its body
/// arrives, takes one body, and is deleted after use.
/// </summary>
public sealed class InMemoryUploadSlots : IUploadSlots
{
    /// <summary>How long a slot waits for its body.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, UploadSlot> _slots = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the store; slots are capped at <see cref="ImageLimits.MaxBytes"/>.</summary>
    public InMemoryUploadSlots(TimeProvider timeProvider, IOptions<ImageLimits> limits)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(limits);
        _time = timeProvider;
        MaxBytes = limits.Value.MaxBytes;
    }

    /// <inheritdoc />
    public long MaxBytes { get; }

    /// <summary>How many slots are open (not yet used, expired ones until the next sweep).</summary>
    public int Count => _slots.Count;

    /// <inheritdoc />
    public UploadSlot Open()
    {
        var now = _time.GetUtcNow();
        Sweep(now);
        var slot = new UploadSlot(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), now + Lifetime, MaxBytes, _time, Forget);
        _slots[slot.Id] = slot;
        return slot;
    }

    /// <inheritdoc />
    public async Task<UploadSlotOutcome> DeliverAsync(string id, Stream body, long? length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        // Taken out at once: a slot is used at most once, whatever becomes of this request.
        if (string.IsNullOrEmpty(id) || !_slots.TryRemove(id, out var slot)) return UploadSlotOutcome.NotFound;
        if (slot.ExpiresAt <= _time.GetUtcNow()) return UploadSlotOutcome.NotFound;
        if (length > slot.MaxBytes) return UploadSlotOutcome.TooLarge;

        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = new SlotStream(body, slot.MaxBytes, delivered);
        if (!slot.TryDeliver(stream)) return UploadSlotOutcome.NotFound; // its reader gave up a moment ago
        await delivered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return stream.Exceeded ? UploadSlotOutcome.TooLarge : UploadSlotOutcome.Delivered;
    }

    private void Forget(UploadSlot slot) => _slots.TryRemove(new KeyValuePair<string, UploadSlot>(slot.Id, slot));

    private void Sweep(DateTimeOffset now)
    {
        foreach (var pair in _slots)
        {
            if (pair.Value.ExpiresAt <= now) _slots.TryRemove(pair);
        }
    }

    /// <summary>The request body as the reader sees it: capped, and done (the request may answer) once disposed.</summary>
    private sealed class SlotStream(Stream inner, long maxBytes, TaskCompletionSource delivered) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        private int Count(int read)
        {
            _read += read;
            if (_read <= maxBytes) return read;
            Exceeded = true;
            throw new InvalidDataException($"The image is larger than {maxBytes} bytes.");
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            // The request body belongs to the request; only say that the reader is done with it.
            if (disposing) delivered.TrySetResult();
            base.Dispose(disposing);
        }
    }
}
