using System.Globalization;
using Microsoft.Extensions.Localization;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>Small formatting helpers shared by the panels.</summary>
public static class StudioFormat
{
    /// <summary>A file size in B, KB or MB (binary units, as file managers show them).</summary>
    public static string FileSize(long bytes)
    {
        var culture = CultureInfo.CurrentCulture;
        if (bytes < 1024) return string.Format(culture, "{0} B", bytes);
        if (bytes < 1024 * 1024) return string.Format(culture, "{0:0} KB", bytes / 1024.0);
        return string.Format(culture, "{0:0.#} MB", bytes / (1024.0 * 1024.0));
    }

    /// <summary>A duration in words of the current language: "45 s", "2 min 05 s", "1 h 03 min".</summary>
    public static string Duration(TimeSpan value, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        if (value < TimeSpan.Zero) value = TimeSpan.Zero;
        var culture = CultureInfo.CurrentCulture;
        if (value.TotalMinutes < 1)
            return localizer["duration.seconds", ((int)value.TotalSeconds).ToString(culture)];
        if (value.TotalHours < 1)
            return localizer["duration.minutes", ((int)value.TotalMinutes).ToString(culture), value.Seconds.ToString("00", culture)];
        return localizer["duration.hours", ((int)value.TotalHours).ToString(culture), value.Minutes.ToString("00", culture)];
    }

    /// <summary>A clip length asked for, in the current language: "5 s", "7.5 秒".</summary>
    internal static string ClipLength(double seconds, IStringLocalizer localizer) =>
        localizer["duration.seconds", Seconds(seconds)];

    /// <summary>A number of seconds on the form's half-second grid, without a needless ".0": "10", "7.5".</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.#", CultureInfo.CurrentCulture);

    /// <summary>
    /// A backend's progress as a whole percentage from 0 to 100, or null when it sent none (or nonsense). The contract
    /// does not say its scale: up to 1 reads as a fraction, above 1 as a percentage.
    /// </summary>
    internal static int? ProgressPercent(double? progress)
    {
        if (progress is not { } p || !double.IsFinite(p) || p < 0) return null;
        return (int)Math.Min(100, Math.Round(p <= 1 ? p * 100 : p));
    }

    /// <summary>
    /// "Label: value" for the current language: Chinese takes the full-width colon without a space ("时长：5 秒").
    /// </summary>
    internal static string LabelValue(string label, string value) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? label + "：" + value : label + ": " + value;

    /// <summary>
    /// Joins whole sentences for the current language: with a space in English, without one in Chinese (whose full
    /// stop already separates them).
    /// </summary>
    public static string JoinSentences(IEnumerable<string> sentences) =>
        string.Join(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? "" : " ", sentences);

    /// <summary>The first non-empty line of a prompt, trimmed.</summary>
    public static string FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0) return trimmed;
        }
        return "";
    }

    /// <summary>The glossary key of a phase's words.</summary>
    public static string PhaseKey(JobPhase phase) => phase switch
    {
        JobPhase.Submitting => "phase.submitting",
        JobPhase.SubmitFailed => "phase.submit_failed",
        JobPhase.Queued => "phase.queued",
        JobPhase.Running => "phase.running",
        JobPhase.Succeeded => "phase.succeeded",
        JobPhase.Failed => "phase.failed",
        JobPhase.TimedOut => "phase.timed_out",
        JobPhase.Lost => "phase.lost",
        _ => "phase.queued",
    };

    /// <summary>
    /// The glossary key of a phase's short words, for places that show the phase beside other text (a job card, the
    /// result panel's header): TimedOut and Lost have a short form, their full sentence is shown once elsewhere.
    /// </summary>
    public static string ShortPhaseKey(JobPhase phase) => phase switch
    {
        JobPhase.TimedOut => "phase.timed_out_short",
        JobPhase.Lost => "phase.lost_short",
        _ => PhaseKey(phase),
    };

    /// <summary>
    /// <see cref="ShortPhaseKey(JobPhase)"/> for a record: a failed POST that may have reached the backend reads
    /// "May have been submitted", not "Not submitted".
    /// </summary>
    public static string ShortPhaseKey(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status.Phase == JobPhase.SubmitFailed && job.Error is { MayHaveBeenSubmitted: true }
            ? "phase.maybe_submitted"
            : ShortPhaseKey(job.Status.Phase);
    }

    /// <summary>The glossary key of a form field named by the backend (FastAPI <c>loc</c>), or null when unknown.</summary>
    public static string? FieldKey(string? field) => field switch
    {
        "prompt" => "input.prompt",
        "image" => "input.image",
        "seed" => "params.seed",
        "num_steps" => "params.num_steps",
        "quantized" => "params.quantized",
        "duration_seconds" => "params.duration",
        "enhance_prompt" => "params.enhance_prompt",
        _ => null,
    };

    /// <summary>
    /// The words for a form field named by the backend: the glossary term when known, "Request" when the problem names
    /// no field, else the name as sent.
    /// </summary>
    public static string FieldLabel(string? field, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        if (string.IsNullOrWhiteSpace(field)) return localizer["error.field_request"];
        return FieldKey(field) is { } key ? localizer[key] : field;
    }
}
