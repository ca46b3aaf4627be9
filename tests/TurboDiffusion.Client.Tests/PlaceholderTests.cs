namespace TurboDiffusion.Client.Tests;

public class PlaceholderTests
{
    [Fact]
    public void Placeholder_Value_IsOne() => Assert.Equal(1, Placeholder.Value);
}
