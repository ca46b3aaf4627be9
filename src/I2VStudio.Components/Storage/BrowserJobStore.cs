using System.Text.Json;
using I2VStudio.Components.Browser;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Storage;

/// <summary>
/// Keeps job records in the browser's <c>localStorage</c>: one key per record (<c>i2v.jobs.v1.&lt;id&gt;</c>) and nothing
/// shared, so two tabs never erase each other's jobs. When storage is full it removes thumbnails of the oldest
/// finished jobs, then whole oldest finished jobs, and tells the user through <see cref="StorageNotices"/>. A stored
/// record that cannot be read (corrupt, or holes a job record cannot have) is set aside under
/// <see cref="SetAsideKeyPrefix"/> with its text unchanged, and the user is told; one bad record never stops the rest.
/// Changes made by another tab arrive through the <c>storage</c> event. Call only after the first render.
/// </summary>
public sealed partial class BrowserJobStore : IJobStore, IAsyncDisposable
{
    /// <summary>The key prefix of job records (the <c>v1</c> is the layout; records carry their own schema version).</summary>
    public const string KeyPrefix = "i2v.jobs.v1.";

    /// <summary>Where unreadable records are set aside, text unchanged (<c>i2v.jobs.setaside.v1.&lt;id&gt;</c>); never read back.</summary>
    public const string SetAsideKeyPrefix = "i2v.jobs.setaside.v1.";

    /// <summary>The module's file name under <c>_content/I2VStudio.Components/js/</c>.</summary>
    public const string ModuleFile = "storage.js";

    private readonly JsModule _module;
    private readonly StorageNotices _notices;
    private readonly ILogger<BrowserJobStore> _logger;
    private readonly JobRecordSerializer _serializer;
    private readonly int _maxStoredJobs;

    /// <summary>Creates the store with the default limits.</summary>
    public BrowserJobStore(IJSRuntime js, StorageNotices notices, ILogger<BrowserJobStore> logger)
        : this(js, notices, logger, new JobRecordSerializer())
    {
    }

    /// <summary>Creates the store with <paramref name="options"/>' limits (<see cref="BrowserStorageOptions.MaxStoredJobs"/>).</summary>
    public BrowserJobStore(IJSRuntime js, StorageNotices notices, ILogger<BrowserJobStore> logger, IOptions<BrowserStorageOptions> options)
        : this(js, notices, logger, new JobRecordSerializer(), options?.Value)
    {
    }

