using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Workspace.Takes;

/// <summary>Makes and follows takes on the host: one tracker (the client's <see cref="JobTracker"/>, records in the
/// workspace database, input images read from assets) for every take of every project, so a take keeps being tracked
/// after its page closes and after a restart. Each job carries its <see cref="JobContext"/> (project, shot, take). When
/// a take succeeds its video is downloaded into the asset store (the backend's links and results expire). Hosts sharing
/// one database each follow their own takes and take over a dead host's when its lease runs out
/// (<see cref="TakeJobStore"/>).</summary>
public sealed partial class TakeRunner(
    IServiceScopeFactory scopes,
    IDbContextFactory<WorkspaceDbContext> contexts,
    AssetStore assets,
    IHttpClientFactory http,
    TimeProvider time,
    IBackendProfileResolver profiles,
    IOptions<WorkspaceOptions> options,
    ILogger<TakeRunner> logger) : IHostedService, IAsyncDisposable, Batches.ITakeSubmitter
{
    /// <summary>Most variations one request makes.</summary>
    public const int MaxVariations = 8;

    /// <summary>The waits before the second, third and fourth attempt at a failed video download.</summary>
    internal static readonly TimeSpan[] CaptureRetryDelays = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];

    /// <summary>The HTTP client name used to download videos.</summary>
    public const string CaptureClient = "I2VStudio.Workspace.Capture";

    private readonly TakeJobColumns _columns = new(contexts);
    private readonly TakeJobStore _store = new(contexts, time, options.Value, logger);
    private readonly SemaphoreSlim _takeWrites = new(1, 1);
    private readonly ConcurrentDictionary<Guid, Task> _captures = new();
    private readonly List<Func<Guid, Task>> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AsyncServiceScope _scope;
    private JobTracker? _tracker;
    private IDisposable? _subscription;
    private int _disposed;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Log.Starting(logger, _store.HostId);
        _scope = scopes.CreateAsyncScope();
        _tracker = ActivatorUtilities.CreateInstance<JobTracker>(_scope.ServiceProvider, _store, new AssetBlobStore(assets));
        _subscription = _tracker.Subscribe(OnJobChangedAsync);
        // Records nobody follows any more (their host died, or wrote them before hosts took leases) become this host's
        // before it loads its own.
        await _store.ClaimAsync(cancellationToken).ConfigureAwait(false);
        await _tracker.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _ready.TrySetResult();
        // Takes that succeeded while the host was down, or whose capture was interrupted, are captured now.
        List<Guid> pending;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            pending = await db.Takes.AsNoTracking().Where(t => t.Phase == nameof(JobPhase.Succeeded) && t.VideoAssetId == null)
                .Select(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var take in pending) StartCapture(take);
        await FailTakesNeverSentAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How old a take without a job record must be before it counts as never sent: another host on the same
    /// database stores its record moments after the take, so a young one may be on its way.</summary>
    internal static readonly TimeSpan NeverSentAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A take stored just before the host stopped, before the tracker stored its job record, was never sent: nothing
    /// will move it on, so it would read "Submitting" for ever. Such takes become SubmitFailed with no error (the page
    /// says they were not sent); Retry sends them. Internal for tests; runs at start.
    /// </summary>
    internal async Task<int> FailTakesNeverSentAsync(CancellationToken cancellationToken)
    {
        var before = (time.GetUtcNow() - NeverSentAfter).UtcDateTime;
        List<Guid> never;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            never = await db.Takes.AsNoTracking()
                .Where(t => t.Phase == nameof(JobPhase.Submitting) && t.JobId == null && t.CreatedAt < before
                    && !db.TakeJobs.Any(j => j.TakeId == t.Id))
                .Select(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var take in never)
        {
            await _columns.WriteJobAsync(take, null, JobPhase.SubmitFailed, null, cancellationToken).ConfigureAwait(false);
        }
        return never.Count;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop it after the container disposed it (test hosts do): nothing is left to stop then.
        if (Volatile.Read(ref _disposed) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_captures.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.GiveBackAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // stopping must not fail on it: the leases then run out on their own
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.GiveBackFailed(logger, e);
        }
    }

    /// <summary>Calls <paramref name="onTakeChanged"/> with the shot id whenever one of its takes changes, in the culture
    /// of the subscriber (a page renders in its user's language; the host-wide tracker tells its changes on threads of
    /// the host's culture). Dispose to stop.</summary>
    public IDisposable Subscribe(Func<Guid, Task> onTakeChanged)
    {
        ArgumentNullException.ThrowIfNull(onTakeChanged);
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        // Async, so the culture set here is the listener's alone and does not leak into the runner's flow.
        async Task Listener(Guid shotId)
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
            await onTakeChanged(shotId).ConfigureAwait(false);
        }
        Func<Guid, Task> listener = Listener;
        lock (_listeners) _listeners.Add(listener);
        return new Unsubscriber(() => { lock (_listeners) _listeners.Remove(listener); });
    }

    /// <summary>The tracker's record of a take's job, or null (not submitted yet, or removed).</summary>
    public JobRecord? RecordOf(Guid takeId)
    {
        var key = takeId.ToString();
        return _tracker?.Jobs.FirstOrDefault(r => r.Inputs.Context?.TakeId == key);
    }

    /// <summary>The job records of those of <paramref name="takeIds"/> this host does not follow (another host does: a
    /// batch it runs, or a page of the same workspace opened on it), as that host last stored them. They are for
    /// showing: this host neither polls nor writes them, so a page re-reads them to see them move.</summary>
    public async Task<IReadOnlyDictionary<Guid, JobRecord>> RecordsFollowedElsewhereAsync(IEnumerable<Guid> takeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(takeIds);
        var records = new Dictionary<Guid, JobRecord>();
        foreach (var record in await _store.LoadFollowedElsewhereAsync([.. takeIds], cancellationToken).ConfigureAwait(false))
        {
            if (Guid.TryParse(record.Inputs.Context?.TakeId, out var takeId)) records[takeId] = record;
        }
        return records;
    }

    /// <summary>Makes <paramref name="count"/> takes of the shot: prompt = project prefix + shot prompt + suffix, parameters
    /// = the shot's overrides over the project's defaults (the clip length and prompt enhancement only on a VideoGen
    /// backend); the first take uses the configured seed (random if none), the others random seeds. Refused, with nothing
    /// sent, when the shot has no source image or prompt, or its clip length is out of range.</summary>
    public async Task<IReadOnlyList<Take>> GenerateAsync(Guid shotId, int count, CancellationToken cancellationToken)
    {
        if (count is < 1 or > MaxVariations) throw new WorkspaceException(WorkspaceError.OutOfRange, MaxVariations);
        var plan = await PlanAsync(shotId, cancellationToken).ConfigureAwait(false);
        var extras = await VideoGenExtrasAsync(plan.DurationSeconds, plan.EnhancePrompt, cancellationToken).ConfigureAwait(false);
        var takes = new List<Take>(count);
        for (var i = 0; i < count; i++)
        {
            var seed = i == 0 && plan.Seed is { } fixedSeed ? fixedSeed : RandomSeed();
            takes.Add(await SubmitAsync(plan, new Sent(plan.Prompt, plan.NumSteps, seed, plan.Quantized, extras.DurationSeconds, extras.EnhancePrompt),
                cancellationToken).ConfigureAwait(false));
        }
        return takes;
    }

    /// <inheritdoc />
    public async Task<Guid> SubmitTakeAsync(Guid shotId, CancellationToken cancellationToken) =>
        (await GenerateAsync(shotId, 1, cancellationToken).ConfigureAwait(false))[0].Id;

    /// <summary>Makes a new take with exactly what an earlier take sent (a new seed when <paramref name="newSeed"/>).</summary>
    public Task<Take> RetryAsync(Guid takeId, bool newSeed, CancellationToken cancellationToken) =>
        RetryAsync(takeId, newSeed, withoutEnhancement: false, cancellationToken);

    /// <summary>Makes a new take with what an earlier take sent, but without prompt enhancement: the way out when the
    /// backend's LLM refused it (503), where sending the same again would fail the same way.</summary>
    public Task<Take> RetryWithoutEnhancementAsync(Guid takeId, CancellationToken cancellationToken) =>
        RetryAsync(takeId, newSeed: false, withoutEnhancement: true, cancellationToken);

    private async Task<Take> RetryAsync(Guid takeId, bool newSeed, bool withoutEnhancement, CancellationToken cancellationToken)
    {
        Take earlier;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            earlier = await db.Takes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == takeId, cancellationToken).ConfigureAwait(false)
                ?? throw new WorkspaceException(WorkspaceError.NotFound);
        }
        var plan = await PlanAsync(earlier.ShotId, cancellationToken, requirePrompt: false).ConfigureAwait(false);
        // The earlier take's own length and enhancement, not the shot's current ones: a retry repeats what was sent.
        var extras = earlier.DurationSeconds is { } seconds
            ? await VideoGenExtrasAsync(seconds, earlier.EnhancePrompt && !withoutEnhancement, cancellationToken).ConfigureAwait(false)
            : (DurationSeconds: null, EnhancePrompt: false);
        return await SubmitAsync(plan, new Sent(earlier.PromptSent, earlier.NumSteps, newSeed ? RandomSeed() : earlier.Seed, earlier.Quantized,
            extras.DurationSeconds, extras.EnhancePrompt), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tracker's store (tests drive and watch its lease rounds).</summary>
    internal TakeJobStore Store => _store;

    /// <summary>Waits until the tracker has loaded its records (start-up).</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    private sealed record Plan(Guid ProjectId, Guid ShotId, Asset Image, string Prompt, int NumSteps, int? Seed, bool Quantized,
        double DurationSeconds, bool EnhancePrompt);

    /// <summary>What one take sends (and its <see cref="Take"/> records).</summary>
    private sealed record Sent(string Prompt, int NumSteps, int Seed, bool Quantized, double? DurationSeconds, bool EnhancePrompt);

    /// <summary>
    /// The clip length and enhancement a take sends: both only on a VideoGen backend (Legacy has neither, and an unknown
    /// backend, unreachable now, gets neither, like the I2V form). The length is checked with the form's rule and limit
    /// first, so an out-of-range one is refused before anything is stored or sent.
    /// </summary>
    private async Task<(double? DurationSeconds, bool EnhancePrompt)> VideoGenExtrasAsync(double seconds, bool enhance, CancellationToken cancellationToken)
    {
        BackendProfile? profile;
        try
        {
            profile = await profiles.GetProfileAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TurboDiffusionApiException)
        {
            // The POST will fail the same way and the tracker keeps it as SubmitFailed on the take.
            profile = null;
        }
        if (profile != BackendProfile.VideoGen) return (null, false);
        WorkspaceLimits.CheckDuration(seconds, options.Value.MaxDurationSeconds);
        // Like the I2V form, which hides the switch then: enhancement only while the backend's LLM is available. The
        // shot keeps its choice, so enhancement comes back with the LLM; the take records what was sent.
        return (seconds, enhance && await LlmAvailableAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Whether the backend says its LLM is available; capabilities it cannot tell count as unavailable.</summary>
    private async Task<bool> LlmAvailableAsync(CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            try
            {
                var capabilities = await scope.ServiceProvider.GetRequiredService<ITurboDiffusionApi>()
                    .GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
                return capabilities.IsAvailable("llm");
            }
            catch (TurboDiffusionApiException e)
            {
                Log.CapabilitiesUnread(logger, e);
                return false;
            }
        }
    }

    private async Task<Plan> PlanAsync(Guid shotId, CancellationToken cancellationToken, bool requirePrompt = true)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await (
            from shot in db.Shots
            where shot.Id == shotId
            join scene in db.Scenes on shot.SceneId equals scene.Id
            join chapter in db.Chapters on scene.ChapterId equals chapter.Id
            join project in db.Projects on chapter.ProjectId equals project.Id
            select new { shot, project }).AsNoTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NotFound);
        if (row.shot.SourceImageAssetId is not { } imageId) throw new WorkspaceException(WorkspaceError.NoSourceImage);
        if (requirePrompt && string.IsNullOrWhiteSpace(row.shot.Prompt)) throw new WorkspaceException(WorkspaceError.PromptRequired);
        var image = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == imageId, cancellationToken).ConfigureAwait(false)
            ?? throw new WorkspaceException(WorkspaceError.NoSourceImage);
        return new Plan(row.project.Id, row.shot.Id, image, FullPrompt(row.project, row.shot),
            row.shot.NumStepsOverride ?? row.project.DefaultNumSteps,
            row.shot.SeedOverride ?? row.project.DefaultSeed,
            row.shot.QuantizedOverride ?? row.project.DefaultQuantized,
            row.shot.DurationOverride ?? row.project.DefaultDurationSeconds,
            row.shot.EnhancePromptOverride ?? row.project.DefaultEnhancePrompt);
    }

    /// <summary>The prompt a take of <paramref name="shot"/> sends: the project's prefix, the shot's prompt and the
    /// project's suffix, joined as typed (so Chinese needs no spaces and English brings its own).</summary>
    public static string FullPrompt(Project project, Shot shot)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(shot);
        return string.Concat(project.StylePrefix, shot.Prompt.Trim(), project.StyleSuffix).Trim();
    }

    private async Task<Take> SubmitAsync(Plan plan, Sent sent, CancellationToken cancellationToken)
    {
        await WhenReadyAsync(cancellationToken).ConfigureAwait(false);
        var take = new Take
        {
            ShotId = plan.ShotId, PromptSent = sent.Prompt, NumSteps = sent.NumSteps, Seed = sent.Seed, Quantized = sent.Quantized,
            DurationSeconds = sent.DurationSeconds, EnhancePrompt = sent.EnhancePrompt,
            Phase = nameof(JobPhase.Submitting), CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        // From here on the caller's cancellation only stops its wait: a stored take is always handed to the tracker,
        // or it would read "Submitting" for ever with no job behind it (and a batch would send its shot again).
        cancellationToken.ThrowIfCancellationRequested();
        await using (var db = await contexts.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false))
        {
            db.Takes.Add(take);
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        var request = new JobRequest(I2VParams.JobTypeName,
            new JobInputs
            {
                Prompt = sent.Prompt,
                ImageName = plan.Image.Name,
                ImageBlobKey = plan.Image.Id.ToString(),
                ImageContentType = plan.Image.ContentType,
                ImageSize = plan.Image.Size,
                Context = new JobContext(plan.ProjectId.ToString(), plan.ShotId.ToString(), take.Id.ToString()),
            },
            new I2VParams
            {
                Seed = sent.Seed, NumSteps = sent.NumSteps, Quantized = sent.Quantized,
                DurationSeconds = sent.DurationSeconds, EnhancePrompt = sent.EnhancePrompt,
            }.ToJson());
        // The tracker stores its record before the POST and keeps a failed POST as SubmitFailed; the take follows it.
        await _tracker!.SubmitAsync(request, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        return take;
    }

    private static int RandomSeed() => RandomNumberGenerator.GetInt32(0, int.MaxValue);

    /// <summary>The tracker's word that a take's job changed: written on the take (internal for tests).</summary>
    internal async Task OnJobChangedAsync(JobChange change)
    {
        if (change.Record is null || !Guid.TryParse(change.Record.Inputs.Context?.TakeId, out var takeId)) return;
        JobRecord record;
        (Guid ShotId, bool HasVideo)? written;
        // One write at a time, each from the tracker's newest record rather than the change's snapshot: changes of one
        // job can be told at once (a poll's while the submission's is still being written), and a write from an older
        // snapshot landing last would set the take back, e.g. to "running" for good after it succeeded.
        await _takeWrites.WaitAsync(_stopping.Token).ConfigureAwait(false);
        try
        {
            record = _tracker?.Find(change.Id) ?? change.Record;
            written = await _columns.WriteJobAsync(takeId, record.JobId, record.Status.Phase, record.Error?.Message, _stopping.Token)
                .ConfigureAwait(false);
        }
        finally
        {
            _takeWrites.Release();
        }
        if (written is not { } take) return;
        if (record.Status.Phase == JobPhase.Succeeded && !take.HasVideo) StartCapture(takeId);
        await NotifyAsync(take.ShotId).ConfigureAwait(false);
    }

    private async Task NotifyAsync(Guid shotId)
    {
        Func<Guid, Task>[] listeners;
        lock (_listeners) listeners = [.. _listeners];
        foreach (var listener in listeners)
        {
            try
            {
                await listener(shotId).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a page's failure to re-render must not stop the tracker's loop
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.ListenerFailed(logger, e);
            }
        }
    }

    private void StartCapture(Guid takeId) =>
        _captures.GetOrAdd(takeId, id => Task.Run(async () =>
        {
            try
            {
                await CaptureAsync(id, _stopping.Token).ConfigureAwait(false);
            }
            finally
            {
                _captures.TryRemove(id, out _);
            }
        }));

    /// <summary>Downloads a succeeded take's video into the asset store and points the take at it; a failed attempt is
    /// tried again after each of <see cref="CaptureRetryDelays"/> (the backend's result expires, so waiting for the next
    /// start could lose the video), then at the next start.</summary>
    private async Task CaptureAsync(Guid takeId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await CaptureOnceAsync(takeId, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the next start captures it.
                return;
            }
#pragma warning disable CA1031 // a failed capture is logged and tried again; the take keeps its phase
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (attempt == CaptureRetryDelays.Length)
                {
                    Log.CaptureFailed(logger, takeId, e);
                    return;
                }
                Log.CaptureRetrying(logger, takeId, CaptureRetryDelays[attempt], e);
            }
            try
            {
                await Task.Delay(CaptureRetryDelays[attempt], time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One capture attempt: a fresh link first when the stored one is near its expiry.</summary>
    private async Task CaptureOnceAsync(Guid takeId, CancellationToken cancellationToken)
    {
        await WhenReadyAsync(cancellationToken).ConfigureAwait(false);
        var record = RecordOf(takeId);
        // Another host's take (it claimed the record while this host could not renew its lease): that host captures it.
        if (record is null || !await _store.TracksAsync(record.Id, cancellationToken).ConfigureAwait(false)) return;
        var url = record.OutputUrl;
        if (url is null || record.OutputUrlExpiresAt is not { } expires || expires - time.GetUtcNow() < TimeSpan.FromMinutes(1))
        {
            url = await _tracker!.RefreshOutputUrlAsync(record.Id, cancellationToken).ConfigureAwait(false);
        }
        if (url is null) return;

        using var client = http.CreateClient(CaptureClient);
        using var response = await client.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        // A take removed meanwhile keeps nothing.
        if (await _columns.VideoNameAsync(takeId, cancellationToken).ConfigureAwait(false) is not { } name) return;
        var upload = await assets.AddFileAsync(body, name, cancellationToken).ConfigureAwait(false);

        // A take removed meanwhile has nobody to tell.
        if (await _columns.WriteVideoAsync(takeId, upload.Asset.Id, cancellationToken).ConfigureAwait(false) is not { } shotId) return;
        await _store.ReleaseAsync(record.Id, cancellationToken).ConfigureAwait(false);
        Log.Captured(logger, takeId, upload.Asset.Size);
        await NotifyAsync(shotId).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _subscription?.Dispose();
        if (_tracker is not null) await _tracker.DisposeAsync().ConfigureAwait(false);
        await _scope.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _takeWrites.Dispose();
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Take runner starting as host {HostId}.")]
        public static partial void Starting(ILogger logger, string hostId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back this host's take leases; they run out on their own.")]
        public static partial void GiveBackFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Captured take {TakeId}: {Bytes} bytes into the asset store.")]
        public static partial void Captured(ILogger logger, Guid takeId, long bytes);

        [LoggerMessage(Level = LogLevel.Information, Message = "Could not capture take {TakeId}'s video; trying again in {Delay}.")]
        public static partial void CaptureRetrying(ILogger logger, Guid takeId, TimeSpan delay, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not capture take {TakeId}'s video; it is tried again at the next start.")]
        public static partial void CaptureFailed(ILogger logger, Guid takeId, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the backend's capabilities; the take is sent without prompt enhancement.")]
        public static partial void CapabilitiesUnread(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A take listener failed.")]
        public static partial void ListenerFailed(ILogger logger, Exception exception);
    }
}
