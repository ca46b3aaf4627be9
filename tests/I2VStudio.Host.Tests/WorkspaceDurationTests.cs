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
    public void AddI2VWorkspacePages_StudioMaxDurationSet_WorkspaceTakesTheSameLimit()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["I2VStudio:MaxDurationSeconds"] = "7.5",
            ["TurboDiffusion:BaseUrl"] = "http://127.0.0.1:9/",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddI2VStudio(configuration);
        services.AddI2VWorkspacePages(configuration);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(7.5, provider.GetRequiredService<IOptions<WorkspaceOptions>>().Value.MaxDurationSeconds);
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