    internal BrowserJobStore(IJSRuntime js, StorageNotices notices, ILogger<BrowserJobStore> logger, JobRecordSerializer serializer,
        BrowserStorageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(js);
        _module = new JsModule(js, ModuleFile);
        _notices = notices;
        _logger = logger;
        _serializer = serializer;
        _maxStoredJobs = (options ?? new BrowserStorageOptions()).MaxStoredJobs;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobRecord>> LoadAllAsync(CancellationToken cancellationToken)
    {
        StoredItem[] items;
        try
        {
            items = await LoadItemsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (JSException ex)
        {
            // localStorage can be unavailable (disabled, sandboxed frame): run without history rather than fail.
            LogStorageUnavailable(ex);
            return [];
        }

        var (records, unusable) = Parse(items);
        if (unusable.Count > 0) await SetAsideAsync(unusable, cancellationToken).ConfigureAwait(false);
        var dropped = await KeepAtMostAsync(records, cancellationToken).ConfigureAwait(false);
        return [.. records.Where(x => !dropped.Contains(x.Key)).Select(x => x.Record).OrderByDescending(r => r.CreatedAt)];
    }

    /// <summary>
    /// Past <see cref="BrowserStorageOptions.MaxStoredJobs"/> jobs (tombstones not counted): removes tombstones, then
    /// the oldest Succeeded or Failed jobs, until the count fits, and says so. Never a job that may still run or was
    /// never sent. Returns the keys removed.
    /// </summary>
    private async Task<HashSet<string>> KeepAtMostAsync(List<(string Key, JobRecord Record)> records, CancellationToken cancellationToken)
    {
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        var jobs = records.Count(x => !x.Record.Removed);
        if (jobs <= _maxStoredJobs) return dropped;

        var excess = jobs - _maxStoredJobs;
        var finished = records
            .Where(x => !x.Record.Removed && x.Record.Status.Phase is JobPhase.Succeeded or JobPhase.Failed)
            .OrderBy(x => x.Record.CompletedAt ?? x.Record.CreatedAt)
            .Take(excess)
            .Select(x => x.Key);
        string[] keys = [.. records.Where(x => x.Record.Removed).Select(x => x.Key), .. finished];
        if (keys.Length == 0) return dropped;

        await _module.InvokeVoidAsync("removeItems", cancellationToken, [keys]).ConfigureAwait(false);
        dropped.UnionWith(keys);
        var removedJobs = keys.Length - records.Count(x => x.Record.Removed);
        if (removedJobs > 0)
        {
            await NotifyAsync(new StorageNotice(StorageNoticeKind.RecordsCapped, RecordsRemoved: removedJobs)).ConfigureAwait(false);
        }

        return dropped;
    }

    /// <inheritdoc />
    public async Task SaveAsync(JobRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = KeyPrefix + record.Id;
        var json = JobRecordSerializer.Serialize(record);
        if (await TrySetAsync(key, json, cancellationToken, record.Removed).ConfigureAwait(false)) return;

        await MakeRoomAndSaveAsync(record.Id, key, json, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await _module.InvokeVoidAsync("removeItem", cancellationToken, KeyPrefix + id).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IDisposable WatchExternalChanges(Func<IReadOnlyCollection<string>, Task> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        var watch = new ExternalWatch(this, onChanged);
        watch.Start();
        return watch;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _module.DisposeAsync();

    /// <summary>Every stored item with the prefix, read as one UTF-8 JSON stream (any size, any circuit).</summary>
    private async Task<StoredItem[]> LoadItemsAsync(CancellationToken cancellationToken)
    {
        var json = await _module.InvokeTextAsync("loadAllData", MaxReadBytes, cancellationToken, KeyPrefix).ConfigureAwait(false);
        return JsonSerializer.Deserialize<StoredItem[]>(json, StoredItemJson) ?? [];
    }

    /// <summary>
    /// Writes a record; true when it is stored, or when the stored value is a tombstone this write must not replace (a
    /// tab that had not heard of the removal yet: the removal wins). False when storage is full.
    /// </summary>
    private async Task<bool> TrySetAsync(string key, string json, CancellationToken cancellationToken, bool isTombstone = false) =>
        await _module.InvokeAsync<string>("setItem", cancellationToken, key, json, !isTombstone).ConfigureAwait(false) is "ok" or "removed";

    /// <summary>
    /// Storage is full: strip thumbnails of the oldest Succeeded or Failed records, in doubling batches, retrying after
    /// each; then remove whole oldest Succeeded or Failed records the same way. Active, TimedOut, Lost, Submitting and
    /// SubmitFailed jobs and the record being saved are never touched.
    /// </summary>
    private async Task MakeRoomAndSaveAsync(string id, string key, string json, CancellationToken cancellationToken)
    {
        var items = await LoadItemsAsync(cancellationToken).ConfigureAwait(false);
        var finished = Parse(items).Records
            // Only jobs with an outcome: TimedOut and Lost may still run, Submitting and SubmitFailed may never have
            // been sent (or may have been): their records are all the user has.
            .Where(x => x.Record.Id != id && (x.Record.Removed || x.Record.Status.Phase is JobPhase.Succeeded or JobPhase.Failed))
            .OrderBy(x => x.Record.CompletedAt ?? x.Record.CreatedAt)
            .ToList();

        var thumbnailsRemoved = 0;
        var withThumbnails = finished.Where(x => x.Record.Inputs.ThumbnailDataUrl is not null).ToList();
        for (int start = 0, batch = 1; start < withThumbnails.Count; start += batch, batch *= 2)
        {
            foreach (var (itemKey, stored) in withThumbnails.Skip(start).Take(batch))
            {
                var stripped = stored with { Inputs = stored.Inputs with { ThumbnailDataUrl = null } };
                // Smaller than what it replaces, so it fits.
                if (await TrySetAsync(itemKey, JobRecordSerializer.Serialize(stripped), cancellationToken).ConfigureAwait(false))
                    thumbnailsRemoved++;
            }

            if (await TrySetAsync(key, json, cancellationToken).ConfigureAwait(false))
            {
                await NotifyAsync(new StorageNotice(StorageNoticeKind.ThumbnailsRemoved, thumbnailsRemoved)).ConfigureAwait(false);
                return;
            }
        }

        var recordsRemoved = 0;
        for (int start = 0, batch = 1; start < finished.Count; start += batch, batch *= 2)
        {
            string[] keys = [.. finished.Skip(start).Take(batch).Select(x => x.Key)];
            await _module.InvokeVoidAsync("removeItems", cancellationToken, [keys]).ConfigureAwait(false);
            recordsRemoved += keys.Length;
            if (await TrySetAsync(key, json, cancellationToken).ConfigureAwait(false))
            {
                await NotifyAsync(new StorageNotice(StorageNoticeKind.RecordsRemoved, thumbnailsRemoved, recordsRemoved)).ConfigureAwait(false);
                return;
            }
        }

        // Nothing left to free (other sites' data or a tiny quota): the tracker keeps the job in memory.
        LogSaveFailed(id);
        await NotifyAsync(new StorageNotice(StorageNoticeKind.SaveFailed, thumbnailsRemoved, recordsRemoved)).ConfigureAwait(false);
    }

    private async Task NotifyAsync(StorageNotice notice)
    {
        try
        {
            await _notices.PublishAsync(notice).ConfigureAwait(false);
        }
        catch (AggregateException ex)
        {
            // A notice that could not be shown must not fail the save that already succeeded.
            LogNoticeFailed(ex);
        }
    }

    private (List<(string Key, JobRecord Record)> Records, List<string> Unusable) Parse(IEnumerable<StoredItem> items)
    {
        var records = new List<(string, JobRecord)>();
        var unusable = new List<string>();
        foreach (var item in items)
        {
            switch (_serializer.Read(item.Value, out var record, out var problem))
            {
                case JobRecordSerializer.ReadOutcome.Read:
                    records.Add((item.Key, record!));
                    break;
                case JobRecordSerializer.ReadOutcome.Newer:
                    LogSkipped(item.Key);
                    break;
                default:
                    LogUnusable(item.Key, problem ?? "");
                    unusable.Add(item.Key);
                    break;
            }
        }

        return (records, unusable);
    }

    /// <summary>Moves unreadable records out of the job keys (text unchanged, nothing lost) and says so once.</summary>
    private async Task SetAsideAsync(List<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            try
            {
                var to = SetAsideKeyPrefix + key[KeyPrefix.Length..];
                // "quota" (no room for the copy) leaves it where it is: skipped again next time, never lost.
                await _module.InvokeAsync<string>("moveItem", cancellationToken, key, to).ConfigureAwait(false);
            }
            catch (JSException ex)
            {
                LogSetAsideFailed(key, ex);
            }
        }

        await NotifyAsync(new StorageNotice(StorageNoticeKind.RecordsSetAside, RecordsRemoved: keys.Count)).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped stored job record {Key}: written by a newer version of the studio.")]
    private partial void LogSkipped(string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored job record {Key} cannot be used ({Problem}); it is set aside.")]
    private partial void LogUnusable(string key, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not set aside stored job record {Key}; it stays where it is.")]
    private partial void LogSetAsideFailed(string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "localStorage is not available; jobs are kept for this session only.")]
    private partial void LogStorageUnavailable(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Browser storage is full; job {Id} is kept for this session only.")]
    private partial void LogSaveFailed(string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A storage notice subscriber failed.")]
    private partial void LogNoticeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching other tabs' job changes failed.")]
    private partial void LogWatchFailed(Exception exception);

    /// <summary>One localStorage entry as the module returns it.</summary>
    internal sealed record StoredItem(string Key, string Value);

    /// <summary>The most a read of the origin's storage can hold: localStorage keeps about 5 M UTF-16 characters.</summary>
    internal const long MaxReadBytes = 32L * 1024 * 1024;

    private static readonly JsonSerializerOptions StoredItemJson = new(JsonSerializerDefaults.Web);

    /// <summary>The JS <c>storage</c> event subscription behind <see cref="WatchExternalChanges"/>.</summary>
    internal sealed class ExternalWatch : IDisposable
    {
        private readonly BrowserJobStore _store;
        private readonly Func<IReadOnlyCollection<string>, Task> _onChanged;
        private readonly DotNetObjectReference<ExternalWatch> _self;
        private readonly CancellationTokenSource _stop = new();
        private Task<IJSObjectReference?>? _handle;
        private int _disposed;

        public ExternalWatch(BrowserJobStore store, Func<IReadOnlyCollection<string>, Task> onChanged)
        {
            _store = store;
            _onChanged = onChanged;
            _self = DotNetObjectReference.Create(this);
        }

        public void Start() => _handle = StartAsync();

        private async Task<IJSObjectReference?> StartAsync()
        {
            try
            {
                return await _store._module.InvokeAsync<IJSObjectReference>("watch", _stop.Token, KeyPrefix, _self).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JSException or JSDisconnectedException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                if (!_stop.IsCancellationRequested) _store.LogWatchFailed(ex);
                return null;
            }
        }

        /// <summary>Called by the module with the ids another tab wrote or removed.</summary>
        [JSInvokable]
        public Task OnExternalChange(string[] ids) =>
            Volatile.Read(ref _disposed) == 0 && ids is { Length: > 0 } ? _onChanged(ids) : Task.CompletedTask;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _stop.Cancel();
            // IDisposable by contract, while stopping the listener is a JS call: finish it in the background.
            _ = StopAsync();
        }

        private async Task StopAsync()
        {
            var handle = _handle is null ? null : await _handle.ConfigureAwait(false);
            if (handle is not null)
            {
                await JsModule.DisposeQuietlyAsync(() => handle.InvokeVoidAsync("stop")).ConfigureAwait(false);
                await JsModule.DisposeQuietlyAsync(() => handle.DisposeAsync()).ConfigureAwait(false);
            }

            _self.Dispose();
            _stop.Dispose();
        }
    }
}
