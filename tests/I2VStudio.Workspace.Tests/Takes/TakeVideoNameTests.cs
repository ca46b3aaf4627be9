using I2VStudio.Workspace.Takes;

namespace I2VStudio.Workspace.Tests.Takes;

public sealed class TakeVideoNameTests
{
    [Theory]
    [InlineData("雨落在青石板上。", 42, "雨落在青石板上。 · seed 42.mp4")]
    [InlineData("  a lantern\n\tsways  in the wind ", 7, "a lantern sways in the wind · seed 7.mp4")]
    [InlineData("rain/dusk\\night: \"quiet\"?", 1, "rain dusk night quiet · seed 1.mp4")]
    [InlineData("", 3, "take · seed 3.mp4")]
    [InlineData(null, 3, "take · seed 3.mp4")]
    public void For_ShotPromptAndSeed_ReadableFileName(string? prompt, int seed, string expected) =>
        Assert.Equal(expected, TakeVideoName.For(prompt, seed));

    [Fact]
    public void For_LongPrompt_CutAtFortyCharactersWithAnEllipsis()
    {
        var name = TakeVideoName.For(new string('雨', 60), 5);

        Assert.Equal(new string('雨', 40) + "… · seed 5.mp4", name);
    }

    [Fact]
    public void For_CutFallsInsideASurrogatePair_NeverHalfACharacter()
    {
        var name = TakeVideoName.For(new string('a', 39) + "🌧🌧", 5);

        Assert.Equal(new string('a', 39) + "… · seed 5.mp4", name);
    }
}
