using I2VStudio.Testing;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>Paths in the repository this test assembly was built from, and where artifacts go.</summary>
internal static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(() => RepositoryPaths.FindRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException(
        $"No I2VStudio.sln above {AppContext.BaseDirectory}: these tests pack the packages from the repository's sources."));

    public static string Root => LazyRoot.Value;

    public static string ClientProject => Path.Combine(Root, "src", "TurboDiffusion.Client", "TurboDiffusion.Client.csproj");

    public static string ComponentsProject => Path.Combine(Root, "src", "I2VStudio.Components", "I2VStudio.Components.csproj");

    /// <summary>A file path under <c>test-artifacts/packaging/</c> (git-ignored) for <paramref name="name"/>.</summary>
    public static string ArtifactPath(string name)
    {
        var folder = Path.Combine(Root, "test-artifacts", "packaging");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, RepositoryPaths.SafeFileName(name));
    }
}
