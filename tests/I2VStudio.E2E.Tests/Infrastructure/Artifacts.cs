namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>Where screenshots and traces go: <c>test-artifacts/e2e/</c> at the repository root (git-ignored).</summary>
internal static class Artifacts
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "I2VStudio.sln")))
        {
            dir = dir.Parent;
        }

        // Outside the repository (a copied build output) the artifacts stay beside the binaries.
        var root = dir?.FullName ?? AppContext.BaseDirectory;
        var path = Path.Combine(root, "test-artifacts", "e2e");
        Directory.CreateDirectory(path);
        return path;
    });

    public static string Root => LazyRoot.Value;

    /// <summary>A file path for <paramref name="testName"/> with <paramref name="suffix"/>, safe as a file name.</summary>
    public static string PathFor(string testName, string suffix)
    {
        var safe = string.Concat(testName.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_'));
        if (safe.Length > 150)
        {
            safe = safe[..150];
        }

        return Path.Combine(Root, safe + suffix);
    }
}
