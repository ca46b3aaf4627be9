namespace TurboDiffusion.Emulator.Tests;

public class SmokeTests
{
    [Fact]
    public void Program_Type_IsPublic() => Assert.True(typeof(Program).IsPublic);
}
