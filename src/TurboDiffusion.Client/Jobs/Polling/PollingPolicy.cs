namespace TurboDiffusion.Client.Jobs.Polling;

/// <summary>
/// The timing half of the polling policy (ARCHITECTURE.md, "Polling policy"): how long to wait before the next
/// status GET of one job. Thread-safe; the random source is used under a lock so a seeded one stays deterministic.
/// </summary>
internal sealed class PollingPolicy
{
    // A floor for every wait, so a zero or negative setting can never turn the scheduler into a busy loop.
    internal static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(100);

    private readonly PollingOptions _options;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public PollingPolicy(PollingOptions options, Random random)
    {
        _options = options;
        _random = random;
    }

    /// <summary>
    /// The interval before jitter: idle after <c>IdleAfter</c> (queued) or <c>RunningIdleAfter</c> (running) without
    /// change, else running or queued.
    /// </summary>
    public TimeSpan BaseInterval(JobPhase phase, DateTimeOffset? lastChangeAt, DateTimeOffset now)
    {
        var idleAfter = phase == JobPhase.Running ? _options.RunningIdleAfter : _options.IdleAfter;
        if (lastChangeAt is { } changed && now - changed >= idleAfter) return Floor(_options.IdleInterval);
        return Floor(phase == JobPhase.Running ? _options.RunningInterval : _options.QueuedInterval);
    }

    /// <summary>The jittered wait before the next GET after a good answer.</summary>
    public TimeSpan NextInterval(JobPhase phase, DateTimeOffset? lastChangeAt, DateTimeOffset now) =>
        Floor(Jitter(BaseInterval(phase, lastChangeAt, now)));

    /// <summary>
    /// The jittered wait for a job the backend says is queued while an earlier job of this tracker is still active:
    /// <c>QueuedBehindInterval</c>, never beyond the idle interval, never below the plain schedule.
    /// </summary>
    public TimeSpan NextQueuedBehindInterval(DateTimeOffset? lastChangeAt, DateTimeOffset now)
    {
        var plain = BaseInterval(JobPhase.Queued, lastChangeAt, now);
        var behind = Floor(Min(_options.QueuedBehindInterval, _options.IdleInterval));
        return Floor(Jitter(behind > plain ? behind : plain));
    }

    /// <summary>
    /// The jittered wait for a running job whose run time was learned. <paramref name="elapsed"/> counts from the
    /// earliest moment the run can have started. Before the dense window (the shortest run less the margin):
    /// sparse, but never past the window's start. Inside it (up to the longest run plus the margin): dense. After
    /// it (the run is late): the plain schedule.
    /// </summary>
    public TimeSpan NextLearnedRunningInterval(RunExpectation expected, TimeSpan elapsed, DateTimeOffset? lastChangeAt, DateTimeOffset now)
    {
        var window = DenseWindow(expected);
        var dense = DenseInterval();
        if (elapsed < window.From)
        {
            var gap = window.From - elapsed;
            if (gap > dense)
            {
                var sparse = Jitter(SparseInterval());
                return Floor(sparse < gap ? sparse : gap);
            }
        }

        if (elapsed <= window.Until) return Floor(Jitter(dense));
        return NextInterval(JobPhase.Running, lastChangeAt, now);
    }

    /// <summary>
    /// Where the dense polling of a learned run lies, as time since its start: from the shortest run less the margin
    /// to the longest run plus the margin. The margin is <c>LearnedMargin</c> of the shortest run, at least the
    /// running interval, so a run a little shorter than any before is still caught densely.
    /// </summary>
    public (TimeSpan From, TimeSpan Until) DenseWindow(RunExpectation expected)
    {
        var fraction = double.IsFinite(_options.LearnedMargin) ? Math.Clamp(_options.LearnedMargin, 0.0, 1.0) : 0.1;
        var margin = TimeSpan.FromTicks((long)(expected.Shortest.Ticks * fraction));
        var running = Floor(_options.RunningInterval);
        if (margin < running) margin = running;
        var from = expected.Shortest - margin;
        return (from < TimeSpan.Zero ? TimeSpan.Zero : from, expected.Longest + margin);
    }

    /// <summary>The dense interval: <c>DenseInterval</c>, never beyond the running interval.</summary>
    public TimeSpan DenseInterval() => Floor(Min(_options.DenseInterval, _options.RunningInterval));

    /// <summary>The sparse interval: <c>SparseInterval</c>, between the running and the idle interval.</summary>
    public TimeSpan SparseInterval()
    {
        var sparse = Min(_options.SparseInterval, _options.IdleInterval);
        return Floor(sparse < _options.RunningInterval ? _options.RunningInterval : sparse);
    }

    /// <summary>The back-off before jitter after <paramref name="failures"/> failures in a row (1 → initial, doubling, capped).</summary>
    public TimeSpan BaseBackoff(int failures)
    {
        var initial = Floor(_options.BackoffInitial);
        var max = _options.BackoffMax < initial ? initial : _options.BackoffMax;
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var ticks = initial.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// The wait after a failed GET: the jittered back-off (never above <c>BackoffMax</c>), or the server's
    /// <c>Retry-After</c> (clamped to <c>RetryAfterMax</c>) when that is longer.
    /// </summary>
    public TimeSpan Backoff(int failures, TimeSpan? retryAfter)
    {
        var max = _options.BackoffMax < Floor(_options.BackoffInitial) ? Floor(_options.BackoffInitial) : _options.BackoffMax;
        var backoff = Jitter(BaseBackoff(failures));
        if (backoff > max) backoff = max;
        backoff = Floor(backoff);
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            var honoured = asked > _options.RetryAfterMax ? _options.RetryAfterMax : asked;
            if (honoured > backoff) backoff = honoured;
        }

        return backoff;
    }

    /// <summary>Spreads <paramref name="interval"/> uniformly within ±<c>Jitter</c> (0 … 0.5).</summary>
    public TimeSpan Jitter(TimeSpan interval)
    {
        var spread = double.IsFinite(_options.Jitter) ? Math.Clamp(_options.Jitter, 0.0, 0.5) : 0.0;
        if (spread == 0.0) return interval;
        double sample;
        lock (_gate) sample = _random.NextDouble();
        var factor = 1.0 + spread * (2.0 * sample - 1.0);
        return TimeSpan.FromTicks((long)(interval.Ticks * factor));
    }

    private static TimeSpan Floor(TimeSpan value) => value < MinimumWait ? MinimumWait : value;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
