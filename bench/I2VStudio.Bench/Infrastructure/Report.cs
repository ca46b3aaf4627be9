using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>One figure of the table: ours beside its baseline (when there is one), their ratio, and the target.</summary>
public sealed record Figure
{
    public required string Scenario { get; init; }

    public required string Metric { get; init; }

    /// <summary>Our value.</summary>
    public double? Ours { get; init; }

    /// <summary>What it is compared with, in the same run.</summary>
    public string? BaselineName { get; init; }

    public double? Baseline { get; init; }

    public required string Unit { get; init; }

    /// <summary>Ours ÷ baseline.</summary>
    public double? Ratio => Ours is { } o && Baseline is { } b && b != 0 ? o / b : null;

    /// <summary>The target in words, e.g. "≤ 0.6× spec-naive".</summary>
    public string? Target { get; init; }

    /// <summary>True/false when the target applies, null otherwise.</summary>
    public bool? Met { get; init; }

    public string? Note { get; init; }
}

/// <summary>Collects figures and facts and writes <c>latest.md</c> and <c>latest.json</c>.</summary>
public sealed class Report
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly List<Figure> _figures = [];
    private readonly List<(string Scenario, string Text)> _notes = [];
    private readonly Dictionary<string, object?> _details = new(StringComparer.Ordinal);

    public required MachineInfo Machine { get; init; }

    public string Command { get; init; } = "./bench.sh";

    public IReadOnlyList<Figure> Figures => _figures;

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        Console.WriteLine("  " + Line(figure));
    }

    public void Note(string scenario, string text)
    {
        _notes.Add((scenario, text));
        Console.WriteLine("  note: " + text);
    }

    /// <summary>Raw data of a scenario, kept in the JSON only.</summary>
    public void Detail(string key, object? value) => _details[key] = value;

    public static string Format(double? value, string unit)
    {
        if (value is not { } v || !double.IsFinite(v)) return "–";
        var digits = Math.Abs(v) >= 100 ? "0" : Math.Abs(v) >= 10 ? "0.0" : "0.00";
        return v.ToString(digits, CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : "");
    }

    private static string Line(Figure f)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"[{f.Scenario}] {f.Metric}: {Format(f.Ours, f.Unit)}");
        if (f.Baseline is not null) sb.Append(CultureInfo.InvariantCulture, $" vs {f.BaselineName} {Format(f.Baseline, f.Unit)} → ratio {Format(f.Ratio, "×")}");
        if (f.Target is not null) sb.Append(CultureInfo.InvariantCulture, $"  target {f.Target}: {(f.Met switch { true => "met", false => "NOT met", _ => "n/a" })}");
        if (f.Note is not null) sb.Append(" (").Append(f.Note).Append(')');
        return sb.ToString();
    }

    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), Markdown(), cancellationToken);
        var json = new
        {
            generatedAt = DateTimeOffset.UtcNow,
            command = Command,
            machine = Machine,
            figures = _figures.Select(f => new
            {
                f.Scenario, f.Metric, f.Ours, f.BaselineName, f.Baseline, f.Ratio, f.Unit, f.Target, f.Met, f.Note,
            }),
            notes = _notes.Select(n => new { scenario = n.Scenario, text = n.Text }),
            details = _details,
        };
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.json"), JsonSerializer.Serialize(json, Json), cancellationToken);
    }

    public string Markdown()
    {
        var sb = new StringBuilder();
        var m = Machine;
        sb.AppendLine("# I2V Studio benchmark — latest run").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Produced by `{Command}` on {m.StartedAt:yyyy-MM-dd HH:mm} UTC, {m.Elapsed.TotalMinutes:0.0} min.").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {m.Cores} cores ({m.CpuModel}), {m.MemoryGiB:0.0} GiB RAM, {m.Os}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1 min) at start / end: {m.LoadAtStart} / {m.LoadAtEnd}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- .NET {m.Runtime} (SDK {m.Sdk}), {m.Chromium}, {m.Ffmpeg}");
        sb.AppendLine().AppendLine("Ratios compare ours with the baseline measured in the same run; absolute values are for context only (a shared 2-core machine is noisy).").AppendLine();
        sb.AppendLine("| # | metric | ours | baseline | ratio | target | met |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var f in _figures)
        {
            var baseline = f.Baseline is null ? "" : $"{f.BaselineName}: {Format(f.Baseline, f.Unit)}";
            var met = f.Met switch { true => "yes", false => "**no**", _ => "" };
            var metric = f.Note is null ? f.Metric : $"{f.Metric} <sub>{f.Note}</sub>";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {f.Scenario} | {metric} | {Format(f.Ours, f.Unit)} | {baseline} | {Format(f.Ratio, "×")} | {f.Target ?? ""} | {met} |");
        }

        if (_notes.Count > 0)
        {
            sb.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var (scenario, text) in _notes) sb.AppendLine(CultureInfo.InvariantCulture, $"- **{scenario}** {text}");
        }

        return sb.ToString();
    }
}
