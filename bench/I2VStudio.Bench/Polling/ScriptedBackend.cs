using System.Text.Json;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Bench.Polling;

/// <summary>
/// The backend of scenario 1 as a pure function of time: one GPU worker taking jobs first in, first out, the moment
/// the previous one ends. Each job goes PENDING/SUBMITTED → STARTED/STARTED (1 s) → STARTED/DOWNLOADED (2 s) →
/// STARTED/RUNNING → STARTED/UPLOADED (last 2 s) → SUCCESS/SUCCEEDED with a presigned URL, or FAILURE/FAILED with
/// the error. An id it never saw reads PENDING without a DB row. Every GET is counted.
/// </summary>
public sealed class ScriptedBackend : IJobTypeDefinition
{
    private const string OutOfMemory =
        "CUDA out of memory. Tried to allocate 2.81 GiB. GPU 0 has a total capacity of 23.52 GiB of which 1.02 GiB is free.\n"
        + "Of the allocated memory 21.93 GiB is allocated by PyTorch, and 301.44 MiB is reserved by PyTorch but unallocated.";

    private readonly TimeProvider _time;
    private readonly DateTimeOffset _origin;
    private readonly IReadOnlyList<ScriptedJob> _script;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BackendJob> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _getsByJob = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _getsByState = new(StringComparer.Ordinal);
    private DateTimeOffset _workerFreeAt;
    private int _submitted;
    private long _gets;

    public ScriptedBackend(TimeProvider time, IReadOnlyList<ScriptedJob> script)
    {
        _time = time;
        _origin = time.GetUtcNow();
        _workerFreeAt = _origin;
        _script = script;
    }

    public string Name => I2VParams.JobTypeName;

    /// <summary>Status GETs answered so far.</summary>
    public long Gets => Interlocked.Read(ref _gets);

    /// <summary>GETs per job id.</summary>
    public IReadOnlyDictionary<string, int> GetsByJob
    {
        get
        {
            lock (_gate) return new Dictionary<string, int>(_getsByJob);
        }
    }

    /// <summary>GETs per Celery state answered (PENDING includes the unknown id).</summary>
    public IReadOnlyDictionary<string, int> GetsByState
    {
        get
        {
            lock (_gate) return new Dictionary<string, int>(_getsByState);
        }
    }

    /// <summary>The jobs the backend accepted, in submission order.</summary>
    public IReadOnlyList<BackendJob> Accepted
    {
        get
        {
            lock (_gate) return [.. _jobs.Values.OrderBy(j => j.SubmittedAt)];
        }
    }

    /// <summary>Accepts the next job of the script: it runs when the worker is free, for its scripted time.</summary>
    public BackendJob Accept(DateTimeOffset now)
    {
        lock (_gate)
        {
            var scripted = _script[_submitted];
            var id = $"{_submitted + 1:00}-{scripted.Name}";
            _submitted++;
            var start = now > _workerFreeAt ? now : _workerFreeAt;
            var end = start + scripted.Run;
            _workerFreeAt = end;
            var job = new BackendJob(id, scripted, now, start, end);
            _jobs[id] = job;
            return job;
        }
    }

    public Task<string> SubmitAsync(JobRequest request, Stream? image, CancellationToken cancellationToken) =>
        Task.FromResult(Accept(_time.GetUtcNow()).JobId);

    public Task<JobSnapshot> GetStatusAsync(string jobId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        BackendJob? job;
        lock (_gate)
        {
            _getsByJob[jobId] = _getsByJob.GetValueOrDefault(jobId) + 1;
            job = _jobs.GetValueOrDefault(jobId);
        }

        var snapshot = job is null ? new JobSnapshot { Celery = "PENDING" } : Snapshot(job, _time.GetUtcNow());
        lock (_gate) _getsByState[snapshot.Celery!] = _getsByState.GetValueOrDefault(snapshot.Celery!) + 1;
        return Task.FromResult(snapshot);
    }

    public JsonElement WithSeed(JsonElement parameters, long seed) =>
        (I2VParams.FromJson(parameters) with { Seed = seed }).ToJson();

    /// <summary>The Celery state of <paramref name="job"/> at <paramref name="at"/> (the naive pollers read it directly).</summary>
    public static JobSnapshot Snapshot(BackendJob job, DateTimeOffset at)
    {
        if (at < job.StartedAt) return new JobSnapshot { Celery = "PENDING", Db = "SUBMITTED" };
        if (at >= job.EndsAt)
        {
            return job.Script.Fails
                ? new JobSnapshot { Celery = "FAILURE", Db = "FAILED", Error = OutOfMemory }
                : new JobSnapshot
                {
                    Celery = "SUCCESS",
                    Db = "SUCCEEDED",
                    OutputUrl = "http://127.0.0.1:9/turbo-super-novel/turbodiffusion/outputs/" + job.JobId
                        + ".mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=" + at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)
                        + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
                };
        }

        var inRun = at - job.StartedAt;
        var db = inRun < TimeSpan.FromSeconds(1) ? "STARTED"
            : inRun < TimeSpan.FromSeconds(3) ? "DOWNLOADED"
            : !job.Script.Fails && job.EndsAt - at <= TimeSpan.FromSeconds(2) ? "UPLOADED"
            : "RUNNING";
        return new JobSnapshot { Celery = "STARTED", Db = db };
    }
}

/// <summary>A job the scripted backend accepted.</summary>
/// <param name="JobId">Its id.</param>
/// <param name="Script">The script entry.</param>
/// <param name="SubmittedAt">POST time.</param>
/// <param name="StartedAt">When the worker took it.</param>
/// <param name="EndsAt">When it reached SUCCESS or FAILURE.</param>
public sealed record BackendJob(string JobId, ScriptedJob Script, DateTimeOffset SubmittedAt, DateTimeOffset StartedAt, DateTimeOffset EndsAt);
