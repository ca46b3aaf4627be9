using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Jobs.Tracking;

namespace I2VStudio.Bench.Polling;

/// <summary>What one policy did with the script.</summary>
/// <param name="Policy">Its name.</param>
/// <param name="Gets">Every status GET, the unknown id's included.</param>
/// <param name="GetsUnknown">GETs of the unknown id.</param>
/// <param name="JobMinutes">Σ (backend end − submission) over the real jobs, in minutes (the same for every policy).</param>
/// <param name="Detections">Backend terminal state → tracker knows, per real job, in seconds (submission order).</param>
/// <param name="Outcomes">The phase each real job ended in, then the unknown id's.</param>
/// <param name="SimulatedMinutes">Simulated time until the last job was settled.</param>
public sealed record PolicyRun(string Policy, long Gets, long GetsUnknown, double JobMinutes,
    IReadOnlyList<double> Detections, IReadOnlyList<string> Outcomes, double SimulatedMinutes)
{
    public long GetsKnown => Gets - GetsUnknown;

    public double GetsPerJobMinute => GetsKnown / JobMinutes;

    public double P50 => Stats.Percentile(Detections, 0.50);

    public double P95 => Stats.Percentile(Detections, 0.95);

    public double Max => Detections.Count == 0 ? double.NaN : Detections.Max();
}

/// <summary>
/// Scenario 1: the same script (<see cref="PollingScript"/>) against the real <see cref="JobTracker"/> on a fake clock
/// and against two per-job-timer baselines. Deterministic: the clock only moves when every poll due so far has been
/// answered, and the tracker's jitter comes from a seeded random source.
/// </summary>
public static class PollingSimulation
{
    public static readonly DateTimeOffset Origin = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(30);

    /// <summary>The real tracker with <paramref name="configure"/> applied to default polling options.</summary>
    public static async Task<PolicyRun> RunTrackerAsync(string policy, Action<PollingOptions>? configure, int jitterSeed, CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(Origin);
        var backend = new ScriptedBackend(time, PollingScript.Jobs);
        var options = new TurboDiffusionOptions { BaseUrl = new Uri("http://127.0.0.1:9/") };
        configure?.Invoke(options.Polling);
        await using var tracker = new JobTracker([backend], new InMemoryJobStore(), new InMemoryJobBlobStore(),
            Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<JobTracker>.Instance, new Random(jitterSeed));
        long polls = 0;
        tracker.PollCompleted = report =>
        {
            if (report.Work == ScheduledWork.Poll) Interlocked.Increment(ref polls);
        };
        await tracker.InitializeAsync(cancellationToken);

        var events = PollingScript.Jobs.Select(j => (At: j.SubmitAt, Job: (ScriptedJob?)j))
            .Append((At: PollingScript.UnknownAdoptedAt, Job: null))
            .OrderBy(e => e.At).ThenBy(e => e.Job is null ? 1 : 0).ToList();
        var ids = new List<string>();
        var next = 0;
        while (true)
        {
            await QuiesceAsync(tracker, backend, () => Interlocked.Read(ref polls), ids, time, cancellationToken);
            var now = time.GetUtcNow();
            DateTimeOffset? wake = next < events.Count ? Origin + events[next].At : null;
            foreach (var id in ids)
            {
                if (tracker.NextDueAt(id) is { } due && (wake is null || due < wake)) wake = due;
            }

            if (wake is null) break;
            if (wake > now) time.Advance(wake.Value - now);
            while (next < events.Count && Origin + events[next].At <= time.GetUtcNow())
            {
                var job = events[next++].Job;
                var record = job is null
                    ? await tracker.AdoptAsync(PollingScript.UnknownJobId, I2VParams.JobTypeName, cancellationToken)
                    : await tracker.SubmitAsync(new JobRequest(I2VParams.JobTypeName,
                        new JobInputs { Prompt = "scene " + job.Name }, job.Params.ToJson()), cancellationToken);
                ids.Add(record.Id);
            }
        }

        var accepted = backend.Accepted.ToDictionary(j => j.JobId, StringComparer.Ordinal);
        var detections = new List<double>();
        var outcomes = new List<string>();
        var unknownOutcome = "";
        foreach (var record in tracker.Jobs.OrderBy(r => r.CreatedAt).ThenBy(r => r.JobId, StringComparer.Ordinal))
        {
            if (record.JobId == PollingScript.UnknownJobId)
            {
                unknownOutcome = record.Status.Phase.ToString();
                continue;
            }

            var job = accepted[record.JobId!];
            outcomes.Add(record.Status.Phase.ToString());
            if (record.CompletedAt is { } completed) detections.Add((completed - job.EndsAt).TotalSeconds);
        }

        outcomes.Add(unknownOutcome);
        return new PolicyRun(policy, backend.Gets, backend.GetsByJob.GetValueOrDefault(PollingScript.UnknownJobId),
            JobMinutes(backend.Accepted), detections, outcomes, (time.GetUtcNow() - Origin).TotalMinutes);
    }

