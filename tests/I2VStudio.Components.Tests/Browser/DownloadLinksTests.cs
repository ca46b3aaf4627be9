using I2VStudio.Components.Browser;
using I2VStudio.Components.Tests.Support;
using Microsoft.Extensions.Options;

namespace I2VStudio.Components.Tests.Browser;

public class DownloadLinksTests
{
    private static DownloadLinkRequest Request(string jobId = "0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11") =>
        new(jobId, "i2v_2026-11-28_1432_seed42_4steps.mp4");

    [Fact]
    public async Task TicketLinks_Create_IssuesTicketForTheJobAndLinksOnlyTheTicket()
    {
        var tickets = new RecordingDownloadTickets();
        var links = new TicketDownloadLinks(tickets, Options.Create(new I2VStudioOptions()));

        var link = await links.CreateLinkAsync(Request(), Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("_i2v/download/ticket-1", link);
        var issued = Assert.Single(tickets.Issued);
        Assert.Equal(new DownloadTicket("0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11", "i2v_2026-11-28_1432_seed42_4steps.mp4"), issued);
    }

    [Fact]
    public async Task JobLinks_Create_NamesJobAndFile()
    {
        var links = new JobDownloadLinks(Options.Create(new I2VStudioOptions()));

        var link = await links.CreateLinkAsync(Request(), Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("_i2v/download/job/0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11/i2v_2026-11-28_1432_seed42_4steps.mp4", link);
    }

    [Fact]
    public async Task JobLinks_OddJobId_Escaped()
    {
        var links = new JobDownloadLinks(Options.Create(new I2VStudioOptions()));

        var link = await links.CreateLinkAsync(Request("../health?x"), Xunit.TestContext.Current.CancellationToken);

        Assert.StartsWith("_i2v/download/job/..%2Fhealth%3Fx/", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobLinks_CustomPath_Used()
    {
        var links = new JobDownloadLinks(Options.Create(new I2VStudioOptions { JobDownloadPath = "media/{0}/as/{1}" }));

        var link = await links.CreateLinkAsync(Request("abc"), Xunit.TestContext.Current.CancellationToken);

        Assert.Equal("media/abc/as/i2v_2026-11-28_1432_seed42_4steps.mp4", link);
    }
}
