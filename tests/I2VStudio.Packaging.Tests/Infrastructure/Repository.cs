namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>Paths in the repository this test assembly was built from, and where artifacts go.</summary>
internal static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "I2VStudio.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException(
            $"No I2VStudio.sln above {AppContext.BaseDirectory}: these tests pack the packages from the repository's sources.");
    });

    public static string Root => LazyRoot.Value;

    public static string ClientProject => Path.Combine(Root, "src", "TurboDiffusion.Client", "TurboDiffusion.Client.csproj");

    public static string ComponentsProject => Path.Combine(Root, "src", "I2VStudio.Components", "I2VStudio.Components.csproj");

    /// <summary>A file path under <c>test-artifacts/packaging/</c> (git-ignored) for <paramref name="name"/>.</summary>
    public static string ArtifactPath(string name)
    {
        var folder = Path.Combine(Root, "test-artifacts", "packaging");
        Directory.CreateDirectory(folder);
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_'));
        return Path.Combine(folder, safe.Length > 150 ? safe[..150] : safe);
    }
}
