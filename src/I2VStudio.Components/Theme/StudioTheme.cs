using MudBlazor;

namespace I2VStudio.Components;

/// <summary>The studio's MudBlazor theme: indigo primary, rounded corners, system fonts with CJK fallbacks (nothing fetched).</summary>
public static class StudioTheme
{
    /// <summary>
    /// System UI fonts first, then the common Chinese system fonts (macOS, Windows, Linux), so both languages render
    /// with installed fonts only.
    /// </summary>
    public static readonly IReadOnlyList<string> FontStack =
    [
        "system-ui", "-apple-system", "BlinkMacSystemFont", "Segoe UI", "Roboto", "Helvetica Neue", "Arial",
        "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC",
        "Source Han Sans SC", "WenQuanYi Micro Hei", "sans-serif",
    ];

    /// <summary>Creates the theme (a new instance each call, so a host may adjust its copy).</summary>
    public static MudTheme Create()
    {
        var fonts = FontStack.ToArray();
        return new MudTheme
        {
            PaletteLight = new PaletteLight
            {
                Primary = "#4f46e5",
                Secondary = "#0f766e",
                Tertiary = "#b45309",
                Info = "#0369a1",
                Success = "#15803d",
                Warning = "#b45309",
                Error = "#b91c1c",
                AppbarBackground = "#ffffff",
                AppbarText = "#1f2330",
                Background = "#f6f7fb",
                BackgroundGray = "#eef0f6",
                Surface = "#ffffff",
                TextPrimary = "#1f2330",
                TextSecondary = "#5b6172",
                LinesDefault = "#e1e4ee",
                DrawerBackground = "#ffffff",
            },
            PaletteDark = new PaletteDark
            {
                Primary = "#8b8cf8",
                Secondary = "#2dd4bf",
                Tertiary = "#fbbf24",
                Info = "#38bdf8",
                Success = "#4ade80",
                Warning = "#fbbf24",
                Error = "#f87171",
                AppbarBackground = "#181a21",
                AppbarText = "#e7e9f0",
                Background = "#111217",
                BackgroundGray = "#1b1d25",
                Surface = "#181a21",
                TextPrimary = "#e7e9f0",
                TextSecondary = "#a3a8b8",
                LinesDefault = "#2c2f3a",
                DrawerBackground = "#181a21",
            },
            LayoutProperties = new LayoutProperties
            {
                DefaultBorderRadius = "10px",
            },
            Typography = new Typography
            {
                Default = new DefaultTypography { FontFamily = fonts, LetterSpacing = "normal" },
                H1 = new H1Typography { FontFamily = fonts },
                H2 = new H2Typography { FontFamily = fonts },
                H3 = new H3Typography { FontFamily = fonts },
                H4 = new H4Typography { FontFamily = fonts, FontSize = "1.75rem", FontWeight = "700", LetterSpacing = "normal" },
                H5 = new H5Typography { FontFamily = fonts },
                H6 = new H6Typography { FontFamily = fonts },
                Subtitle1 = new Subtitle1Typography { FontFamily = fonts },
                Subtitle2 = new Subtitle2Typography { FontFamily = fonts },
                Body1 = new Body1Typography { FontFamily = fonts, LetterSpacing = "normal" },
                Body2 = new Body2Typography { FontFamily = fonts, LetterSpacing = "normal" },
                Button = new ButtonTypography { FontFamily = fonts, TextTransform = "none", LetterSpacing = "normal", FontWeight = "600" },
                Caption = new CaptionTypography { FontFamily = fonts },
                Overline = new OverlineTypography { FontFamily = fonts },
            },
        };
    }
}
