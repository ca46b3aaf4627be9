using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>One status GET the fake saw.</summary>
/// <param name="JobId">The backend job id asked for.</param>
/// <param name="At">The fake clock's time of the call.</param>
/// <param name="Cancellation">The token the tracker passed.</param>
internal sealed record StatusCall(string JobId, DateTimeOffset At, CancellationToken Cancellation);

/// <summary>One POST the fake saw.</summary>
internal sealed record SubmitCall(JobRequest Request, byte[]? Image, DateTimeOffset At);

/// <summary>
/// A scripted <see cref="IJobTypeDefinition"/>: per backend job id, a queue of answers (snapshots, exceptions,
/// hangs, held calls) whose last entry repeats; POSTs answer from their own script. Every call is counted and
/// signalled on a channel so a test can await "the next poll happened" after advancing the fake clock.
/// </summary>
internal sealed class ScriptedJobType : IJobTypeDefinition
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Func<CancellationToken, Task<JobSnapshot>>>> _scripts = new();
    private readonly Dictionary<string, Func<CancellationToken, Task<JobSnapshot>>> _lastStep = new();
    private readonly Queue<Func<CancellationToken, Task<string>>> _submitScript = new();
    private readonly Channel<StatusCall> _statusCalls = Channel.CreateUnbounded<StatusCall>();
    private readonly Channel<SubmitCall> _submitCalls = Channel.CreateUnbounded<SubmitCall>();
    private readonly List<StatusCall> _allStatusCalls = [];
    private readonly List<SubmitCall> _allSubmitCalls = [];
    private int _nextJobId;
    private int _inFlight;

    public ScriptedJobType(FakeTimeProvider time, string name = "i2v")
    {
        _time = time;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Every GET so far.</summary>
    public IReadOnlyList<StatusCall> StatusCalls
    {
        get
        {
            lock (_gate) return [.. _allStatusCalls];
        }
    }

    /// <summary>Every POST so far.</summary>
    public IReadOnlyList<SubmitCall> SubmitCalls
    {
        get
        {
            lock (_gate) return [.. _allSubmitCalls];
        }
    }

    public int StatusCallCount => StatusCalls.Count;

    public int SubmitCount => SubmitCalls.Count;

    /// <summary>GETs in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most GETs ever in flight at once.</summary>
    public int MaxInFlight { get; private set; }

    /// <summary>Answers for <paramref name="jobId"/>, in order; the last repeats.</summary>
    public ScriptedJobType Returns(string jobId, params JobSnapshot[] snapshots)
    {
        foreach (var snapshot in snapshots) Enqueue(jobId, _ => Task.FromResult(snapshot));
        return this;
    }

    /// <summary>The next answer for <paramref name="jobId"/> is this exception.</summary>
    public ScriptedJobType Throws(string jobId, Exception exception, int times = 1)
    {
        for (var i = 0; i < times; i++) Enqueue(jobId, _ => Task.FromException<JobSnapshot>(exception));
        return this;
    }

    /// <summary>The next GET for <paramref name="jobId"/> never answers until its token is cancelled.</summary>
    public ScriptedJobType Hangs(string jobId)
    {
        Enqueue(jobId, async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    /// <summary>The next GET for <paramref name="jobId"/> waits for the returned source (or cancellation).</summary>
    public TaskCompletionSource<JobSnapshot> Holds(string jobId)
    {
        var held = new TaskCompletionSource<JobSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(jobId, ct => held.Task.WaitAsync(ct));
        return held;
    }

    /// <summary>The next POST returns <paramref name="jobId"/>.</summary>
    public ScriptedJobType SubmitReturns(string jobId)
    {
        lock (_gate) _submitScript.Enqueue(_ => Task.FromResult(jobId));
        return this;
    }

    /// <summary>The next POST throws <paramref name="exception"/>.</summary>
    public ScriptedJobType SubmitThrows(Exception exception)
    {
        lock (_gate) _submitScript.Enqueue(_ => Task.FromException<string>(exception));
        return this;
    }

    /// <summary>The next POST waits for the returned source (its result is the job id).</summary>
    public TaskCompletionSource<string> SubmitHolds()
    {
        var held = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _submitScript.Enqueue(ct => held.Task.WaitAsync(ct));
        return held;
    }

    /// <summary>Waits (real time, bounded) for the next GET not yet awaited, optionally only for one job id.</summary>
    public async Task<StatusCall> NextStatusCallAsync(string? jobId = null)
    {
        while (true)
        {
            var call = await _statusCalls.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Guard);
            if (jobId is null || call.JobId == jobId) return call;
        }
    }

    /// <summary>Marks every GET so far as awaited (call after a poll whose report was already awaited).</summary>
    public void ForgetCalls()
    {
        while (_statusCalls.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Waits (real time, bounded) for the next POST.</summary>
    public async Task<SubmitCall> NextSubmitCallAsync() =>
        await _submitCalls.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Guard);

    /// <summary>What the next POSTs' replies say about the backend's DB row (<c>db.persisted</c>); null: nothing.</summary>
    public bool? NextDbRowWritten { get; set; }

    public async Task<JobSubmission> SubmitForReplyAsync(JobRequest request, Stream? image, CancellationToken cancellationToken) =>
        new(await SubmitAsync(request, image, cancellationToken), NextDbRowWritten);

    public async Task<string> SubmitAsync(JobRequest request, Stream? image, CancellationToken cancellationToken)
    {
        byte[]? bytes = null;
        if (image is not null)
        {
            using var copy = new MemoryStream();
            await image.CopyToAsync(copy, cancellationToken);
            bytes = copy.ToArray();
        }

        Func<CancellationToken, Task<string>>? step;
        string fallback;
        var call = new SubmitCall(request, bytes, _time.GetUtcNow());
        lock (_gate)
        {
            _allSubmitCalls.Add(call);
            _submitScript.TryDequeue(out step);
            fallback = "job-" + ++_nextJobId;
        }

        _submitCalls.Writer.TryWrite(call);
        return step is null ? fallback : await step(cancellationToken);
    }

    public async Task<JobSnapshot> GetStatusAsync(string jobId, CancellationToken cancellationToken)
    {
        Func<CancellationToken, Task<JobSnapshot>> step;
        var call = new StatusCall(jobId, _time.GetUtcNow(), cancellationToken);
        lock (_gate)
        {
            _allStatusCalls.Add(call);
            if (_scripts.TryGetValue(jobId, out var queue) && queue.TryDequeue(out var next))
            {
                step = next;
                _lastStep[jobId] = next;
            }
            else
            {
                step = _lastStep.GetValueOrDefault(jobId) ?? (_ => Task.FromResult(Snapshots.Queued));
            }

            _inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, _inFlight);
        }

        _statusCalls.Writer.TryWrite(call);
        try
        {
            return await step(cancellationToken);
        }
        finally
        {
            lock (_gate) _inFlight--;
        }
    }

    public JsonElement WithSeed(JsonElement parameters, long seed)
    {
        var node = JsonNode.Parse(parameters.GetRawText())?.AsObject() ?? [];
        node["seed"] = seed;
        return JsonSerializer.SerializeToElement(node);
    }

    private void Enqueue(string jobId, Func<CancellationToken, Task<JobSnapshot>> step)
    {
        lock (_gate)
        {
            if (!_scripts.TryGetValue(jobId, out var queue)) _scripts[jobId] = queue = new();
            queue.Enqueue(step);
        }
    }
}

/// <summary>Status answers shaped like the contract's examples.</summary>
internal static class Snapshots
{
    public const string SignedUrl =
        "http://127.0.0.1:9000/turbo-super-novel/turbodiffusion/outputs/job.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Date=20261128T140000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=abc";

    public const string ResultJson = """{"job_id":"job-1","output_bucket":"turbo-super-novel","output_key":"turbodiffusion/outputs/job-1.mp4"}""";

    public static JobSnapshot Queued { get; } = new() { Celery = "PENDING", Db = "SUBMITTED" };

    public static JobSnapshot Running { get; } = new() { Celery = "STARTED", Db = "RUNNING" };

    public static JobSnapshot Unknown { get; } = new() { Celery = "PENDING" };

    public static JobSnapshot DbDown { get; } = new() { Celery = "PENDING", DbUnavailable = true };

    public static JobSnapshot Retry { get; } = new() { Celery = "RETRY", Db = "RUNNING" };

    public static JobSnapshot Revoked { get; } = new() { Celery = "REVOKED", Db = "RUNNING" };

    public static JobSnapshot Expired { get; } = new() { Celery = "PENDING", Db = "SUCCEEDED" };

    public static JobSnapshot Success(string? url = SignedUrl) =>
        new() { Celery = "SUCCESS", Db = "SUCCEEDED", OutputUrl = url, RawResult = ResultJson };

    public static JobSnapshot Failure(string error) => new() { Celery = "FAILURE", Db = "FAILED", Error = error };
}

/// <summary>The exceptions the transport throws, one per kind of failure.</summary>
internal static class Faults
{
    public static TurboDiffusionApiException Unavailable() =>
        new(ApiFailureKind.Http, "The backend answered 503 Service Unavailable.", HttpStatusCode.ServiceUnavailable);

    public static TurboDiffusionApiException RateLimited(TimeSpan? retryAfter) =>
        new(ApiFailureKind.RateLimited, "The backend is busy (429).", HttpStatusCode.TooManyRequests, retryAfter: retryAfter);

    public static TurboDiffusionApiException Malformed() =>
        new(ApiFailureKind.Protocol, "The backend's answer could not be read: '<' is an invalid start of a value.", HttpStatusCode.OK);

    public static TurboDiffusionApiException NotFound() =>
        new(ApiFailureKind.Http, "The backend answered 404 Not Found.", HttpStatusCode.NotFound);

    public static TurboDiffusionApiException ConnectionRefused() =>
        new(ApiFailureKind.Network, "Cannot reach the backend at http://127.0.0.1:8000/: Connection refused.",
            // As SocketsHttpHandler reports it: the connection was never made.
            innerException: new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:8000)",
                new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
}
