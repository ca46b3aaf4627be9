namespace I2VStudio.Components.Tests.Services;

public class DurationRuleTests
{
    [Theory]
    [InlineData(0.5, null)]
    [InlineData(5, null)]
    [InlineData(10, null)]
    [InlineData(7.5, null)]
    [InlineData(0, "error.duration_range")]
    [InlineData(-1, "error.duration_range")]
    [InlineData(5.2, "error.duration_range")]
    [InlineData(10.5, "error.duration_range")]
    [InlineData(double.NaN, "error.duration_range")]
    public void DurationProblem_Seconds_HalfSecondStepsUpToTheMax(double seconds, string? expected)
    {
        Assert.Equal(expected, I2VFormRules.DurationProblem(seconds, max: 10));
    }
}
