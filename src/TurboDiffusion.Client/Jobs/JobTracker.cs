using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs.Polling;
using TurboDiffusion.Client.Jobs.Tracking;

namespace TurboDiffusion.Client.Jobs;

/// <summary>
/// The one <see cref="IJobTracker"/>: submits jobs, polls every active job on its own schedule (ARCHITECTURE.md,
/// "Polling policy"), keeps every record in the <see cref="IJobStore"/>, and announces each change. One per user
/// session (scoped). All time comes from the <see cref="TimeProvider"/>; one timer drives every job.
/// </summary>
/// <remarks>
/// <para>The tracker orchestrates; its parts (Jobs/Tracking, Jobs/Polling) each hold one responsibility and are tested on
/// their own: <see cref="JobRecordBook"/> (records, order, removals), <see cref="SubmissionRegistry"/> (POSTs in
/// flight), <see cref="JobSchedule"/> (each job's next action) run by the <see cref="PollScheduler"/> (timer, request
/// slots, actions in flight), <see cref="PollPlanner"/> (what a GET's outcome means for the next action) with
/// <see cref="PollingPolicy"/> (how long to wait), <see cref="JobStatusRules"/> and <see cref="OutputLinkRefresh"/>
/// (what an answer does to a record), <see cref="RunDurations"/> with <see cref="RunTimes"/> (learned run times),
/// <see cref="CrossTabMerge"/> (other tabs' writes) and <see cref="JobChangeFeed"/> (subscribers). The mutable parts
/// are used under the tracker's one gate.</para>
/// <para>Policy decisions beyond the architecture page:</para>
/// <list type="bullet">
/// <item>A status GET that fails in any way (network, timeout, 429, 5xx, but also 4xx or an unreadable payload)
/// never fails the job: the record gets <see cref="JobRecord.ConnectionTrouble"/> and the next GET backs off.
/// A bad poll says nothing certain about the job.</item>
/// <item>Each GET is also bounded by the tracker itself (<see cref="TurboDiffusionOptions.RequestTotalTimeout"/>
/// plus 5 s), so a job type that hangs cannot stall a job forever; it counts as a timeout.</item>
/// <item>An unknown Celery state is kept as sent and treated as active (Running when the DB row says so, else
/// Queued), never as finished.</item>
/// <item>Lost and TimedOut stop polling but are not terminal: <see cref="JobRecord.CompletedAt"/> stays null and
/// <see cref="KeepCheckingAsync"/> resumes them.</item>
/// <item>The submission itself runs under the tracker's lifetime, not the caller's token: a component that goes
/// away does not lose the job. The caller's token only stops its wait.</item>
/// <item>After disposal, queries still answer; actions that would create work throw
/// <see cref="OperationCanceledException"/>, the others do nothing.</item>
/// <item>Beyond the 2/5/10 s schedule (each an option, on by default, measured in bench/README.md): a running job
/// steps down only after <see cref="PollingOptions.RunningIdleAfter"/>; a run whose length was learned from three
/// finished jobs with the same parameters is polled sparsely early and densely around its expected end; a job the
/// backend says is queued behind this tracker's own queued or running job is polled every 10 s, and the oldest
/// queued job is polled at once when one of this tracker's jobs finishes.</item>
/// </list>
/// </remarks>
public sealed partial class JobTracker : IJobTracker, IDisposable
{
    private static readonly JsonElement EmptyParams = CreateEmptyParams();

    // The tracker's own bound on one GET, beyond the transport's total timeout, so a stuck call cannot hold a job.
    private static readonly TimeSpan PollTimeoutMargin = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, IJobTypeDefinition> _jobTypes;
    private readonly IJobStore _store;
    private readonly IJobBlobStore _blobs;
    private readonly PollingOptions _polling;
    private readonly PollingPolicy _policy;
    private readonly RunDurations _durations;
    private readonly TimeSpan _pollTimeout;
    private readonly TimeSpan _submitTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger<JobTracker> _logger;

    private readonly Lock _gate = new();
    private readonly JobRecordBook _book = new();
    private readonly JobChangeFeed _feed;
    private readonly PollScheduler _scheduler;
    private readonly JobSchedule _schedule;
    private readonly PollPlanner _planner;
    private readonly SubmissionRegistry _submissions = new();
    private readonly Dictionary<string, Task<string?>> _refreshes = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _work = [];
    private readonly SemaphoreSlim _storeLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly CancellationToken _stopping;

