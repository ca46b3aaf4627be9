using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Workspace.Assets;

/// <summary>
/// Keeps every image submitted from the I2V tool (<c>/tools/i2v</c>) as an asset: when the backend accepts a job (its
/// record gets a job id) the image is copied from the user's image store into the asset store, stored once per content.
/// Takes are left alone: their images are assets already. The copy runs after the submission, so it never delays it.
/// </summary>
public sealed partial class SubmittedImageRecorder(AssetStore assets, ILogger<SubmittedImageRecorder> logger)
{
    /// <summary>
    /// Stores the image of a job that <paramref name="change"/> shows the backend has just accepted. Returns the upload
    /// (<see cref="AssetUpload.AlreadyStored"/> when the same bytes were there), or null when the change is no such
    /// moment (still submitting, accepted earlier, a take, no image) or the image is no longer in <paramref name="images"/>.
    /// </summary>
    public async Task<AssetUpload?> RecordAsync(JobChange change, IJobBlobStore images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(images);
        if (!IsAcceptance(change, out var key, out var inputs)) return null;
        var stream = await images.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (stream is null) return null;
        await using (stream.ConfigureAwait(false))
        {
            return await assets.AddFileAsync(stream, inputs.ImageName ?? "", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Watches one user's tracker (a circuit's) until the result is disposed; each accepted job's image is
    /// recorded in the background, and a failure is logged (the job itself is not affected).</summary>
    public IDisposable Watch(IJobTracker tracker, IJobBlobStore images)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var watch = new Watching();
        // Read once: a change that arrives as the watch is disposed must not touch the disposed source.
        var stopping = watch.Stopping;
        watch.Subscription = tracker.Subscribe(change =>
        {
            // On the thread pool: up to its first real await the copy runs on the caller's thread (opening the image,
            // and hashing it when the reads complete at once), and the tracker tells the page the job id only after
            // every subscriber has returned.
            if (IsAcceptance(change, out _, out _))
                _ = Task.Run(() => RecordQuietlyAsync(change, images, stopping), CancellationToken.None);
            return Task.CompletedTask;
        });
        return watch;
    }

    /// <summary>Whether <paramref name="change"/> is the backend accepting an I2V tool job with an image (not a take).</summary>
    private static bool IsAcceptance(JobChange change, [NotNullWhen(true)] out string? key, [NotNullWhen(true)] out JobInputs? inputs)
    {
        if (change is { Kind: JobChangeKind.Updated, Previous.JobId: null, Record: { JobId: not null, Inputs: { Context: null, ImageBlobKey: { Length: > 0 } k } i } })
        {
            key = k;
            inputs = i;
            return true;
        }

        key = null;
        inputs = null;
        return false;
    }

    private async Task RecordQuietlyAsync(JobChange change, IJobBlobStore images, CancellationToken cancellationToken)
    {
        try
        {
            if (await RecordAsync(change, images, cancellationToken).ConfigureAwait(false) is { } upload)
                LogRecorded(upload.Asset.Name, upload.AlreadyStored);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The user's session ended first.
        }
#pragma warning disable CA1031 // A background copy: the browser or the disk may fail in many ways; the job goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(e, change.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submitted image {Name} kept as an asset (already stored: {AlreadyStored}).")]
    private partial void LogRecorded(string name, bool alreadyStored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The image of job {RecordId} could not be kept as an asset.")]
    private partial void LogFailed(Exception exception, string recordId);

    private sealed class Watching : IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public IDisposable? Subscription { get; set; }

        public CancellationToken Stopping => _stopping.Token;

        public void Dispose()
        {
            Subscription?.Dispose();
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }
}
