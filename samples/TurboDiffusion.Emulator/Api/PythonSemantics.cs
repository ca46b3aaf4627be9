using System.Globalization;

namespace TurboDiffusion.Emulator;

/// <summary>
/// How the real backend's Python parses and prints values, reproduced so the emulator accepts and
/// refuses exactly what FastAPI/pydantic v2 would, and prints timestamps as Python's isoformat does.
/// </summary>
internal static class PythonSemantics
{
    private static readonly string[] TrueWords = ["1", "on", "t", "true", "y", "yes"];
    private static readonly string[] FalseWords = ["0", "off", "f", "false", "n", "no"];

    /// <summary><c>datetime.isoformat()</c> of an aware UTC timestamp from Postgres: microseconds and <c>+00:00</c>.</summary>
    public static string IsoFormat(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseIso(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// <c>uuid.UUID(text)</c>: accepts braces, a <c>urn:uuid:</c> prefix, hyphens anywhere, any case;
    /// gives the canonical lowercase form the database stores. False means Python would raise
    /// "badly formed hexadecimal UUID string".
    /// </summary>
    public static bool TryParseUuid(string text, out string canonical)
    {
        var hex = text.Replace("urn:", "", StringComparison.Ordinal).Replace("uuid:", "", StringComparison.Ordinal);
        hex = hex.Trim('{', '}').Replace("-", "", StringComparison.Ordinal);
        if (hex.Length == 32 && Guid.TryParseExact(hex, "N", out var guid))
        {
            canonical = guid.ToString("D");
            return true;
        }

        canonical = "";
        return false;
    }

    /// <summary><c>pathlib.PurePosixPath(name).suffix</c>: the last dot's tail, but not for dot-files or a trailing dot.</summary>
    public static string PathSuffix(string? fileName)
    {
        var name = fileName ?? "";
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        var dot = name.LastIndexOf('.');
        return dot > 0 && dot < name.Length - 1 ? name[dot..] : "";
    }

    /// <summary>pydantic's lax str → int: surrounding whitespace allowed, an optional sign, digits (and underscores between them).</summary>
    public static bool TryParseInt(string text, out long value)
    {
        var trimmed = text.Trim();
        if (trimmed.Contains('_', StringComparison.Ordinal))
        {
            if (trimmed.StartsWith('_') || trimmed.EndsWith('_') || trimmed.Contains("__", StringComparison.Ordinal))
            {
                value = 0;
                return false;
            }

            trimmed = trimmed.Replace("_", "", StringComparison.Ordinal);
        }

        return long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>pydantic's lax str → bool: true/false, 1/0, on/off, yes/no, t/f, y/n, any case.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        var word = text.Trim().ToLowerInvariant();
        if (TrueWords.Contains(word))
        {
            value = true;
            return true;
        }

        value = false;
        return FalseWords.Contains(word);
    }

    /// <summary>Python's <c>float(text)</c>: decimal or exponent forms, and inf/nan words.</summary>
    public static bool TryParseFloat(string text, out double value)
    {
        var trimmed = text.Trim();
        var unsigned = trimmed.TrimStart('+', '-').ToLowerInvariant();
        var negative = trimmed.StartsWith('-');
        switch (unsigned)
        {
            case "inf" or "infinity":
                value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                return trimmed.Length - unsigned.Length <= 1;
            case "nan":
                value = double.NaN;
                return trimmed.Length - unsigned.Length <= 1;
            default:
                return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    /// <summary>Python 3's <c>round()</c>: half to even.</summary>
    public static long Round(double value) => (long)Math.Round(value, MidpointRounding.ToEven);

    /// <summary>Python's <c>repr(float)</c> for ordinary values: <c>10.0</c>, <c>12.5</c>, <c>0.1</c>.</summary>
    public static string FloatRepr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal)) return text.Replace("E", "e", StringComparison.Ordinal);
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }
}
