using System.Collections.Concurrent;
using Microsoft.Extensions.FileProviders;

namespace I2VStudio.Host.Hosting;

/// <summary>
/// The text of the web root's stylesheets that the document carries inline (<see cref="Components.Head.InlineStylesheet"/>):
/// read once and kept (in Development read afresh, so an edited sheet shows on the next load).
/// </summary>
internal sealed class InlineStylesheets(IWebHostEnvironment environment)
{
    private readonly ConcurrentDictionary<string, string> _read = new(StringComparer.Ordinal);

    /// <summary>
    /// The stylesheet at <paramref name="path"/> in the web root, or, where only the fingerprinted file exists (the
    /// scoped-CSS bundles of a publish), at <paramref name="fingerprintedPath"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither file exists, or the sheet would end the style element.</exception>
    public string Read(string path, string fingerprintedPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(fingerprintedPath);
        return Kept(path, () => Load(path, fingerprintedPath));
    }

    /// <summary>As <see cref="Read"/>, without the sheet's leading <c>@import</c> rules (<see cref="WithoutImports"/>), kept
    /// as such.</summary>
    public string ReadWithoutImports(string path, string fingerprintedPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Kept(path + " without @import", () => WithoutImports(Read(path, fingerprintedPath)));
    }

    // Made once per key and kept; in Development made afresh every time.
    private string Kept(string key, Func<string> make) => environment.IsDevelopment() ? make() : _read.GetOrAdd(key, _ => make());

    private string Load(string path, string fingerprintedPath)
    {
        var files = environment.WebRootFileProvider;
        var file = new[] { path, fingerprintedPath }.Select(p => files.GetFileInfo(p.TrimStart('/'))).FirstOrDefault(f => f.Exists && !f.IsDirectory)
            ?? throw new InvalidOperationException(
                $"The stylesheet '{path}' (or '{fingerprintedPath}') the page inlines is not in the web root ({environment.WebRootPath}): without it the first paint is unstyled.");
        using var reader = new StreamReader(file.CreateReadStream(), detectEncodingFromByteOrderMarks: true);
        var css = reader.ReadToEnd();
        // Inside <style> the text is raw: "</style" would end the element and turn the rest into markup.
        return css.Contains("</style", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException($"The stylesheet '{path}' contains \"</style\" and cannot be inlined.")
            : css;
    }

    /// <summary>
    /// <paramref name="css"/> without its <c>@import</c> rules, which CSS allows only at the start (after
    /// <c>@charset</c> and <c>@layer</c> statements, which the scoped bundles never have); the rest unchanged.
    /// </summary>
    private static string WithoutImports(string css)
    {
        ArgumentNullException.ThrowIfNull(css);
        var rest = css.AsSpan();
        while (true)
        {
            var line = rest.TrimStart();
            if (!line.StartsWith("@import", StringComparison.OrdinalIgnoreCase)) break;
            var end = line.IndexOf(';');
            if (end < 0) break;
            rest = line[(end + 1)..];
        }

        return rest.Length == css.Length ? css : rest.TrimStart().ToString();
    }
}
