namespace I2VStudio.Bench.Infrastructure;

/// <summary>Samples this process's managed heap (<see cref="GC.GetTotalMemory(bool)"/>, garbage included) and a
/// process's RSS on a thread of its own at a fixed interval and keeps the peaks.</summary>
public sealed class PeakSampler : IDisposable
{
    private readonly Thread _thread;
    private readonly int _pid;
    private readonly TimeSpan _interval;
    private volatile bool _stop;
    private long _heap;
    private long _rss;

    public PeakSampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _interval = interval;
        _thread = new Thread(Loop) { IsBackground = true, Name = "peak sampler" };
        _thread.Start();
    }

    /// <summary>Samples taken so far.</summary>
    public int Samples { get; private set; }

    public (long Heap, long Rss) Stop()
    {
        _stop = true;
        _thread.Join();
        return (_heap, _rss);
    }

    private void Loop()
    {
        while (!_stop)
        {
            _heap = Math.Max(_heap, GC.GetTotalMemory(false));
            _rss = Math.Max(_rss, ProcStats.Rss(_pid));
            Samples++;
            Thread.Sleep(_interval);
        }
    }

    public void Dispose()
    {
        if (!_stop) Stop();
    }
}
