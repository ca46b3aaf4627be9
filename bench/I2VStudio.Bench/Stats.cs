namespace I2VStudio.Bench;

/// <summary>Small statistics over samples.</summary>
public static class Stats
{
    /// <summary>The <paramref name="p"/> quantile with linear interpolation between closest ranks (NaN when empty).</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);
}
