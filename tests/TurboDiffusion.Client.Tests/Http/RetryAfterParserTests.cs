using System.Globalization;
using TurboDiffusion.Client.Http;

namespace TurboDiffusion.Client.Tests.Http;

public sealed class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 14, 32, 0, TimeSpan.Zero);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    private static TimeSpan? FromHeader(string? value)
    {
        using var response = new HttpResponseMessage();
        if (value is not null) response.Headers.TryAddWithoutValidation("Retry-After", value);
        return RetryAfterParser.Parse(response.Headers, Now, Max);
    }

    [Fact]
    public void Parse_DeltaSeconds_IsThatWait()
    {
        Assert.Equal(TimeSpan.FromSeconds(20), FromHeader("20"));
    }

    [Fact]
    public void Parse_Zero_IsNoWait()
    {
        Assert.Equal(TimeSpan.Zero, FromHeader("0"));
    }

    [Fact]
    public void Parse_HttpDate_IsTheTimeUntilThen()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), FromHeader(Now.AddSeconds(90).ToString("r", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Parse_Rfc850Date_IsTheTimeUntilThen()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), FromHeader("Saturday, 28-Nov-26 14:32:30 GMT"));
    }

    [Fact]
    public void Parse_HttpDateInThePast_IsNoWait()
    {
        Assert.Equal(TimeSpan.Zero, FromHeader("Sat, 28 Nov 2026 14:00:00 GMT"));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1.5")]
    [InlineData("20s")]
    [InlineData("+20")]
    public void Parse_Nonsense_IsNull(string value)
    {
        Assert.Null(FromHeader(value));
    }

    [Fact]
    public void Parse_NoHeader_IsNull()
    {
        Assert.Null(FromHeader(null));
    }

    [Theory]
    [InlineData("86400")]
    [InlineData("99999999999999999999999999999999999")]
    public void Parse_HugeDelta_IsClampedToMax(string value)
    {
        Assert.Equal(Max, FromHeader(value));
    }

    [Fact]
    public void Parse_FarHttpDate_IsClampedToMax()
    {
        Assert.Equal(Max, FromHeader(Now.AddDays(2).ToString("r", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Parse_PaddedValue_IsTrimmed()
    {
        Assert.Equal(TimeSpan.FromSeconds(20), RetryAfterParser.Parse("  20 ", Now, Max));
    }

    [Fact]
    public void Parse_NullHeaders_IsNull()
    {
        Assert.Null(RetryAfterParser.Parse((System.Net.Http.Headers.HttpResponseHeaders?)null, Now, Max));
    }
}
