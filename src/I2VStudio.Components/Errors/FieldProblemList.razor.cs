using System.Collections.Immutable;
using I2VStudio.Components.Resources;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components;

/// <summary>A FastAPI 422's items as field → message lines, labels localised (the job card and the result panel use it).</summary>
public sealed partial class FieldProblemList
{
    [Inject] private IStringLocalizer<StudioStrings> L { get; set; } = default!;

    /// <summary>The items to list.</summary>
    [Parameter, EditorRequired] public ImmutableArray<FieldProblem> Problems { get; set; } = [];

    /// <summary>Extra CSS classes for the list (spacing in the owner's layout).</summary>
    [Parameter] public string? Class { get; set; }
}
