using System.Diagnostics;
using System.Security.Cryptography;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>
/// Packs <c>TurboDiffusion.Client</c> and <c>I2VStudio.Components</c> (<c>dotnet pack -c Release</c>) into a fresh
/// temporary folder feed, once for the tests that share it. Each run gets its own version
/// (<c>0.1.0-test-{timestamp}-{random}</c>): NuGet's global cache is reused for everything else, yet the packages under
/// test are always restored from this run's feed, never from an earlier run's copy. Those copies are removed from the
/// cache afterwards.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    public const string ClientId = "TurboDiffusion.Client";
    public const string ComponentsId = "I2VStudio.Components";

    public string Version { get; } =
        $"0.1.0-test-{DateTime.UtcNow:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>The temporary working folder (feed, consumer app).</summary>
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "i2v-packaging", Guid.NewGuid().ToString("N")[..12]);

    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    /// <summary>How long the two packs took.</summary>
    public TimeSpan PackTime { get; private set; }

    public string PackagePath(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");

    public string SymbolsPath(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.snupkg");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        var watch = Stopwatch.StartNew();
        // PackageVersion (not a version suffix): the package gets this run's version while the assemblies are the
        // ones the Release build already made, so an up-to-date tree packs without compiling again. The Components
        // package's dependency on the client takes the same version (the property flows to the project reference).
        foreach (var project in new[] { Repository.ClientProject, Repository.ComponentsProject })
        {
            await DotNetCli.RunAsync(Repository.Root,
                ["pack", project, "-c", "Release", "-o", FeedDirectory, "-p:PackageVersion=" + Version, "-nologo", "-v:q", "-clp:NoSummary"],
                TimeSpan.FromMinutes(4), Xunit.TestContext.Current.CancellationToken);
        }

        PackTime = watch.Elapsed;
        foreach (var id in new[] { ClientId, ComponentsId })
        {
            if (!File.Exists(PackagePath(id)) || !File.Exists(SymbolsPath(id)))
            {
                throw new InvalidOperationException($"dotnet pack did not produce {PackagePath(id)} and its .snupkg; the feed has: " +
                                                    string.Join(", ", Directory.GetFiles(FeedDirectory).Select(Path.GetFileName)));
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        TryDelete(WorkDirectory);
        // This run's packages in NuGet's global cache (every run has its own version, so nothing else is touched).
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { ClientId, ComponentsId })
        {
            TryDelete(Path.Combine(cache, id.ToLowerInvariant(), Version.ToLowerInvariant()));
        }

        return ValueTask.CompletedTask;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans /tmp, and a leftover cache entry is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
