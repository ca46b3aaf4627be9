namespace I2VStudio.Testing;

/// <summary>Finding the repository a build came from, and file names safe for test-artifacts/. Shared as source.</summary>
internal static class RepositoryPaths
{
    /// <summary>The nearest folder at or above <paramref name="start"/> that holds <c>I2VStudio.sln</c>; null when there is none.</summary>
    public static string? FindRoot(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "I2VStudio.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName;
    }

    /// <summary><paramref name="name"/> with every character but letters, digits, <c>_ - .</c> made <c>_</c>, cut to 150 characters.</summary>
    public static string SafeFileName(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_'));
        return safe.Length > 150 ? safe[..150] : safe;
    }
}
