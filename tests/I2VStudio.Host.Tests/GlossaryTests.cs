using System.Text.RegularExpressions;
using System.Xml.Linq;
using I2VStudio.Testing;

namespace I2VStudio.Host.Tests;

/// <summary>
/// docs/GLOSSARY.md (the words added since the design glossary) says what the resx files ship: a row and its resource
/// entry, in English and in zh-CN, are the same text.
/// </summary>
public sealed partial class GlossaryTests
{
    private static readonly string Root = RepositoryPaths.FindRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("No I2VStudio.sln above " + AppContext.BaseDirectory);

    // | key | English | 简体中文 | resource |, the header and its rule excepted.
    [GeneratedRegex(@"^\| (?<key>[A-Za-z_.]+) \| (?<en>[^|]+) \| (?<zh>[^|]+) \| (?<resource>[A-Za-z]+) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    private static List<GlossaryRow> ReadGlossary() =>
        Row().Matches(File.ReadAllText(Path.Combine(Root, "docs", "GLOSSARY.md")).ReplaceLineEndings("\n"))
            .Where(m => m.Groups["key"].Value != "key")
            .Select(m => new GlossaryRow(m.Groups["key"].Value, m.Groups["en"].Value, m.Groups["zh"].Value, m.Groups["resource"].Value))
            .ToList();

    private static Dictionary<string, string> ReadResx(string resource, string suffix)
    {
        var file = Directory.EnumerateFiles(Path.Combine(Root, "src"), resource + suffix, SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "samples"), resource + suffix, SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Single();
        return XDocument.Load(file).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
    }

    [Fact]
    public void Glossary_EveryRow_IsTheShippedResourceText()
    {
        var rows = ReadGlossary();
        // The document lists the wave's words by the dozen: a parse that finds a handful has misread the tables.
        Assert.True(rows.Count >= 40, $"only {rows.Count} glossary rows were read");

        foreach (var group in rows.GroupBy(r => r.Resource))
        {
            var english = ReadResx(group.Key, ".resx");
            var chinese = ReadResx(group.Key, ".zh-CN.resx");
            foreach (var row in group)
            {
                Assert.True(english.ContainsKey(row.Key), $"{row.Key} is not in {group.Key}.resx");
                Assert.Equal(english[row.Key], row.English);
                Assert.Equal(chinese[row.Key], row.Chinese);
            }
        }
    }

    private sealed record GlossaryRow(string Key, string English, string Chinese, string Resource);
}
