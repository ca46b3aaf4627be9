using I2VStudio.Host.Hosting;
using Microsoft.AspNetCore.Components;

namespace I2VStudio.Host.Components.Head;

/// <summary>
/// A stylesheet of the web root written into the document as a <c>&lt;style&gt;</c> element, in place of a
/// render-blocking <c>&lt;link&gt;</c>: the first paint does not wait for a second round trip (bench/README.md, first
/// paint). <c>data-href</c> names the sheet, which is still served at that address.
/// </summary>
public sealed partial class InlineStylesheet
{
    private string _css = "";

    /// <summary>The sheet's address relative to the web root, as a link would name it (e.g. <c>app.css</c>).</summary>
    [Parameter, EditorRequired] public string Href { get; set; } = "";

    /// <summary>
    /// Leaves out the sheet's leading <c>@import</c> rules: for the app's scoped-CSS bundle, whose imports are the
    /// referenced projects' bundles the document already carries inline.
    /// </summary>
    [Parameter] public bool WithoutImports { get; set; }

    [Inject] private InlineStylesheets Stylesheets { get; set; } = default!;

    /// <inheritdoc />
    protected override void OnParametersSet() =>
        _css = WithoutImports ? Stylesheets.ReadWithoutImports(Href, Assets[Href]) : Stylesheets.Read(Href, Assets[Href]);
}
