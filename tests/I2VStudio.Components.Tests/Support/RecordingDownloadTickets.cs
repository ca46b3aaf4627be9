using I2VStudio.Components.Browser;

namespace I2VStudio.Components.Tests.Support;

/// <summary>Issues predictable tickets and remembers them.</summary>
internal sealed class RecordingDownloadTickets : IDownloadTickets
{
    public List<DownloadTicket> Issued { get; } = [];

    public string Issue(DownloadTicket ticket)
    {
        Issued.Add(ticket);
        return "ticket-" + Issued.Count;
    }

    public DownloadTicket? Redeem(string ticket) => null;
}
