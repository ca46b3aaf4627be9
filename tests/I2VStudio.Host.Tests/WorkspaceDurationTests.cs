extern alias host;

using System.Globalization;
using System.Resources;
using host::I2VStudio.Host.Hosting;
using host::I2VStudio.Host.Resources;
using I2VStudio.Components.Resources;
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
    [InlineData("en")]
    [InlineData("zh-CN")]
    public void DurationOutOfRange_Message_SameAsTheI2VForms(string culture)
    {
        var language = CultureInfo.GetCultureInfo(culture);
        var workspace = new ResourceManager("I2VStudio.Host.Resources.WorkspaceStrings", typeof(WorkspaceStrings).Assembly);
        var studio = new ResourceManager("I2VStudio.Components.Resources.StudioStrings", typeof(StudioStrings).Assembly);

        var form = studio.GetString("error.duration_range", language);
        Assert.False(string.IsNullOrEmpty(form));
        Assert.Equal(form, workspace.GetString("ws.error.DurationOutOfRange", language));
    }
}