    private Task? _initialization;
    private IDisposable? _externalWatch;
    private bool _disposed;

    /// <summary>Creates a tracker. Register it scoped: one per user session.</summary>
    public JobTracker(IEnumerable<IJobTypeDefinition> jobTypes, IJobStore store, IJobBlobStore blobs,
        IOptions<TurboDiffusionOptions> options, TimeProvider timeProvider, ILogger<JobTracker> logger)
        : this(jobTypes, store, blobs, options, timeProvider, logger, Random.Shared, NewScheduler(options, timeProvider))
    {
    }

    /// <summary>
    /// Creates a tracker with a given random source (a seeded one makes the jitter reproducible) and the scheduler
    /// that runs its polls (on <paramref name="timeProvider"/>; it carries the request limit). The tracker owns it.
    /// </summary>
    internal JobTracker(IEnumerable<IJobTypeDefinition> jobTypes, IJobStore store, IJobBlobStore blobs,
        IOptions<TurboDiffusionOptions> options, TimeProvider timeProvider, ILogger<JobTracker> logger, Random random,
        PollScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(jobTypes);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(scheduler);
        if (!ReferenceEquals(scheduler.Time, timeProvider))
        {
            throw new ArgumentException("The scheduler must run on the tracker's time provider.", nameof(scheduler));
        }

        _jobTypes = new Dictionary<string, IJobTypeDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var jobType in jobTypes)
        {
            // The last registration of a name wins, as with DI's own "last one wins".
            _jobTypes[jobType.Name] = jobType;
        }

