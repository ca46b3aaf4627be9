using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace I2VStudio.Host.Tests.Support;

/// <summary>
/// Cuts a stylesheet down to the rules a set of pages can use before the full sheet arrives (bench/README.md, first
/// paint). A style rule stays, verbatim and whole, when at least one selector of its list needs only classes the
/// markup has; classes inside a functional pseudo-class (<c>:not(.x)</c>, <c>:has(&gt;.x)</c>) are not counted as
/// needed. Rules that need no class at all (<c>:root</c>, element, attribute and id selectors) stay. Conditional
/// groups (<c>@media</c>, <c>@supports</c>, <c>@container</c>, <c>@layer</c>, <c>@-moz-document</c>) stay with the
/// rules they keep; every other at-rule (<c>@keyframes</c>, <c>@font-face</c>, <c>@import</c>, …) stays whole. A rule
/// kept by mistake costs a few bytes; one dropped by mistake is an unstyled flash, so every doubt keeps.
/// </summary>
internal static partial class CriticalCss
{
    private static readonly HashSet<string> ConditionalGroups = new(StringComparer.OrdinalIgnoreCase)
    {
        "media", "supports", "container", "layer", "document", "-moz-document", "scope", "starting-style",
    };

    /// <summary>Every class named in a <c>class</c> attribute of <paramref name="html"/>.</summary>
    public static IReadOnlySet<string> ClassesIn(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var classes = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in ClassAttribute().Matches(html))
        {
            var value = WebUtility.HtmlDecode(match.Groups["dq"].Success ? match.Groups["dq"].Value : match.Groups["sq"].Value);
            foreach (var name in value.Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries))
            {
                classes.Add(name);
            }
        }

        return classes;
    }

    /// <summary>
    /// The rules of <paramref name="css"/> that elements with <paramref name="classes"/> can match, in their order,
    /// one top-level rule or group per line. The only comments kept are <c>/*! … */</c> ones (licences).
    /// </summary>
    public static string Subset(string css, IReadOnlySet<string> classes)
    {
        ArgumentNullException.ThrowIfNull(css);
        ArgumentNullException.ThrowIfNull(classes);
        var output = new StringBuilder();
        foreach (var kept in Filter(css.TrimStart('\uFEFF'), classes, topLevel: true))
        {
            output.Append(kept).Append('\n');
        }

        return output.ToString();
    }

    /// <summary>The classes a selector needs: those outside any parentheses or brackets, escapes resolved.</summary>
    public static IReadOnlyList<string> RequiredClasses(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var needed = new List<string>();
        var depth = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            var c = selector[i];
            switch (c)
            {
                case '\\':
                    i++; // an escaped character outside a class name is never a class
                    break;
                case '"' or '\'':
                    i = SkipString(selector, i) - 1;
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                case '.' when depth == 0:
                    var (name, end) = ReadIdentifier(selector, i + 1);
                    if (name.Length > 0) needed.Add(name);
                    i = end - 1;
                    break;
            }
        }

        return needed;
    }

    private static IEnumerable<string> Filter(string css, IReadOnlySet<string> classes, bool topLevel)
    {
        var i = 0;
        while (i < css.Length)
        {
            if (char.IsWhiteSpace(css[i]))
            {
                i++;
                continue;
            }

            if (css.AsSpan(i).StartsWith("/*", StringComparison.Ordinal))
            {
                var close = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var end = close < 0 ? css.Length : close + 2;
                if (topLevel && css.AsSpan(i).StartsWith("/*!", StringComparison.Ordinal)) yield return css[i..end];
                i = end;
                continue;
            }

            var preludeEnd = FindPreludeEnd(css, i);
            var prelude = css[i..preludeEnd].Trim();
            if (preludeEnd >= css.Length || css[preludeEnd] == ';')
            {
                // A statement at-rule (@import, @charset, @layer a, b;) or a stray declaration: kept.
                if (prelude.Length > 0) yield return prelude + ";";
                i = preludeEnd + 1;
                continue;
            }

            var blockEnd = FindBlockEnd(css, preludeEnd);
            var body = css[(preludeEnd + 1)..Math.Min(blockEnd, css.Length)];
            i = blockEnd + 1;
            if (prelude.StartsWith('@'))
            {
                var name = AtRuleName(prelude);
                if (ConditionalGroups.Contains(name))
                {
                    var inner = string.Concat(Filter(body, classes, topLevel: false));
                    if (inner.Length > 0) yield return prelude + "{" + inner + "}";
                }
                else
                {
                    yield return prelude + "{" + body + "}";
                }
            }
            else if (SplitSelectorList(prelude).Any(selector => RequiredClasses(selector).All(classes.Contains)))
            {
                yield return prelude + "{" + body + "}";
            }
        }
    }

    private static string AtRuleName(string prelude)
    {
        var end = 1;
        while (end < prelude.Length && (char.IsLetterOrDigit(prelude[end]) || prelude[end] == '-')) end++;
        return prelude[1..end];
    }

    /// <summary>The selectors of a list, split at commas outside parentheses, brackets and strings.</summary>
    private static List<string> SplitSelectorList(string prelude)
    {
        var selectors = new List<string>();
        for (var start = 0; ;)
        {
            var end = FindOutsideNesting(prelude, start, c => c == ',');
            selectors.Add(prelude[start..end]);
            if (end >= prelude.Length) return selectors;
            start = end + 1;
        }
    }

    /// <summary>The index of the <c>{</c> or <c>;</c> that ends the prelude starting at <paramref name="start"/>.</summary>
    private static int FindPreludeEnd(string css, int start) => FindOutsideNesting(css, start, c => c is '{' or ';');

    /// <summary>The index of the first character from <paramref name="start"/> that <paramref name="wanted"/> accepts
    /// outside parentheses, brackets, strings and escapes; the text's length when there is none.</summary>
    private static int FindOutsideNesting(string text, int start, Func<char, bool> wanted)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '"' or '\'':
                    i = SkipString(text, i) - 1;
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                case var c when depth <= 0 && wanted(c):
                    return i;
            }
        }

        return text.Length;
    }

    /// <summary>The index of the <c>}</c> that closes the block opened at <paramref name="open"/>.</summary>
    private static int FindBlockEnd(string css, int open)
    {
        var depth = 0;
        for (var i = open; i < css.Length; i++)
        {
            switch (css[i])
            {
                case '\\':
                    i++;
                    break;
                case '"' or '\'':
                    i = SkipString(css, i) - 1;
                    break;
                case '/' when i + 1 < css.Length && css[i + 1] == '*':
                    var close = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = close < 0 ? css.Length : close + 1;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    if (--depth == 0) return i;
                    break;
            }
        }

        return css.Length;
    }

    /// <summary>The index just past the string that starts with the quote at <paramref name="start"/>.</summary>
    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == quote) return i + 1;
        }

        return text.Length;
    }

    /// <summary>A CSS identifier from <paramref name="start"/>, escapes resolved (<c>hover\:x</c> → <c>hover:x</c>).</summary>
    private static (string Name, int End) ReadIdentifier(string text, int start)
    {
        var name = new StringBuilder();
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                var hex = 0;
                while (hex < 6 && i + 1 + hex < text.Length && char.IsAsciiHexDigit(text[i + 1 + hex])) hex++;
                if (hex > 0)
                {
                    var code = int.Parse(text.AsSpan(i + 1, hex), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    // As CSS Syntax says: zero, a surrogate or past U+10FFFF reads as U+FFFD.
                    name.Append(code is 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF) ? "\uFFFD" : char.ConvertFromUtf32(code));
                    i += 1 + hex;
                    if (i < text.Length && char.IsWhiteSpace(text[i])) i++; // one space ends a hex escape
                }
                else
                {
                    name.Append(text[i + 1]);
                    i += 2;
                }
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || c > 0x7F)
            {
                name.Append(c);
                i++;
            }
            else
            {
                break;
            }
        }

        return (name.ToString(), i);
    }

    [GeneratedRegex("""\sclass\s*=\s*(?:"(?<dq>[^"]*)"|'(?<sq>[^']*)')""", RegexOptions.IgnoreCase)]
    private static partial Regex ClassAttribute();
}
