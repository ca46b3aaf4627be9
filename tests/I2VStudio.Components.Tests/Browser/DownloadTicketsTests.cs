using I2VStudio.Components.Browser;
using Microsoft.Extensions.Time.Testing;

namespace I2VStudio.Components.Tests.Browser;

public class DownloadTicketsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 14, 32, 0, TimeSpan.Zero));
    private readonly InMemoryDownloadTickets _tickets;

    public DownloadTicketsTests() => _tickets = new InMemoryDownloadTickets(_time);

    private static DownloadTicket Ticket() => new("0b5c3e0e-8d7e-4a8e-9a43-1f0c2f4b7a11", "i2v_2026-11-28_1432_seed42_4steps.mp4");

    [Fact]
    public void Redeem_FreshTicket_ReturnsItsContent()
    {
        var ticket = Ticket();
        var id = _tickets.Issue(ticket);

        Assert.Equal(ticket, _tickets.Redeem(id));
    }

    [Fact]
    public void Issue_Twice_GivesDistinct128BitTickets()
    {
        var a = _tickets.Issue(Ticket());
        var b = _tickets.Issue(Ticket());

        Assert.NotEqual(a, b);
        Assert.Equal(32, a.Length);
    }

    [Fact]
    public void Redeem_AfterTenMinutes_ReturnsNull()
    {
        var id = _tickets.Issue(Ticket());

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(_tickets.Redeem(id));
    }

    [Fact]
    public void Redeem_JustBeforeTenMinutes_Works()
    {
        var id = _tickets.Issue(Ticket());

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        Assert.NotNull(_tickets.Redeem(id));
    }

    [Fact]
    public void Redeem_MoreThanMaxUses_ReturnsNull()
    {
        var id = _tickets.Issue(Ticket());
        for (var i = 0; i < InMemoryDownloadTickets.MaxUses; i++) Assert.NotNull(_tickets.Redeem(id));

        Assert.Null(_tickets.Redeem(id));
    }

    [Fact]
    public void Redeem_UnknownTicket_ReturnsNull()
    {
        Assert.Null(_tickets.Redeem("00000000000000000000000000000000"));
    }
}