        _store = store;
        _blobs = blobs;
        var value = options.Value;
        _polling = value.Polling ?? new PollingOptions();
        _policy = new PollingPolicy(_polling, random);
        _durations = new RunDurations(_polling.LearnMaxSamples);
        _scheduler = scheduler;
        _schedule = scheduler.Schedule;
        _planner = new PollPlanner(_polling, _policy, _durations, _book, _schedule);
        var perGet = value.RequestTotalTimeout > value.RequestTimeout ? value.RequestTotalTimeout : value.RequestTimeout;
        _pollTimeout = (perGet > TimeSpan.Zero ? perGet : TimeSpan.FromSeconds(30)) + PollTimeoutMargin;
        _submitTimeout = value.SubmitTimeout > TimeSpan.Zero ? value.SubmitTimeout : TimeSpan.FromMinutes(5);
        _time = timeProvider;
        _logger = logger;
        _feed = new JobChangeFeed((change, ex) => Log.SubscriberFailed(_logger, change.Id, ex));
        _stopping = _lifetime.Token;
        _scheduler.Attach(_gate, RunScheduledAsync);
    }

    /// <inheritdoc />
    public IReadOnlyList<JobRecord> Jobs => _book.Ordered;

    /// <inheritdoc />
    public JobRecord? Find(string id)
    {
        lock (_gate) return _book.Find(id);
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        Task initialization;
        lock (_gate)
        {
            if (_disposed) return Task.CompletedTask;
            initialization = _initialization ??= Track(Task.Run(InitializeCoreAsync, CancellationToken.None));
        }

        return initialization.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var jobType = GetJobType(request.JobType);
        var normalised = request with { JobType = jobType.Name, Inputs = request.Inputs ?? new JobInputs(), Params = Normalise(request.Params) };
        return StartNewSubmission(normalised, jobType, parentId: null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord> RetryAsync(string id, long? newSeed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var old = Find(id) ?? throw new KeyNotFoundException($"No job with id '{id}'.");
        var jobType = GetJobType(old.JobType);
        var parameters = newSeed is { } seed ? Normalise(jobType.WithSeed(old.Params, seed)) : Normalise(old.Params);
        var request = new JobRequest(jobType.Name, old.Inputs, parameters);
        return StartNewSubmission(request, jobType, parentId: old.Id, cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord> SubmitAgainAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<JobRecord> completion;
        IJobTypeDefinition jobType;
        JobRecord before;
        JobRecord after;
        lock (_gate)
        {
            ThrowIfStopped();
            if (_submissions.Find(id) is { } pending) return pending.WaitAsync(cancellationToken);
            before = _book.Find(id) ?? throw new KeyNotFoundException($"No job with id '{id}'.");
            if (before.Status.Phase != JobPhase.SubmitFailed) return Task.FromResult(before);
            jobType = GetJobType(before.JobType);

            // A new submission of the same record: the deadline and the Lost grace count from now, and the
            // record moves to the top of the list like any fresh job.
            var now = _time.GetUtcNow();
            after = Commit(before, before with
            {
                Status = JobStatus.Submitting,
                Error = null,
                CreatedAt = now,
                Deadline = now + _polling.Deadline,
                TrackedSince = now,
                LastChangeAt = now,
                Timeline = before.Timeline.Add(new JobStatusChange(now, null, null, JobPhase.Submitting)),
            }, now);
            completion = new TaskCompletionSource<JobRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            _submissions.Start(after, completion.Task);
        }

        var change = new JobChange(JobChangeKind.Updated, id, after, before);
        Track(Task.Run(() => RunSubmissionAsync(id, jobType, change, completion), CancellationToken.None));
        return completion.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<JobRecord> AdoptAsync(string jobId, string jobType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        cancellationToken.ThrowIfCancellationRequested();
        var definition = GetJobType(jobType);
        var trimmed = jobId.Trim();
        JobRecord record;
        lock (_gate)
        {
            ThrowIfStopped();
            var existing = _book.All.FirstOrDefault(r => string.Equals(r.JobId, trimmed, StringComparison.OrdinalIgnoreCase));
            if (existing is not null) return existing;

            var now = _time.GetUtcNow();
            record = new JobRecord
            {
                Id = NewId(),
                JobId = trimmed,
                JobType = definition.Name,
                Inputs = new JobInputs(),
                Params = EmptyParams,
                Status = new JobStatus(null, null, JobPhase.Queued),
                Timeline = [new JobStatusChange(now, null, null, JobPhase.Queued)],
                CreatedAt = now,
                LastChangeAt = now,
                Deadline = now + _polling.Deadline,
                TrackedSince = now,
                Revision = 1,
                UpdatedAt = now,
            };
            AddRecord(record);

            // First look at once: the user wants to know what this id is.
            SchedulePoll(record, now);
        }

        _scheduler.Pump();
        await PublishAsync(new JobChange(JobChangeKind.Added, record.Id, record, null)).ConfigureAwait(false);
        return record;
    }

    /// <inheritdoc />
    public async Task KeepCheckingAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        JobRecord before;
        JobRecord after;
        lock (_gate)
        {
            if (_disposed || !_book.TryGet(id, out before)) return;
            if (before.Status.Phase is not (JobPhase.TimedOut or JobPhase.Lost) || before.JobId is null) return;
            var now = _time.GetUtcNow();
            var phase = JobStatusRules.ResumePhase(before.Status);
            after = Commit(before, before with
            {
                Status = before.Status with { Phase = phase },
                Error = null,
                ConnectionTrouble = false,
                Deadline = now + _polling.Deadline,
                TrackedSince = now,
                LastChangeAt = now,
                Timeline = before.Timeline.Add(new JobStatusChange(now, before.Status.Celery, before.Status.Db, phase)),
            }, now);
            SchedulePoll(after, now);
        }

        _scheduler.Pump();
        await PublishAsync(new JobChange(JobChangeKind.Updated, id, after, before)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Only a Succeeded record with a job id is asked; any other record returns its current URL (usually null)
    /// without a call. A failed GET throws <see cref="TurboDiffusionApiException"/> and leaves the record as it
    /// was. When the backend now reads PENDING + SUCCEEDED the record gets <see cref="JobRecord.OutputLinkGone"/>
    /// and null is returned. Concurrent calls for one record share one GET.
    /// </remarks>
    public Task<string?> RefreshOutputUrlAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Task<string?> refresh;
        lock (_gate)
        {
            if (!_book.TryGet(id, out var record)) return Task.FromResult<string?>(null);
            if (_disposed || record.Status.Phase != JobPhase.Succeeded || record.JobId is null
                || !_jobTypes.TryGetValue(record.JobType, out var jobType))
            {
                return Task.FromResult(record.OutputUrl);
            }

            if (!_refreshes.TryGetValue(id, out refresh!))
            {
                var jobId = record.JobId;
                refresh = Track(Task.Run(() => RefreshCoreAsync(id, jobId, jobType), CancellationToken.None));
                _refreshes[id] = refresh;
            }
        }

        return refresh.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task MarkSeenAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        JobRecord before;
        JobRecord after;
        lock (_gate)
        {
            if (_disposed || !_book.TryGet(id, out before) || before.Seen) return;
            after = Commit(before, before with { Seen = true }, _time.GetUtcNow());
        }

        await PublishAsync(new JobChange(JobChangeKind.Updated, id, after, before)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        JobRecord? removed;
        JobRecord tombstone;
        lock (_gate)
        {
            if (_disposed || !RemoveRecord(id, out removed)) return;
            _schedule.Stop(id);
            tombstone = JobRecordBook.Tombstone(removed!, removed!.Revision + 1, _time.GetUtcNow());
        }

        // A poll in flight for this id finds no record when it returns and is dropped. The store keeps a tombstone,
        // so other tabs drop the job too and can tell this removal from an eviction.
        await WithStoreLockAsync(() => _store.SaveAsync(tombstone, _stopping)).ConfigureAwait(false);
        await NotifyAsync(new JobChange(JobChangeKind.Removed, id, null, removed)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Func<JobChange, Task> handler) => _feed.Subscribe(handler);

    /// <summary>Stops everything at once: no backend call after this, in-flight calls are cancelled and awaited.</summary>
    public async ValueTask DisposeAsync()
    {
        var work = Stop();
        if (work.Length > 0)
        {
            await Task.WhenAll(work).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Stops everything at once without waiting for cancelled calls to unwind.</summary>
    public void Dispose() => Stop();

    private Task[] Stop()
    {
        Task[] work;
        IDisposable? watch;
        lock (_gate)
        {
            if (_disposed) return [];
            _disposed = true;
            _feed.Close();
            work = [.. _work, .. _scheduler.Stop()];
            watch = _externalWatch;
            _externalWatch = null;
        }

        try
        {
            _lifetime.Cancel();
        }
        catch (AggregateException ex)
        {
            // A cancellation callback of someone's call threw; stopping must not.
            Log.CancellationCallbackFailed(_logger, ex);
        }

        try
        {
            watch?.Dispose();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.WatchDisposeFailed(_logger, ex);
        }

        return work;
    }

    private async Task InitializeCoreAsync()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _externalWatch ??= _store.WatchExternalChanges(OnExternalChangesAsync);
        }

        IReadOnlyList<JobRecord> stored;
        try
        {
            stored = await _store.LoadAllAsync(_stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // Let a later InitializeAsync try again.
            lock (_gate) _initialization = null;
            Log.LoadFailed(_logger, ex);
            throw;
        }

        IReadOnlyList<JobRecord> added;
        lock (_gate)
        {
            if (_disposed) return;
            var now = _time.GetUtcNow();
            foreach (var candidate in stored)
            {
                if (candidate is { Removed: true, Id: { Length: > 0 } removedId }) _book.MarkRemoved(removedId);
            }

            added = _book.AddRange(stored.Where(candidate => candidate is { Removed: false }).Select(Restore).OfType<JobRecord>());
            foreach (var record in added)
            {
                Learn(record);
                ScheduleRestored(record, now);
            }
        }

        _scheduler.Pump();
        foreach (var record in added)
        {
            await NotifyAsync(new JobChange(JobChangeKind.Added, record.Id, record, null)).ConfigureAwait(false);
        }
    }

    private async Task OnExternalChangesAsync(IReadOnlyCollection<string> ids)
    {
        if (Volatile.Read(ref _disposed) || ids.Count == 0) return;
        IReadOnlyList<JobRecord> stored;
        try
        {
            stored = await _store.LoadAllAsync(_stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            Log.LoadFailed(_logger, ex);
            return;
        }

        CrossTabMergeResult merged;
        lock (_gate)
        {
            if (_disposed) return;
            var now = _time.GetUtcNow();
            merged = CrossTabMerge.Apply(_book, ids, stored, Restore, now);
            foreach (var change in merged.Changes)
            {
                if (change.Record is not { } record)
                {
                    _schedule.Stop(change.Id);
                    _scheduler.Forget(change.Id);
                    _durations.Forget(change.Id);
                    continue;
                }

                Learn(record);
                if (!record.Status.Phase.IsActive() && change.Kind == JobChangeKind.Updated) _schedule.Stop(change.Id);
                else if (change.Kind == JobChangeKind.Added || !_schedule.IsPolling(change.Id))
                {
                    // New here, or newly active (Keep checking or a finished POST in the other tab): poll it too.
                    ScheduleExternal(record, now);
                }
            }
        }

        _scheduler.Pump();
        foreach (var tombstone in merged.Tombstones)
        {
            await WithStoreLockAsync(() => _store.SaveAsync(tombstone, _stopping)).ConfigureAwait(false);
        }

        foreach (var change in merged.Changes)
        {
            await NotifyAsync(change).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes a stored record safe to use (<see cref="StoredJobRecords.Repair"/>); null for records written by a newer
    /// schema (left alone) and for records it cannot use (logged; a store that can set them aside does so itself).
    /// </summary>
    private JobRecord? Restore(JobRecord? candidate)
    {
        if (candidate is null || string.IsNullOrEmpty(candidate.Id)) return null;
        if (candidate.SchemaVersion > JobRecord.CurrentSchemaVersion)
        {
            Log.NewerSchemaSkipped(_logger, candidate.Id, candidate.SchemaVersion);
            return null;
        }

        if (StoredJobRecords.Repair(candidate, out var problem) is not { } record)
        {
            Log.UnusableRecordSkipped(_logger, candidate.Id, problem ?? "");
            return null;
        }

        // Version 1 is the first shape: nothing to migrate yet. A stored output URL is re-validated (the browser's
        // storage is the user's to edit); one that is not a plain http(s) link is dropped and fetched afresh when needed.
        var outputUrl = OutputUrlExpiry.IsPlayableUrl(record.OutputUrl) ? record.OutputUrl : null;
        return record with
        {
            SchemaVersion = JobRecord.CurrentSchemaVersion,
            Params = Normalise(record.Params),
            OutputUrl = outputUrl,
            OutputUrlExpiresAt = outputUrl is null ? null : record.OutputUrlExpiresAt,
        };
    }

    private IJobTypeDefinition GetJobType(string? name)
    {
        if (name is not null && _jobTypes.TryGetValue(name, out var jobType)) return jobType;
        throw new ArgumentException(
            $"Unknown job type '{name}'. Registered: {string.Join(", ", _jobTypes.Keys)}.", nameof(name));
    }

    private static PollScheduler NewScheduler(IOptions<TurboDiffusionOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new PollScheduler(timeProvider, (options.Value.Polling ?? new PollingOptions()).MaxConcurrentRequests);
    }

    private static JsonElement Normalise(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Undefined ? EmptyParams : parameters;

    private static JsonElement CreateEmptyParams()
    {
        using var document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private void ThrowIfStopped()
    {
        if (_disposed) throw new OperationCanceledException("The job tracker has been disposed.", _stopping);
    }

    /// <summary>Replaces a record in memory by a change made here (under the gate) and learns from it.</summary>
    private JobRecord Commit(JobRecord before, JobRecord after, DateTimeOffset now)
    {
        var committed = _book.Commit(before, after, now);
        Learn(committed);
        return committed;
    }

    private void AddRecord(JobRecord record)
    {
        _book.Add(record);
        Learn(record);
    }

    private bool RemoveRecord(string id, out JobRecord? removed)
    {
        _durations.Forget(id);
        _scheduler.Forget(id);
        return _book.Remove(id, out removed);
    }

    private T Track<T>(T task) where T : Task
    {
        lock (_gate) _work.Add(task);
        task.ContinueWith(static (done, state) =>
        {
            var tracker = (JobTracker)state!;
            lock (tracker._gate) tracker._work.Remove(done);
        }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private async Task PublishAsync(JobChange change)
    {
        await PersistAsync(change.Id).ConfigureAwait(false);
        await NotifyAsync(change).ConfigureAwait(false);
    }

    /// <summary>Saves the record's latest version; store failures are logged, never thrown (memory stays the truth), and
    /// returned for the one caller that acts on them (the save before a POST).</summary>
    private Task<Exception?> PersistAsync(string id) => WithStoreLockAsync(() =>
    {
        JobRecord? current;
        lock (_gate) current = _book.Find(id);
        return current is null ? Task.CompletedTask : _store.SaveAsync(current, _stopping);
    });

    /// <summary>Runs one store write under the store's lock; returns its failure (logged), null when it succeeded or the
    /// tracker stopped.</summary>
    private async Task<Exception?> WithStoreLockAsync(Func<Task> action)
    {
        if (Volatile.Read(ref _disposed)) return null;
        try
        {
            await _storeLock.WaitAsync(_stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        try
        {
            // One store write at a time, each with the newest record, so a slow save never overwrites a newer one.
            if (!Volatile.Read(ref _disposed)) await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.StoreFailed(_logger, ex);
            return ex;
        }
        finally
        {
            _storeLock.Release();
        }

        return null;
    }

    private Task NotifyAsync(JobChange change) => _feed.PublishAsync(change);
}
