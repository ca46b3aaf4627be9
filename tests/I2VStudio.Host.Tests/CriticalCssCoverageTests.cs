using System.Text.RegularExpressions;
using I2VStudio.Host.Tests.Support;
using I2VStudio.Testing;

namespace I2VStudio.Host.Tests;

/// <summary>Every page of the host prerendered once (two hosts: Server and WebAssembly mode), shared by the tests below.</summary>
public sealed class PrerenderedSiteFixture : IAsyncLifetime
{
    internal PrerenderedSite Site { get; private set; } = default!;

    public async ValueTask InitializeAsync() => Site = await CriticalCssGenerator.RenderAsync(Xunit.TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The committed critical subset of MudBlazor's stylesheet (<c>css/mud-critical.css</c>) covers what every page
/// prerenders, and the host carries it inline before the full sheet (bench/README.md, first paint).
/// </summary>
public sealed partial class CriticalCssCoverageTests(PrerenderedSiteFixture fixture) : IClassFixture<PrerenderedSiteFixture>
{
    /// <summary>Set to 1 (scripts/critical-css.sh does) to write the file instead of comparing it.</summary>
    private const string WriteVariable = "I2V_WRITE_CRITICAL_CSS";

    private static string CommittedPath =>
        Path.Combine(RepositoryPaths.FindRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("No I2VStudio.sln above " + AppContext.BaseDirectory),
            CriticalCssGenerator.RelativePath);

    [Fact]
    public void CommittedSubset_EveryPagesPrerenderedMarkup_IsWhatTheGeneratorMakesNow()
    {
        var generated = CriticalCssGenerator.Generate(fixture.Site);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedPath)!);
            File.WriteAllText(CommittedPath, generated);
        }

        var committed = File.Exists(CommittedPath) ? File.ReadAllText(CommittedPath).ReplaceLineEndings("\n") : "";
        if (committed == generated) return;

