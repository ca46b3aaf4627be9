using I2VStudio.Components.Browser;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace I2VStudio.Host.Components.Pages;

/// <summary>The I2V tool. <c>?image=&lt;a URL of this site&gt;&amp;name=&lt;file name&gt;</c> (the asset library's
/// "Use in I2V") starts it with that image picked, through the tool's own checks; the query is then dropped, so a
/// reload keeps whatever the user picked afterwards.</summary>
public sealed partial class I2V : IDisposable
{
    private readonly CancellationTokenSource _life = new();

    /// <summary>An image of this site to start from (same origin only).</summary>
    [SupplyParameterFromQuery(Name = "image")] public string? Image { get; set; }

    /// <summary>The file name the image is shown and sent with.</summary>
    [SupplyParameterFromQuery(Name = "name")] public string? Name { get; set; }

    [Inject] private ImageIntake Intake { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || string.IsNullOrWhiteSpace(Image)) return;
        try
        {
            await Intake.PickFromUrlAsync(Image, Name ?? "", _life.Token);
        }
        catch (JSDisconnectedException)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?> { ["image"] = null, ["name"] = null }), replace: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _life.Cancel();
        _life.Dispose();
    }
}
