namespace I2VStudio.Components.Tests;

public class SmokeTests : Bunit.BunitContext
{
    [Fact]
    public void Context_Services_AreAvailable() => Assert.NotNull(Services);
}
