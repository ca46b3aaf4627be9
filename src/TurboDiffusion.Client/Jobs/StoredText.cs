using System.Globalization;

namespace TurboDiffusion.Client.Jobs;

/// <summary>
/// Caps text a job record keeps from the backend (error messages, raw results): a worker's traceback or a proxy's
/// HTML page can run to megabytes, and browser storage holds about 5 MB for every job together.
/// </summary>
internal static class StoredText
{
    /// <summary>About the most characters one such text keeps (8 K): the head and the tail, where tracebacks say what happened.</summary>
    public const int MaxChars = 8 * 1024;

    /// <summary>
    /// <paramref name="text"/> when it fits in <paramref name="maxChars"/>; otherwise its head and tail with a line in
    /// between that says how much was cut.
    /// </summary>
    public static string? Cap(string? text, int maxChars = MaxChars)
    {
        if (text is null || text.Length <= maxChars) return text;
        var cut = text.Length - maxChars;
        var marker = string.Create(CultureInfo.InvariantCulture, $"\n[… {cut:N0} characters cut …]\n");
        var head = (maxChars - marker.Length) / 2;
        var tail = maxChars - marker.Length - head;
        // The marker names the true number of characters missing between head and tail.
        marker = string.Create(CultureInfo.InvariantCulture, $"\n[… {text.Length - head - tail:N0} characters cut …]\n");
        return string.Concat(text.AsSpan(0, head), marker, text.AsSpan(text.Length - tail));
    }
}
