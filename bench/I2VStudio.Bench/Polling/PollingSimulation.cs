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
/// and against two per-job-timer baselines. Deterministic: the clock only moves when the tracker's scheduler is idle
/// (every action due so far applied, none in flight), and the tracker's jitter comes from a seeded random source.
/// </summary>
public static class PollingSimulation
{
    public static readonly DateTimeOffset Origin = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(30);

    // How long (real time) the tracker may take to apply what is due before the run counts as stuck.
    private static readonly TimeSpan SettleGuard = TimeSpan.FromSeconds(30);

    /// <summary>The real tracker with <paramref name="configure"/> applied to default polling options.</summary>
    public static async Task<PolicyRun> RunTrackerAsync(string policy, Action<PollingOptions>? configure, int jitterSeed, CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(Origin);
        var backend = new ScriptedBackend(time, PollingScript.Jobs);
        var options = new TurboDiffusionOptions { BaseUrl = new Uri("http://127.0.0.1:9/") };
        configure?.Invoke(options.Polling);
        var scheduler = new PollScheduler(time, options.Polling.MaxConcurrentRequests);
        await using var tracker = new JobTracker([backend], new InMemoryJobStore(), new InMemoryJobBlobStore(),
            Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<JobTracker>.Instance, new Random(jitterSeed), scheduler);
        await tracker.InitializeAsync(cancellationToken);

        var events = PollingScript.Jobs.Select(j => (At: j.SubmitAt, Job: (ScriptedJob?)j))
            .Append((At: PollingScript.UnknownAdoptedAt, Job: null))
            .OrderBy(e => e.At).ThenBy(e => e.Job is null ? 1 : 0).ToList();
        var ids = new List<string>();
        var next = 0;
        while (true)
        {
            // Every action due at the fake clock's present made and applied (real time, bounded).
            await scheduler.WhenIdleAsync(cancellationToken).WaitAsync(SettleGuard, cancellationToken);
            var now = time.GetUtcNow();
            DateTimeOffset? wake = next < events.Count ? Origin + events[next].At : null;
            foreach (var id in ids)
            {
                if (scheduler.DueAt(id) is { } due && (wake is null || due < wake)) wake = due;
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

    private sealed record Poller(BackendJob? Job, DateTimeOffset Since);
}