    /// <summary>
    /// A per-job-timer baseline: each job polls on its own every <paramref name="running"/> while Celery says
    /// STARTED and every <paramref name="other"/> otherwise, until a terminal state or the 30 min deadline (the
    /// spec has no "unknown id" rule); no jitter, no step-down.
    /// </summary>
    public static PolicyRun RunPerJobTimers(string policy, TimeSpan running, TimeSpan other)
    {
        var time = new FakeTimeProvider(Origin);
        var backend = new ScriptedBackend(time, PollingScript.Jobs);
        var queue = new PriorityQueue<Poller, (DateTimeOffset, int)>();
        var order = 0;
        foreach (var job in PollingScript.Jobs)
        {
            var accepted = backend.Accept(Origin + job.SubmitAt);
            queue.Enqueue(new Poller(accepted, accepted.SubmittedAt), (accepted.SubmittedAt + other, order++));
        }

        // Tracking by id looks at once, then at the plain pace.
        var unknownFrom = Origin + PollingScript.UnknownAdoptedAt;
        queue.Enqueue(new Poller(null, unknownFrom), (unknownFrom, order++));

        long gets = 0;
        long getsUnknown = 0;
        var detections = new Dictionary<string, double>(StringComparer.Ordinal);
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        var last = Origin;
        while (queue.TryDequeue(out var poller, out var key))
        {
            var at = key.Item1;
            last = at > last ? at : last;
            gets++;
            if (poller.Job is null)
            {
                getsUnknown++;
                if (at - poller.Since < Deadline) queue.Enqueue(poller, (at + other, order++));
                else outcomes["?"] = "TimedOut";
                continue;
            }

            var snapshot = ScriptedBackend.Snapshot(poller.Job, at);
            if (snapshot.Celery is "SUCCESS" or "FAILURE")
            {
                detections[poller.Job.JobId] = (at - poller.Job.EndsAt).TotalSeconds;
                outcomes[poller.Job.JobId] = snapshot.Celery == "SUCCESS" ? "Succeeded" : "Failed";
            }
            else if (at - poller.Since >= Deadline)
            {
                outcomes[poller.Job.JobId] = "TimedOut";
            }
            else
            {
                queue.Enqueue(poller, (at + (snapshot.Celery == "STARTED" ? running : other), order++));
            }
        }

        var jobs = backend.Accepted;
        var ordered = jobs.Select(j => outcomes.GetValueOrDefault(j.JobId, "?")).Append(outcomes.GetValueOrDefault("?", "?")).ToList();
        return new PolicyRun(policy, gets, getsUnknown, JobMinutes(jobs),
            [.. jobs.Where(j => detections.ContainsKey(j.JobId)).Select(j => detections[j.JobId])], ordered, (last - Origin).TotalMinutes);
    }

    private static double JobMinutes(IEnumerable<BackendJob> jobs) => jobs.Sum(j => (j.EndsAt - j.SubmittedAt).TotalMinutes);

    /// <summary>Waits (real time) until every poll due at the fake clock's present has been made and applied.</summary>
    private static async Task QuiesceAsync(JobTracker tracker, ScriptedBackend backend, Func<long> polls, List<string> ids,
        FakeTimeProvider time, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var calm = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            // Every GET the backend saw was applied (a GET is counted as it starts, a poll once applied): none in flight.
            var settled = backend.Gets == polls()
                && ids.All(id => tracker.NextDueAt(id) is not { } due || due > now);
            calm = settled ? calm + 1 : 0;
            // Twice in a row, a yield apart: a poll's continuation may still be on its way to the next Pump.
            if (calm >= 2) return;
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("The tracker did not settle at " + now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            // Yield first (the tracker's work is on the thread pool and usually done within microseconds); sleep
            // only when it takes longer, so a 25-minute script simulates in about a second.
            if (settled || watch.ElapsedMilliseconds < 20) await Task.Yield();
            else await Task.Delay(1, cancellationToken);
        }
    }

    private sealed record Poller(BackendJob? Job, DateTimeOffset Since);
}
