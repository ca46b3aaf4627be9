using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using I2VStudio.Components.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace I2VStudio.Components.Tests.Localization;

public partial class StudioStringsTests
{
    private static readonly ResourceManager Resources = new("I2VStudio.Components.Resources.StudioStrings", typeof(StudioStrings).Assembly);

    private static Dictionary<string, string> Read(string culture)
    {
        var set = Resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException("no resources for " + culture);
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static string SourceRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "I2VStudio.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "src", "I2VStudio.Components");
    }

    [GeneratedRegex("""L\["([a-zA-Z_.]+)"[\],]""")]
    private static partial Regex KeyUse();

    [Fact]
    public void Resources_EnglishAndChinese_SameKeysEveryValueFilled()
    {
        var english = Read(CultureInfo.InvariantCulture.Name);
        var chinese = Read("zh-CN");

        Assert.Equal(english.Keys.Order(), chinese.Keys.Order());
        Assert.All(english.Concat(chinese), e => Assert.False(string.IsNullOrWhiteSpace(e.Value), e.Key));
    }

    [Fact]
    public void Resources_Chinese_TranslatedNotCopied()
    {
        var english = Read(CultureInfo.InvariantCulture.Name);
        var chinese = Read("zh-CN");
        string[] same = ["generate.shortcut", "duration.seconds"];

        var untranslated = english.Where(e => !same.Contains(e.Key) && chinese[e.Key] == e.Value && e.Value.Any(char.IsLetter)).Select(e => e.Key);

        Assert.Empty(untranslated);
    }

    [Fact]
    public void Resources_Placeholders_SameInBothLanguages()
    {
        var english = Read(CultureInfo.InvariantCulture.Name);
        var chinese = Read("zh-CN");

        Assert.All(english, e => Assert.Equal(
            Regex.Matches(e.Value, @"\{\d\}").Select(m => m.Value).Order(),
            Regex.Matches(chinese[e.Key], @"\{\d\}").Select(m => m.Value).Order()));
    }

    [Fact]
    public void Components_EveryKeyTheyUse_Exists()
    {
        var english = Read(CultureInfo.InvariantCulture.Name);
        var mine = new[] { "InputPanel", "ParamsPanel", "JobCard", "JobPanel", "ResultPanel", "Page", "Services", "Providers" };
        var used = mine.SelectMany(d => Directory.EnumerateFiles(Path.Combine(SourceRoot(), d), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.NotEmpty(used);
        Assert.All(used, key => Assert.True(english.ContainsKey(key), "missing key " + key));
    }

    [Fact]
    public void Glossary_KeyWords_MatchTheDesignGlossary()
    {
        var english = Read(CultureInfo.InvariantCulture.Name);
        var chinese = Read("zh-CN");

        Assert.Equal("I2V Studio", english["app"]);
        Assert.Equal("图生视频工作台", chinese["app"]);
        Assert.Equal("等待超时，任务可能仍在后台运行", chinese["phase.timed_out"]);
        Assert.Equal("从列表中移除该任务？服务器上的视频不会被删除。", chinese["action.remove_confirm"]);
        Assert.Equal("种子必须是 0 到 2147483647 之间的整数。", chinese["error.seed_range"]);
    }

    [Fact]
    public void Localizer_DefaultAddLocalization_ReadsChineseForZhCn()
    {
        using var provider = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var localizer = provider.GetRequiredService<IStringLocalizer<StudioStrings>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            Assert.Equal("生成视频", localizer["generate"].Value);
            Assert.Equal("预计还需 2 分", localizer["eta", "2 分"].Value);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            Assert.Equal("Generate video", localizer["generate"].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
