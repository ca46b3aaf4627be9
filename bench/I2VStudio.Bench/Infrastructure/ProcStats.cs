using System.Globalization;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>Memory and CPU of a process from <c>/proc</c> (Linux).</summary>
public static class ProcStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>Resident set size in bytes (VmRSS).</summary>
    public static long Rss(int pid) => StatusKiB(pid, "VmRSS:") * 1024;

    /// <summary>Peak resident set size in bytes since start or the last <see cref="ResetPeak"/> (VmHWM).</summary>
    public static long PeakRss(int pid) => StatusKiB(pid, "VmHWM:") * 1024;

    /// <summary>Resets VmHWM to the current RSS (writes 5 to clear_refs); false when not permitted.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>User + system CPU time of the process (all threads).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which is in parentheses and may contain spaces).
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }

    /// <summary>Sum of CPU time over a process and all its descendants (Chromium's renderer processes).</summary>
    public static TimeSpan TreeCpuTime(int pid)
    {
        var total = TimeSpan.Zero;
        foreach (var p in Descendants(pid).Prepend(pid))
        {
            try
            {
                total += CpuTime(p);
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return total;
    }

    public static IEnumerable<int> Descendants(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var p)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(rest[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(p);
            }
            catch (IOException)
            {
            }
        }

        var stack = new Stack<int>([pid]);
        while (stack.Count > 0)
        {
            if (!children.TryGetValue(stack.Pop(), out var kids)) continue;
            foreach (var kid in kids)
            {
                yield return kid;
                stack.Push(kid);
            }
        }
    }

    private static long StatusKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return 0;
    }
}