        var committedRules = committed.Split('\n').ToHashSet(StringComparer.Ordinal);
        var generatedRules = generated.Split('\n').ToHashSet(StringComparer.Ordinal);
        var missing = generatedRules.Except(committedRules).Take(5).ToList();
        var extra = committedRules.Except(generatedRules).Take(5).ToList();
        Assert.Fail(
            $"{CriticalCssGenerator.RelativePath} is stale: the pages' prerendered markup now needs a different cut of MudBlazor's stylesheet "
            + $"(without it those pages paint unstyled until the full sheet arrives). Run {CriticalCssGenerator.Command} and commit the file.\n"
            + $"Missing ({generatedRules.Except(committedRules).Count()}): {string.Join("\n  ", missing)}\n"
            + $"No longer needed ({committedRules.Except(generatedRules).Count()}): {string.Join("\n  ", extra)}");
    }

    [Fact]
    public void Generator_EveryRoutablePage_IsRenderedInEveryVariantWithMudBlazorMarkup()
    {
        var templates = CriticalCssGenerator.RouteTemplates();
        // The studio, its redirect, diagnostics, not-found and the workspace's five pages.
        Assert.Superset(new HashSet<string>(["/", "/tools/i2v", "/diagnostics", "/not-found", "/projects", "/assets",
            "/projects/{ProjectId:guid}", "/projects/{ProjectId:guid}/shots/{ShotId:guid}", "/projects/{ProjectId:guid}/scenes/{SceneId:guid}"]),
            templates.ToHashSet());

        foreach (var template in templates)
        {
            var rendered = fixture.Site.Pages.Where(p => p.Template == template).ToList();
            // 2 render modes × 2 workspaces × 2 languages × 2 themes, more where a parameter takes several values.
            Assert.True(rendered.Count >= 16, $"{template}: {rendered.Count} renders");
            Assert.All(rendered, page => Assert.Contains("mud-", page.Html, StringComparison.Ordinal));
        }

        // The seeded workspace's pages show its data, not their "not found" notice.
        Assert.Contains(fixture.Site.Pages, p => p.Template == "/projects/{ProjectId:guid}/shots/{ShotId:guid}" && p.Html.Contains("The lantern swings.", StringComparison.Ordinal));
        Assert.Contains(fixture.Site.Pages, p => p.Template == "/projects/{ProjectId:guid}" && p.Html.Contains("The lighthouse", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_EveryMudBlazorClassOfThePages_HasItsRulesInTheSubset()
    {
        var subset = CriticalCssGenerator.Generate(fixture.Site);
        var classes = fixture.Site.Pages.SelectMany(p => CriticalCss.ClassesIn(p.Html)).ToHashSet(StringComparer.Ordinal);
        // Classes with a rule of their own in the full sheet: ".c{" or ".c," as a whole selector (after "}", "{", "," or a line break).
        static Regex OwnRule(string name) => new($"(?<=[{{}},\n])\\.{Regex.Escape(name)}[{{,]", RegexOptions.CultureInvariant);
        var ruled = classes.Where(c => OwnRule(c).IsMatch(fixture.Site.FullSheet)).ToList();

        Assert.True(ruled.Count > 50, $"{ruled.Count} classes with a rule of their own");
        Assert.All(ruled, c => Assert.Matches(OwnRule(c), subset));
        // A cut, not the sheet: the first paint's style work is what this is for.
        Assert.InRange(subset.Length, 1, fixture.Site.FullSheet.Length / 5);
    }

    [Fact]
    public void App_Head_InlinesTheSubsetThenPlacesTheFullSheetWithoutAddressThenInlinesTheAppsOwnSheets()
    {
        string[] inlined = [CriticalSheetHref, "app.css", "I2VStudio.Host.Client.bundle.scp.css", "_content/I2VStudio.Components/I2VStudio.Components.bundle.scp.css"];
        var pages = fixture.Site.Pages.Where(p => p.Template == "/tools/i2v" || p.Template == "/projects").ToList();
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            var head = Noscript().Replace(page.Html[..page.Html.IndexOf("</head>", StringComparison.Ordinal)], "");
            // The workspace pages add their own sheets after these (WorkspaceLayout's HeadContent).
            var sheets = SheetElement().Matches(head).Select(m => m.Value).Take(5).ToList();

            // In cascade order: the cut, the full sheet's place, the app's own sheets.
            Assert.True(sheets.Count == 5, page.Url + ": " + string.Join("\n", sheets));
            Assert.Equal($"<style data-href=\"{inlined[0]}\">", sheets[0]);
            // The full sheet's link names its address but has none until the start script gives it one after the
            // first paint: neither fetched nor parsed before it.
            Assert.Contains($"data-href=\"{CriticalCssGenerator.FullSheetPath}\"", sheets[1], StringComparison.Ordinal);
            Assert.DoesNotMatch(AddressAttribute(), sheets[1]);
            Assert.Contains("id=\"mud-full-sheet\"", sheets[1], StringComparison.Ordinal);
            // Kept, with the address it got, when Blazor's enhanced navigation patches the head.
            Assert.Contains("data-permanent", sheets[1], StringComparison.Ordinal);
            Assert.Matches($"<noscript><link href=\"{Regex.Escape(CriticalCssGenerator.FullSheetPath)}\" rel=\"stylesheet\" ?/?></noscript>", page.Html);
            Assert.Equal(inlined[1..].Select(href => $"<style data-href=\"{href}\">"), sheets[2..]);

            // Nothing else is fetched before the first paint: no preload, no script element with a source.
            Assert.DoesNotContain("preload", head, StringComparison.Ordinal);
            Assert.DoesNotMatch(ScriptWithSource(), page.Html);
            // The studio's page fetches nothing before its first paint but its icon (which never blocks it).
            if (page.Template == "/tools/i2v")
            {
                Assert.All(LinkWithAddress().Matches(head), link => Assert.Contains("rel=\"icon\"", link.Value, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void App_StartScript_GivesTheFullSheetItsAddressAndStartsBlazorOnlyAfterTheFirstPaint()
    {
        var html = fixture.Site.Pages.First(p => p.Template == "/tools/i2v").Html;
        var script = Assert.Single(ModuleScript().Matches(html)).Value;

        // Started by the paint entry, two frames where the browser has no paint timing, at once in a background tab.
        Assert.Contains(".observe({ type: \"paint\", buffered: true })", script, StringComparison.Ordinal);
        Assert.Contains("getEntriesByName(\"first-contentful-paint\")", script, StringComparison.Ordinal);
        Assert.Contains("requestAnimationFrame(() => requestAnimationFrame(painted))", script, StringComparison.Ordinal);
        Assert.Contains("document.visibilityState === \"hidden\") start();", script, StringComparison.Ordinal);
        // The full sheet has applied (or failed, leaving the cut) before Blazor starts.
        Assert.Contains("sheet.href = sheet.dataset.href;", script, StringComparison.Ordinal);
        Assert.Contains("await Promise.all([applyFullSheet(), ", script, StringComparison.Ordinal);
        Assert.True(script.IndexOf("await Promise.all([applyFullSheet()", StringComparison.Ordinal) < script.IndexOf("Blazor.start(", StringComparison.Ordinal));
    }

    [Fact]
    public void App_InlinedSheets_AreWhatTheHostServesAtTheirAddresses()
    {
        var page = fixture.Site.Pages.First(p => p.Template == "/tools/i2v");
        var bodies = InlineSheet().Matches(page.Html).ToDictionary(m => m.Groups["href"].Value, m => m.Groups["css"].Value, StringComparer.Ordinal);

        Assert.Equal(4, bodies.Count);
        // Every page carries these four; the workspace pages add the host's own bundle and workspace.css (the test below).
        Assert.Equal(bodies.Keys.Order(StringComparer.Ordinal),
            fixture.Site.ServedSheets.Keys.Where(k => k is not (HostBundleHref or WorkspaceSheetHref)).Order(StringComparer.Ordinal));
        foreach (var (href, css) in bodies)
        {
            // Non-empty and whole: the scoped bundles' rules carry their scope attribute, the cut its header.
            Assert.True(css.Length > 100, $"{href}: {css.Length} characters");
            Assert.Equal(fixture.Site.ServedSheets[href], css);
        }

        Assert.Contains("[b-", bodies["_content/I2VStudio.Components/I2VStudio.Components.bundle.scp.css"], StringComparison.Ordinal);
        Assert.StartsWith("/* MudBlazor ", bodies[CriticalSheetHref], StringComparison.Ordinal);
    }

    [Fact]
    public void WorkspaceLayout_Head_InlinesItsSheetsAndTheHostsScopedStylesWithoutTheirImports()
    {
        var page = fixture.Site.Pages.First(p => p.Template == "/projects");
        var bodies = InlineSheet().Matches(page.Html).ToDictionary(m => m.Groups["href"].Value, m => m.Groups["css"].Value, StringComparer.Ordinal);

        // The host's app bundle: its own scoped rules (the workspace pages'), without the @imports of the library's and
        // the client's bundles, which the document already carries inline and would otherwise fetch and apply twice.
        Assert.True(bodies.TryGetValue(HostBundleHref, out var hostSheet), string.Join(", ", bodies.Keys));
        Assert.Contains(".ws-page[b-", hostSheet, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", hostSheet, StringComparison.Ordinal);
        var served = fixture.Site.ServedSheets[HostBundleHref];
        Assert.StartsWith("@import", served, StringComparison.Ordinal);
        Assert.EndsWith(hostSheet, served, StringComparison.Ordinal);
        Assert.Equal(fixture.Site.ServedSheets[WorkspaceSheetHref], bodies[WorkspaceSheetHref]);
        Assert.Single(bodies, b => b.Key.EndsWith("I2VStudio.Components.bundle.scp.css", StringComparison.Ordinal));
        // No sheet of its own is fetched (the full MudBlazor sheet's link gets its address after the first paint).
        Assert.DoesNotContain(LinkWithAddress().Matches(Noscript().Replace(page.Html, "")), link => link.Value.Contains("stylesheet", StringComparison.Ordinal));
    }

    private const string CriticalSheetHref = "css/mud-critical.css";

    private const string HostBundleHref = "I2VStudio.Host.styles.css";

    private const string WorkspaceSheetHref = "workspace.css";

    [GeneratedRegex("<style data-href=\"[^\"]+\">|<link [^>]*rel=\"stylesheet\"[^>]*>")]
    private static partial Regex SheetElement();

    [GeneratedRegex("<style data-href=\"(?<href>[^\"]+)\">(?<css>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex InlineSheet();

    [GeneratedRegex("<noscript>.*?</noscript>", RegexOptions.Singleline)]
    private static partial Regex Noscript();

    [GeneratedRegex("\\shref=")]
    private static partial Regex AddressAttribute();

    [GeneratedRegex("<link [^>]*\\shref=[^>]*>")]
    private static partial Regex LinkWithAddress();

    [GeneratedRegex("<script[^>]*\\ssrc=")]
    private static partial Regex ScriptWithSource();

    [GeneratedRegex("<script type=\"module\">.*?</script>", RegexOptions.Singleline)]
    private static partial Regex ModuleScript();
}
