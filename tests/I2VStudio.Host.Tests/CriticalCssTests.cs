using I2VStudio.Host.Tests.Support;

namespace I2VStudio.Host.Tests;

/// <summary>The cut of a stylesheet to the rules a page's classes can use (<see cref="CriticalCss"/>).</summary>
public class CriticalCssTests
{
    private static HashSet<string> Classes(params string[] names) => new(names, StringComparer.Ordinal);

    [Fact]
    public void Subset_SelectorListWithOneUsableSelector_KeepsTheWholeRuleVerbatim()
    {
        var subset = CriticalCss.Subset(".a,.b>.c{color:red}.d{color:blue}", Classes("a"));

        Assert.Equal(".a,.b>.c{color:red}\n", subset);
    }

    [Fact]
    public void Subset_SelectorNeedingAnAbsentClass_IsDropped()
    {
        var subset = CriticalCss.Subset(".a.b{color:red}.a .c{color:green}.a{color:blue}", Classes("a"));

        Assert.Equal(".a{color:blue}\n", subset);
    }

    [Fact]
    public void Subset_RootElementAttributeAndIdRules_AreKept()
    {
        const string css = ":root{--x:1}html,body{margin:0}*{box-sizing:border-box}[dir=rtl] p{direction:rtl}#app{display:block}a:hover{color:red}";

        var subset = CriticalCss.Subset(css, Classes());

        Assert.Equal(":root{--x:1}\nhtml,body{margin:0}\n*{box-sizing:border-box}\n[dir=rtl] p{direction:rtl}\n#app{display:block}\na:hover{color:red}\n", subset);
    }

    [Fact]
    public void Subset_MediaAndSupportsGroups_KeepTheirUsableRulesAndVanishWhenEmpty()
    {
        const string css = "@media(hover: hover)and (pointer: fine){.a:hover{color:red}.b{color:blue}}@media print{.b{color:blue}}"
            + "@supports (display:grid){@media (min-width:600px){.a{display:grid}}}";

        var subset = CriticalCss.Subset(css, Classes("a"));

        Assert.Equal("@media(hover: hover)and (pointer: fine){.a:hover{color:red}}\n@supports (display:grid){@media (min-width:600px){.a{display:grid}}}\n", subset);
    }

    [Fact]
    public void Subset_KeyframesFontFaceAndStatements_AreKeptWhole()
    {
        const string css = "@charset \"utf-8\";@keyframes spin{0%{transform:rotate(0)}100%{transform:rotate(360deg)}}"
            + "@-webkit-keyframes pulse{from{opacity:0}to{opacity:1}}@font-face{font-family:x;src:url(x.woff2)}.unused{color:red}";

        var subset = CriticalCss.Subset(css, Classes());

        Assert.Equal("@charset \"utf-8\";\n@keyframes spin{0%{transform:rotate(0)}100%{transform:rotate(360deg)}}\n"
            + "@-webkit-keyframes pulse{from{opacity:0}to{opacity:1}}\n@font-face{font-family:x;src:url(x.woff2)}\n", subset);
    }

    [Fact]
    public void Subset_ClassesInsideFunctionalPseudoClasses_AreNotNeeded()
    {
        const string css = ".a:not(.b){color:red}.a:has(>.c){display:flex}.d:not(.a){color:blue}";

        var subset = CriticalCss.Subset(css, Classes("a"));

        Assert.Equal(".a:not(.b){color:red}\n.a:has(>.c){display:flex}\n", subset);
    }

    [Fact]
    public void Subset_EscapedClassNames_MatchTheirMarkupNames()
    {
        const string css = @".hover\:mud-primary-hover:hover{color:red}.\31 0x{width:10px}.w\2e 5{width:50%}.other\:x{color:blue}";

        var subset = CriticalCss.Subset(css, Classes("hover:mud-primary-hover", "10x", "w.5"));

        Assert.Equal(".hover\\:mud-primary-hover:hover{color:red}\n.\\31 0x{width:10px}\n.w\\2e 5{width:50%}\n", subset);
    }

    [Fact]
    public void Subset_BracesCommasAndDotsInStringsAndAttributes_DoNotSplitOrEndARule()
    {
        const string css = ".a::after{content:\"}.b{\"}a[href$=\".css\"],[data-x=\"p,q\"]{color:red}.c{content:'{'}";

        var subset = CriticalCss.Subset(css, Classes("a"));

        Assert.Equal(".a::after{content:\"}.b{\"}\na[href$=\".css\"],[data-x=\"p,q\"]{color:red}\n", subset);
    }

    [Fact]
    public void Subset_LicenceCommentAndByteOrderMark_LicenceKeptOtherCommentsAndMarkDropped()
    {
        const string css = "\uFEFF/*! MIT licence */.a{color:red}/* note */.b{color:blue}";

        var subset = CriticalCss.Subset(css, Classes("a", "b"));

        Assert.Equal("/*! MIT licence */\n.a{color:red}\n.b{color:blue}\n", subset);
    }

    [Fact]
    public void ClassesIn_QuotedAndEncodedAttributes_ReturnsEveryClassOnce()
    {
        const string html = "<div class=\"mud-paper  mud-elevation-1\n x\"><svg class='mud-icon-root'></svg><p data-class=\"no\" class=\"a&amp;b mud-paper\"></p></div>";

        var classes = CriticalCss.ClassesIn(html);

        Assert.Equal(["a&b", "mud-elevation-1", "mud-icon-root", "mud-paper", "x"], classes.Order(StringComparer.Ordinal));
    }
}
