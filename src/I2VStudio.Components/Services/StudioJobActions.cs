using I2VStudio.Components.Resources;
using System.Globalization;
using I2VStudio.Components.Browser;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Components;

/// <summary>
/// What the job actions do, shared by the job list and the result panel: they ask the <see cref="IJobTracker"/>,
/// the browser helpers and the dialog service, and report failures in a snackbar instead of breaking the page.
/// One per user session (scoped).
/// </summary>
public sealed class StudioJobActions(
    IJobTracker tracker,
    ISeedGenerator seeds,
    IOptions<I2VStudioOptions> options,
    BrowserActions browser,
    IDownloadLinkProvider downloadLinks,
    NavigationManager navigation,
    IDialogService dialogs,
    ISnackbar snackbar,
    IStringLocalizer<StudioStrings> localizer,
    TimeProvider time)
{
    // Records with a submission in flight from one of the actions below: one click makes one submission (a second
    // click, on the card or in the result panel, while the first is still posting does nothing).
    private readonly HashSet<string> _submitting = new(StringComparer.Ordinal);

    /// <summary>
    /// POSTs a SubmitFailed job again (same record, same inputs). When the failed POST may have reached the backend
    /// (<see cref="JobError.MayHaveBeenSubmitted"/>) it asks first: a second POST may start a second GPU job.
    /// </summary>
    public async Task<JobRecord?> SubmitAgainAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!_submitting.Add(job.Id)) return null;
        try
        {
            if (job.Error is { MayHaveBeenSubmitted: true } && !await ConfirmSubmitAgainAsync("action.submit_again")) return null;
            return await GuardAsync(() => tracker.SubmitAgainAsync(job.Id, cancellationToken));
        }
        finally
        {
            _submitting.Remove(job.Id);
        }
    }

    /// <summary>
    /// The way out after the backend's LLM refused a job (<see cref="JobError.IsPromptEnhancementRefusal"/>): a new job
    /// from this one's image, prompt and parameters with prompt enhancement off (sending the same again would be refused
    /// the same way); the refused record stays as it was. Asks first when the failed POST may have reached the backend,
    /// like Submit again. Null (and nothing submitted) while another submission from this record is in flight, or for a
    /// job that is not an I2V job.
    /// </summary>
    public async Task<JobRecord?> SubmitWithoutEnhancementAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.JobType != I2VParams.JobTypeName || job.Params.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
        if (!_submitting.Add(job.Id)) return null;
        try
        {
            if (job.Error is { MayHaveBeenSubmitted: true } && !await ConfirmSubmitAgainAsync("params.submit_without_enhancement")) return null;
            var parameters = I2VParams.FromJson(job.Params) with { EnhancePrompt = false };
            return await GuardAsync(() => tracker.SubmitAsync(new JobRequest(job.JobType, job.Inputs, parameters.ToJson()), cancellationToken));
        }
        finally
        {
            _submitting.Remove(job.Id);
        }
    }

    /// <summary>
    /// Submits a new job from this one's image and parameters; with <paramref name="newSeed"/>, a fresh random seed.
    /// Null (and nothing submitted) while another submission from this record is in flight.
    /// </summary>
    public async Task<JobRecord?> RetryAsync(JobRecord job, bool newSeed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!_submitting.Add(job.Id)) return null;
        try
        {
            long? seed = newSeed ? NewSeedFor(job, []) : null;
            return await GuardAsync(() => tracker.RetryAsync(job.Id, seed, cancellationToken));
        }
        finally
        {
            _submitting.Remove(job.Id);
        }
    }

    /// <summary>
    /// Submits <see cref="I2VStudioOptions.VariantCount"/> new jobs, each with its own new random seed; returns them in
    /// order. Empty (and nothing submitted) while another submission from this record is in flight.
    /// </summary>
    public async Task<IReadOnlyList<JobRecord>> VariantsAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var made = new List<JobRecord>();
        if (!_submitting.Add(job.Id)) return made;
        try
        {
            var used = new HashSet<long>();
            for (var i = 0; i < options.Value.VariantCount; i++)
            {
                var seed = NewSeedFor(job, used);
                used.Add(seed);
                var record = await GuardAsync(() => tracker.RetryAsync(job.Id, seed, cancellationToken));
                if (record is null) break;
                made.Add(record);
            }
        }
        finally
        {
            _submitting.Remove(job.Id);
        }

        return made;
    }

    /// <summary>Resumes polling a TimedOut or Lost job with a fresh deadline.</summary>
    public Task KeepCheckingAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return GuardAsync(async () =>
        {
            await tracker.KeepCheckingAsync(job.Id, cancellationToken);
            return job;
        });
    }

    /// <summary>Copies the backend's job id to the clipboard and says so.</summary>
    public Task CopyIdAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (string.IsNullOrEmpty(job.JobId)) return Task.CompletedTask;
        return GuardAsync(async () =>
        {
            await browser.CopyTextAsync(job.JobId, cancellationToken);
            snackbar.Add(localizer["action.copied"], Severity.Success);
            return job;
        });
    }

    /// <summary>Asks for confirmation, then stops tracking the job and deletes its record. Returns true when removed.</summary>
    public async Task<bool> RemoveAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var confirmed = await dialogs.ShowMessageBoxAsync(new MessageBoxOptions
        {
            Title = localizer["action.remove"],
            Message = localizer["action.remove_confirm"],
            YesText = localizer["action.remove"],
            CancelText = localizer["action.cancel"],
        });
        if (confirmed != true) return false;
        var removed = await GuardAsync(async () =>
        {
            await tracker.RemoveAsync(job.Id, cancellationToken);
            return job;
        });
        return removed is not null;
    }

    /// <summary>
    /// Downloads the video under a meaningful name through the host's same-origin endpoint. When the record's link is
    /// missing or about to expire it asks the backend first (so a video the backend can no longer link is said at once),
    /// then asks the <see cref="IDownloadLinkProvider"/> for a same-origin link that names the job, never a URL: the host
    /// reads the output URL from the backend's live answer itself, so a record restored from browser storage (which the
    /// user can edit) never decides what the host fetches.
    /// </summary>
    public Task DownloadAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (string.IsNullOrEmpty(job.JobId)) return Task.CompletedTask;
        return GuardAsync(async () =>
        {
            var now = time.GetUtcNow();
            var url = job.OutputUrl;
            var expiresAt = job.OutputUrlExpiresAt;
            if (url is null || expiresAt is null || expiresAt.Value - now < options.Value.OutputUrlRefreshLead)
            {
                url = await tracker.RefreshOutputUrlAsync(job.Id, cancellationToken);
            }
            if (url is null)
            {
                snackbar.Add(localizer["result.link_gone"], Severity.Warning);
                return job;
            }

            var fileName = DownloadFileName(job, time.LocalTimeZone);
            var path = await downloadLinks.CreateLinkAsync(new DownloadLinkRequest(job.JobId, fileName), cancellationToken);
            await browser.DownloadAsync(navigation.ToAbsoluteUri(path).ToString(), fileName, cancellationToken);
            return job;
        });
    }

    /// <summary>
    /// The file name a download is saved under: <c>i2v_2026-11-28_1432_seed42_4steps.mp4</c> (the submission's local
    /// time in <paramref name="zone"/>, the seed and steps).
    /// </summary>
    public static string DownloadFileName(JobRecord job, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(job.CreatedAt, zone);
        var prefix = string.IsNullOrWhiteSpace(job.JobType) ? "video" : job.JobType;
        var stamp = local.ToString("yyyy-MM-dd_HHmm", CultureInfo.InvariantCulture);
        if (job.JobType != I2VParams.JobTypeName || job.Params.ValueKind != System.Text.Json.JsonValueKind.Object)
            return string.Create(CultureInfo.InvariantCulture, $"{prefix}_{stamp}.mp4");
        var p = I2VParams.FromJson(job.Params);
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}_{stamp}_seed{p.Seed}_{p.NumSteps}steps.mp4");
    }

    // A second POST of a request that may have reached the backend may start a second GPU job: the user decides.
    private async Task<bool> ConfirmSubmitAgainAsync(string yesKey)
    {
        var confirmed = await dialogs.ShowMessageBoxAsync(new MessageBoxOptions
        {
            Title = localizer["phase.maybe_submitted"],
            Message = localizer["action.submit_again_confirm"],
            YesText = localizer[yesKey],
            CancelText = localizer["action.cancel"],
        });
        return confirmed == true;
    }

    // A new seed differs from the job's own and from the seeds already used in this batch.
    private long NewSeedFor(JobRecord job, HashSet<long> used)
    {
        var current = job.JobType == I2VParams.JobTypeName ? I2VParams.FromJson(job.Params).Seed : -1;
        for (var attempt = 0; ; attempt++)
        {
            var seed = seeds.NextSeed();
            if ((seed != current && !used.Contains(seed)) || attempt >= 16) return seed;
        }
    }

    private async Task<JobRecord?> GuardAsync(Func<Task<JobRecord>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (JSDisconnectedException)
        {
            return null;
        }
#pragma warning disable CA1031 // A failed action is told to the user; it must not tear down the circuit.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            snackbar.Add(localizer["action.failed", ex.Message], Severity.Error);
            return null;
        }
    }
}
