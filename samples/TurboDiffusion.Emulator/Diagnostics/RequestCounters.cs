namespace TurboDiffusion.Emulator;

/// <summary>The routes the emulator counts requests for.</summary>
public enum EmulatorRoute
{
    /// <summary><c>POST /v1/turbodiffusion/wan22-i2v/jobs</c> or <c>/v1/videogen/wan22-i2v/jobs</c>.</summary>
    PostJob,

    /// <summary><c>GET /v1/turbodiffusion/jobs/{job_id}</c> or <c>/v1/videogen/jobs/{job_id}</c>.</summary>
    GetJob,

    /// <summary><c>GET /v1/turbodiffusion/models</c> or <c>/v1/videogen/models</c>.</summary>
    Models,

    /// <summary><c>GET /health</c>.</summary>
    Health,

    /// <summary><c>GET /paths</c>.</summary>
    Paths,

    /// <summary>Any GET (or HEAD) on the storage origin: video downloads and seeks.</summary>
    StorageGet,

    /// <summary><c>GET /v1/capabilities/status</c> (VideoGen).</summary>
    Capabilities,

    /// <summary><c>GET /openapi.json</c>.</summary>
    OpenApi,
}

/// <summary>Requests received per route, faulted ones included; the benchmark reads them to count polls.</summary>
public sealed class RequestCounters
{
    private readonly long[] counts = new long[Enum.GetValues<EmulatorRoute>().Length];

    /// <summary>Requests received on <paramref name="route"/> since start or the last reset.</summary>
    public long this[EmulatorRoute route] => Interlocked.Read(ref counts[(int)route]);

    /// <summary>All counters at once (each read atomically).</summary>
    public RequestCountersSnapshot Snapshot() => new(
        this[EmulatorRoute.PostJob],
        this[EmulatorRoute.GetJob],
        this[EmulatorRoute.Models],
        this[EmulatorRoute.Health],
        this[EmulatorRoute.Paths],
        this[EmulatorRoute.StorageGet]);

    /// <summary>Sets every counter back to zero.</summary>
    public void Reset()
    {
        for (var i = 0; i < counts.Length; i++)
        {
            Interlocked.Exchange(ref counts[i], 0);
        }
    }

    internal void Increment(EmulatorRoute route) => Interlocked.Increment(ref counts[(int)route]);
}

/// <summary>The request counters at one moment; <c>/_emulator/counters</c> returns this as JSON.</summary>
/// <param name="PostJob">Job submissions.</param>
/// <param name="GetJob">Status GETs.</param>
/// <param name="Models">Model listings.</param>
/// <param name="Health">Health checks.</param>
/// <param name="Paths">Path listings.</param>
/// <param name="StorageGet">GETs on the storage origin.</param>
public sealed record RequestCountersSnapshot(long PostJob, long GetJob, long Models, long Health, long Paths, long StorageGet);
