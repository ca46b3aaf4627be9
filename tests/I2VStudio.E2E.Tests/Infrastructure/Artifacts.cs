using I2VStudio.Testing;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>Where screenshots and traces go: <c>test-artifacts/e2e/</c> at the repository root (git-ignored).</summary>
internal static class Artifacts
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        // Outside the repository (a copied build output) the artifacts stay beside the binaries.
        var root = RepositoryPaths.FindRoot(AppContext.BaseDirectory) ?? AppContext.BaseDirectory;
        var path = Path.Combine(root, "test-artifacts", "e2e");
        Directory.CreateDirectory(path);
        return path;
    });

    public static string Root => LazyRoot.Value;

    /// <summary>A file path for <paramref name="testName"/> with <paramref name="suffix"/>, safe as a file name.</summary>
    public static string PathFor(string testName, string suffix) => Path.Combine(Root, RepositoryPaths.SafeFileName(testName) + suffix);
}
