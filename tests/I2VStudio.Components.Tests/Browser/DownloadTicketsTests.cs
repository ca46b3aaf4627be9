using I2VStudio.Components.Browser;
using Microsoft.Extensions.Time.Testing;

namespace I2VStudio.Components.Tests.Browser;

public class DownloadTicketsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 14, 32, 0, TimeSpan.Zero));
    private readonly InMemoryDownloadTickets _tickets;

    public DownloadTicketsTests() => _tickets = new InMemoryDownloadTickets(_time);

    private DownloadTicket Ticket(TimeSpan urlLife) =>
        new("http://127.0.0.1:9000/outputs/x.mp4?sig=1", "i2v_2026-11-28_1432_seed42_4steps.mp4", _time.GetUtcNow() + urlLife);

    [Fact]
    public void Redeem_FreshTicket_ReturnsItsContent()
    {
        var ticket = Ticket(TimeSpan.FromHours(1));
        var id = _tickets.Issue(ticket);

        Assert.Equal(ticket, _tickets.Redeem(id));
    }

    [Fact]
    public void Issue_Twice_GivesDistinct128BitTickets()
    {
        var a = _tickets.Issue(Ticket(TimeSpan.FromHours(1)));
        var b = _tickets.Issue(Ticket(TimeSpan.FromHours(1)));

        Assert.NotEqual(a, b);
        Assert.Equal(32, a.Length);
    }

    [Fact]
    public void Redeem_AfterTenMinutes_ReturnsNull()
    {
        var id = _tickets.Issue(Ticket(TimeSpan.FromHours(1)));

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(_tickets.Redeem(id));
    }

    [Fact]
    public void Redeem_JustBeforeTenMinutes_Works()
    {
        var id = _tickets.Issue(Ticket(TimeSpan.FromHours(1)));

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        Assert.NotNull(_tickets.Redeem(id));
    }

    [Fact]
    public void Redeem_AfterTheUrlExpired_ReturnsNullEvenWithinTenMinutes()
    {
        var id = _tickets.Issue(Ticket(TimeSpan.FromMinutes(2)));

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Null(_tickets.Redeem(id));
    }

    [Fact]
    public void Redeem_MoreThanMaxUses_ReturnsNull()
    {
        var id = _tickets.Issue(Ticket(TimeSpan.FromHours(1)));
        for (var i = 0; i < InMemoryDownloadTickets.MaxUses; i++) Assert.NotNull(_tickets.Redeem(id));

        Assert.Null(_tickets.Redeem(id));
    }

    [Fact]
    public void Redeem_UnknownTicket_ReturnsNull()
    {
        Assert.Null(_tickets.Redeem("00000000000000000000000000000000"));
    }
}
