using System.IO.Compression;
using System.Xml.Linq;
using I2VStudio.Packaging.Tests.Infrastructure;

namespace I2VStudio.Packaging.Tests;

[CollectionDefinition(Name)]
public sealed class PackedFeed : ICollectionFixture<PackageFeed>
{
    public const string Name = "Packed feed";
}

/// <summary>What <c>dotnet pack -c Release</c> puts into the two packages.</summary>
[Collection(PackedFeed.Name)]
public sealed class PackagesTests(PackageFeed feed)
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    [Theory]
    [InlineData(PackageFeed.ClientId)]
    [InlineData(PackageFeed.ComponentsId)]
    public void Package_Packed_HasRealMetadata(string id)
    {
        var metadata = ReadNuspec(id).Root!.Element(Nuspec + "metadata")!;

        Assert.Equal(id, metadata.Element(Nuspec + "id")!.Value);
        Assert.Equal(feed.Version, metadata.Element(Nuspec + "version")!.Value);
        Assert.Equal("I2V Studio contributors", metadata.Element(Nuspec + "authors")!.Value);
        Assert.Equal("MIT", metadata.Element(Nuspec + "license")!.Value);
        Assert.Equal("expression", metadata.Element(Nuspec + "license")!.Attribute("type")!.Value);
        Assert.Equal("README.md", metadata.Element(Nuspec + "readme")!.Value);
        Assert.True(metadata.Element(Nuspec + "description")!.Value.Length > 40);
        Assert.Contains("i2v", metadata.Element(Nuspec + "tags")!.Value.Split(' '));
        var repository = metadata.Element(Nuspec + "repository")!;
        Assert.Equal("git", repository.Attribute("type")!.Value);
        Assert.Equal("https://github.com/i2v-studio/i2v-studio", repository.Attribute("url")!.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")!.Value);
    }

    [Theory]
    [InlineData(PackageFeed.ClientId)]
    [InlineData(PackageFeed.ComponentsId)]
    public void Package_Packed_CarriesReadmeAssemblyAndXmlDocs(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var names = package.Entries.Select(e => e.FullName).ToList();

        Assert.Contains("README.md", names);
        Assert.Contains($"lib/net10.0/{id}.dll", names);
        Assert.Contains($"lib/net10.0/{id}.xml", names);
        using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
        Assert.StartsWith("# " + id, readme.ReadToEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PackageFeed.ClientId)]
    [InlineData(PackageFeed.ComponentsId)]
    public void Symbols_Packed_PortablePdbWithSourcesEmbedded(string id)
    {
        using var symbols = ZipFile.OpenRead(feed.SymbolsPath(id));
        var pdb = symbols.GetEntry($"lib/net10.0/{id}.pdb");

        Assert.NotNull(pdb);
        using var stream = pdb.Open();
        var magic = new byte[4];
        stream.ReadExactly(magic);
        Assert.Equal("BSJB"u8.ToArray(), magic); // portable PDB (metadata signature)
        // Embedded sources make the symbols much larger than a bare PDB of this assembly would be.
        Assert.True(pdb.Length > 100_000, $"{id}.pdb is {pdb.Length} bytes: are the sources embedded?");
    }

    [Fact]
    public void Components_Packed_CarriesJsModulesScopedCssAndInitializer()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(PackageFeed.ComponentsId));
        var names = package.Entries.Select(e => e.FullName).ToList();

        foreach (var module in new[] { "js/blobs.js", "js/browserActions.js", "js/imageIntake.js", "js/imaging.js", "js/storage.js", "ResultPanel/ResultPanel.razor.js" })
        {
            Assert.Contains("staticwebassets/" + module, names);
        }

        // The scoped CSS bundle and the JS initializer are packed under fingerprinted names.
        Assert.Contains(names, n => n.StartsWith("staticwebassets/I2VStudio.Components.", StringComparison.Ordinal) && n.EndsWith(".bundle.scp.css", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("staticwebassets/I2VStudio.Components.", StringComparison.Ordinal) && n.EndsWith(".lib.module.js", StringComparison.Ordinal));
        Assert.Contains("build/Microsoft.AspNetCore.StaticWebAssets.props", names);
        Assert.Contains("lib/net10.0/zh-CN/I2VStudio.Components.resources.dll", names);
    }

    [Fact]
    public void Components_Packed_DependsOnTheSameClientVersionAndNoServerFramework()
    {
        var nuspec = ReadNuspec(PackageFeed.ComponentsId);
        var dependencies = nuspec.Descendants(Nuspec + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);

        Assert.Equal(feed.Version, dependencies[PackageFeed.ClientId]);
        Assert.Contains("MudBlazor", dependencies.Keys);
        // Runs in the browser too: no ASP.NET Core server framework reference.
        Assert.Empty(nuspec.Descendants(Nuspec + "frameworkReference"));
    }

    private XDocument ReadNuspec(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        using var stream = package.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(stream);
    }
}
