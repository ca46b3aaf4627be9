extern alias host;

using System.Globalization;
using host::I2VStudio.Host.Hosting;
using host::I2VStudio.Host.Components.Workspace;
using I2VStudio.Workspace;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace I2VStudio.Host.Tests;

/// <summary>Shots and /tools/i2v follow one clip-length limit and say the same words about it.</summary>
public class WorkspaceDurationTests
{
    [Fact]
    public void AddI2VWorkspacePages_StudioMaxDurationSet_WorkspaceTakesTheSameLimit() =>
        Assert.Equal(7.5, WorkspaceOptionsWith("I2VStudio:MaxDurationSeconds", "7.5").MaxDurationSeconds);

    [Fact]
    public void AddI2VWorkspacePages_StudioDefaultDurationSet_NewProjectsStartWithIt() =>
        Assert.Equal(3.5, WorkspaceOptionsWith("I2VStudio:DefaultDurationSeconds", "3.5").DefaultDurationSeconds);

    /// <summary>The workspace options of a host whose configuration has <paramref name="key"/> = <paramref name="value"/>.</summary>
    private static WorkspaceOptions WorkspaceOptionsWith(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [key] = value,
            ["TurboDiffusion:BaseUrl"] = "http://127.0.0.1:9/",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddI2VStudio(configuration);
        services.AddI2VWorkspacePages(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WorkspaceOptions>>().Value;
    }

    [Theory]
    [InlineData("en", "Duration must be from 0.5 to 7.5 seconds, in 0.5 s steps.")]
    [InlineData("zh-CN", "时长须在 0.5 到 7.5 秒之间，以 0.5 秒为步长。")]
    public void Describe_DurationOutOfRange_TheI2VFormsOwnSentence(string culture, string expected)
    {
        var services = new ServiceCollection().AddLogging().AddLocalization();
        services.AddScoped<WorkspaceMessages>();
        using var provider = services.BuildServiceProvider();
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);

        var message = provider.GetRequiredService<WorkspaceMessages>().Describe(new WorkspaceException(WorkspaceError.DurationOutOfRange, 7.5));

        Assert.Equal(expected, message);
    }
}
