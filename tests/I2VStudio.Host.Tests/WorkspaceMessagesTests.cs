extern alias host;

using System.Globalization;
using host::I2VStudio.Host.Components.Workspace;
using Microsoft.Extensions.DependencyInjection;

namespace I2VStudio.Host.Tests;

/// <summary>Counts in the workspace's words: English says "1 shot" and "2 shots", Chinese says both alike.</summary>
public sealed class WorkspaceMessagesTests
{
    [Theory]
    [InlineData("en", "shot", 1, "1 shot")]
    [InlineData("en", "shot", 0, "0 shots")]
    [InlineData("en", "scene", 2, "2 scenes")]
    [InlineData("en", "chapter", 1, "1 chapter")]
    [InlineData("zh-CN", "shot", 1, "1 个镜头")]
    [InlineData("zh-CN", "scene", 3, "3 个场景")]
    [InlineData("zh-CN", "chapter", 2, "2 章")]
    public void Count_NounAndNumber_TheLanguagesOwnForm(string culture, string noun, int count, string expected)
    {
        var services = new ServiceCollection().AddLogging().AddLocalization();
        services.AddScoped<WorkspaceMessages>();
        using var provider = services.BuildServiceProvider();
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);

        Assert.Equal(expected, provider.GetRequiredService<WorkspaceMessages>().Count(noun, count));
    }
}
