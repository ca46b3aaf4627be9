using System.Globalization;
using Microsoft.Extensions.Options;

namespace I2VStudio.Components.Browser;

/// <summary>What the Download action needs a link for: a finished job and the name its video is saved under.</summary>
/// <param name="JobId">The backend's job id. No URL: the host reads the job's output URL from the backend itself.</param>
/// <param name="FileName">The name to save as, e.g. <c>i2v_2026-11-28_1432_seed42_4steps.mp4</c>.</param>
public sealed record DownloadLinkRequest(string JobId, string FileName);

/// <summary>
/// Makes the same-origin link the browser downloads a finished video from (the storage origin is another origin, so a
/// plain <c>&lt;a download&gt;</c> of the output URL would open the video instead of saving it under its name). The
/// host serves the link; it never fetches a URL the browser chose.
/// </summary>
/// <remarks>
/// Two implementations, picked by where the studio runs (<see cref="OperatingSystem.IsBrowser"/>):
/// <see cref="TicketDownloadLinks"/> on the server (interactive Server rendering) and <see cref="JobDownloadLinks"/> in
/// the browser (WebAssembly, and Auto once it runs there). Register your own before <c>AddI2VStudio</c> to replace both.
/// </remarks>
public interface IDownloadLinkProvider
{
    /// <summary>A link relative to the app's base URI (e.g. <c>_i2v/download/…</c>) that saves the video as an attachment.</summary>
    ValueTask<string> CreateLinkAsync(DownloadLinkRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Server-side links: a ticket in the host process's <see cref="IDownloadTickets"/> names the job, the link carries only
/// the ticket (<see cref="I2VStudioOptions.DownloadPath"/>, default <c>_i2v/download/{ticket}</c>). The host asks the
/// backend for the job's output URL when the ticket is redeemed: no URL from the browser or from stored state is fetched.
/// </summary>
public sealed class TicketDownloadLinks : IDownloadLinkProvider
{
    private readonly IDownloadTickets _tickets;
    private readonly I2VStudioOptions _options;

    /// <summary>Creates the provider.</summary>
    public TicketDownloadLinks(IDownloadTickets tickets, IOptions<I2VStudioOptions> options)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(options);
        _tickets = tickets;
        _options = options.Value;
    }

    /// <inheritdoc />
    public ValueTask<string> CreateLinkAsync(DownloadLinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.JobId);
        var ticket = _tickets.Issue(new DownloadTicket(request.JobId, request.FileName));
        return ValueTask.FromResult(string.Format(CultureInfo.InvariantCulture, _options.DownloadPath, Uri.EscapeDataString(ticket)));
    }
}

/// <summary>
/// Browser-side links (WebAssembly): a ticket store in the browser means nothing to the host, so the link names the job
/// instead (<see cref="I2VStudioOptions.JobDownloadPath"/>, default <c>_i2v/download/job/{jobId}/{fileName}</c>). The
/// host asks the configured backend for that job's status itself and streams the <c>output_url</c> the backend answers
/// with — still never a URL from the browser. A job id grants nothing new: anyone who has it can already ask the
/// backend (through the same-origin proxy) for the job's output link.
/// </summary>
public sealed class JobDownloadLinks : IDownloadLinkProvider
{
    private readonly I2VStudioOptions _options;

    /// <summary>Creates the provider.</summary>
    public JobDownloadLinks(IOptions<I2VStudioOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <inheritdoc />
    public ValueTask<string> CreateLinkAsync(DownloadLinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.JobId);
        return ValueTask.FromResult(string.Format(CultureInfo.InvariantCulture, _options.JobDownloadPath,
            Uri.EscapeDataString(request.JobId), Uri.EscapeDataString(request.FileName)));
    }
}
