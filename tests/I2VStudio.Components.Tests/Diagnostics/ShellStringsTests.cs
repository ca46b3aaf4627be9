using System.Collections;
using System.Globalization;
using System.Resources;
using I2VStudio.Components.Resources;

namespace I2VStudio.Components.Tests.Diagnostics;

public class ShellStringsTests
{
    private static readonly ResourceManager Resources = new("I2VStudio.Components.Resources.ShellStrings", typeof(ShellStrings).Assembly);

    private static Dictionary<string, string> Read(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    [Fact]
    public void ChineseResources_EveryEnglishKey_IsTranslated()
    {
        var english = Read(CultureInfo.InvariantCulture);
        var chinese = Read(CultureInfo.GetCultureInfo("zh-CN"));

        Assert.NotEmpty(english);
        Assert.Equal(english.Keys.Order(), chinese.Keys.Order());
        Assert.All(chinese, pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), pair.Key));
    }

    [Fact]
    public void ChineseResources_GlossaryTerms_MatchTheGlossary()
    {
        var chinese = Read(CultureInfo.GetCultureInfo("zh-CN"));

        Assert.Equal("视频已生成", chinese["notify.done"]);
        Assert.Equal("有任务失败", chinese["notify.failed"]);
        Assert.Equal("浏览器存储已满，已清理较早的缩略图。", chinese["storage.full"]);
        Assert.Equal("诊断", chinese["nav.diagnostics"]);
    }

    [Fact]
    public void EnglishResources_LinesOfTheirOwn_StartWithACapital()
    {
        // Value words shown inside a chip or after a label stay lower case; everything else starts a line.
        string[] valueWords = ["diag.capability_available", "diag.capability_unavailable"];

        var lowerCase = Read(CultureInfo.InvariantCulture)
            .Where(pair => !valueWords.Contains(pair.Key) && pair.Value.Length > 0 && char.IsLower(pair.Value[0]))
            .Select(pair => pair.Key);

        Assert.Empty(lowerCase);
    }
}
