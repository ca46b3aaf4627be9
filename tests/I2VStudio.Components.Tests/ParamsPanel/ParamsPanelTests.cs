using Bunit;
using I2VStudio.Components.Tests.Support;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.ParamsPanel;

public class ParamsPanelTests : StudioTestContext
{
    private const string SeedRange = "The seed must be a whole number from 0 to 2147483647.";

    private IRenderedComponent<I2VStudio.Components.ParamsPanel> RenderPanel(string seed = "0", IReadOnlyList<FieldProblem>? problems = null) =>
        Render<I2VStudio.Components.ParamsPanel>(p => p
            .Add(c => c.SeedText, seed)
            .Add(c => c.ServerProblems, problems));

    private static string SeedFieldText(IRenderedComponent<I2VStudio.Components.ParamsPanel> cut) => cut.Find("[data-param=seed]").TextContent;

    [Fact]
    public void Defaults_Rendered_FourStepsSeedZeroQuantizedOn()
    {
        var cut = Render<I2VStudio.Components.ParamsPanel>();

        Assert.Equal("0", cut.Find("input[data-field=seed]").GetAttribute("value"));
        Assert.Equal("4", cut.Find("[data-param=num_steps] input").GetAttribute("value"));
        Assert.True(cut.Find("input[data-field=quantized]").HasAttribute("checked"));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("   ")]
    public void Seed_Invalid_RefusedWithMessageAndRawTextKept(string seed)
    {
        var cut = RenderPanel(seed);

        Assert.Contains(SeedRange, SeedFieldText(cut), StringComparison.Ordinal);
        Assert.Equal(seed, cut.Find("input[data-field=seed]").GetAttribute("value") ?? "");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("42")]
    [InlineData(" 7 ")]
    [InlineData("2147483647")]
    public void Seed_WholeNumberInRange_Accepted(string seed)
    {
        var cut = RenderPanel(seed);

        Assert.DoesNotContain(SeedRange, SeedFieldText(cut), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Seed_EmptyWhereEmptyMeansRandom_AcceptedAndHelpSaysRandom(string seed)
    {
        var cut = Render<I2VStudio.Components.ParamsPanel>(p => p.Add(c => c.SeedText, seed).Add(c => c.AllowEmptySeed, true));

        Assert.DoesNotContain(SeedRange, SeedFieldText(cut), StringComparison.Ordinal);
        Assert.Contains("Empty: a new random seed for each take.", SeedFieldText(cut), StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_InvalidWhereEmptyMeansRandom_StillRefused()
    {
        var cut = Render<I2VStudio.Components.ParamsPanel>(p => p.Add(c => c.SeedText, "-1").Add(c => c.AllowEmptySeed, true));

        Assert.Contains(SeedRange, SeedFieldText(cut), StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_Typed_RaisesTheRawText()
    {
        string? raised = null;
        var cut = Render<I2VStudio.Components.ParamsPanel>(p => p.Add(c => c.SeedTextChanged, s => raised = s));

        cut.Find("input[data-field=seed]").Input("-5");

        Assert.Equal("-5", raised);
    }

    [Fact]
    public void Random_Clicked_RaisesTheGeneratorsSeed()
    {
        string? raised = null;
        var cut = Render<I2VStudio.Components.ParamsPanel>(p => p.Add(c => c.SeedTextChanged, s => raised = s));

        cut.Find("[data-action=random-seed]").Click();

        Assert.Equal("1001", raised);
    }

    [Fact]
    public void Quantized_Flipped_RaisesTheNewValue()
    {
        bool? raised = null;
        var cut = Render<I2VStudio.Components.ParamsPanel>(p => p.Add(c => c.QuantizedChanged, v => raised = v));

        cut.Find("input[data-field=quantized]").Change(false);

        Assert.False(raised);
    }

    [Fact]
    public void ServerProblems_ForSeedAndSteps_ShownOnThoseFields()
    {
        var cut = RenderPanel(problems: TestJobs.Problems(
            ("seed", "Input should be a valid integer, unable to parse string as an integer"),
            ("num_steps", "Input should be less than or equal to 4"),
            ("prompt", "Field required")));

        Assert.Contains("Server: Input should be a valid integer, unable to parse string as an integer", SeedFieldText(cut), StringComparison.Ordinal);
        Assert.Contains("Server: Input should be less than or equal to 4", cut.Find("[data-param=num_steps]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Field required", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerProblem_ForQuantized_ShownUnderTheSwitch()
    {
        var cut = RenderPanel(problems: TestJobs.Problems(("quantized", "Input should be a valid boolean")));

        Assert.Contains("Server: Input should be a valid boolean", cut.Find(".switch-help").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EnhanceRefused_PageListensForTheWayOut_OfferedBesideTheError()
    {
        var raised = 0;
        var cut = Render<I2VStudio.Components.ParamsPanel>(p => p
            .Add(c => c.ShowEnhancePrompt, true)
            .Add(c => c.ServerProblems, TestJobs.Problems(("enhance_prompt", "LLM prompt enhancement unavailable")))
            .Add(c => c.OnSubmitWithoutEnhancement, () => raised++));

        cut.Find("[data-param=enhance_prompt] [data-action=submit-without-enhancement]").Click();

        Assert.Equal(1, raised);
    }

    [Fact]
    public void EnhanceRefused_PageOffersTheWayOutElsewhere_ErrorShownWithoutAButton()
    {
        var cut = Render<I2VStudio.Components.ParamsPanel>(p => p
            .Add(c => c.ShowEnhancePrompt, true)
            .Add(c => c.ServerProblems, TestJobs.Problems(("enhance_prompt", "LLM prompt enhancement unavailable"))));

        Assert.Contains("LLM prompt enhancement unavailable", cut.Find("[data-part=enhance-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-action=submit-without-enhancement]"));
    }

    [Fact]
    public void Help_EachParameter_HasShortHelp()
    {
        var cut = Render<I2VStudio.Components.ParamsPanel>();

        Assert.Contains("More steps look better and take longer.", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("The same image, prompt and seed give the same video.", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Uses less GPU memory", cut.Markup, StringComparison.Ordinal);
    }
}
