using System.Globalization;
using I2VStudio.Host.Resources;
using I2VStudio.Workspace;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Takes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>The asset library: upload images and videos (stored once per content), prompt templates, search and filter
/// by kind, play videos (Range-served), use an image in the I2V tool or as a shot's source image, delete (refused while
/// in use, saying where).</summary>
public sealed partial class AssetsPage : IDisposable
{
    private const int MaxFilesPerPick = 20;
    private const int MaxShotChoices = 30;
    private static readonly AssetKind?[] Kinds = [null, AssetKind.Image, AssetKind.Video, AssetKind.PromptTemplate];

    private readonly CancellationTokenSource _life = new();
    private readonly List<(string Text, bool IsError)> _messages = [];
    private readonly Dictionary<Guid, string> _templates = [];
    private bool _interactive;
    private IReadOnlyList<Asset>? _assets;
    private string _query = "";
    private AssetKind? _kind;
    private string _templateName = "";
    private string _templateText = "";
    private Asset? _pickFor;
    private string _shotQuery = "";
    private IReadOnlyList<ShotPlace> _shots = [];
    private ShotPlace? _usedIn;

    [Inject] private AssetStore Store { get; set; } = default!;

    [Inject] private IOptions<WorkspaceOptions> Options { get; set; } = default!;

    [Inject] private TakeService Takes { get; set; } = default!;

    [Inject] private IStringLocalizer<WorkspaceStrings> L { get; set; } = default!;

    [Inject] private WorkspaceMessages Messages { get; set; } = default!;

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _interactive = true;
        StateHasChanged();
    }

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => ReloadAsync();

    private string KindLabel(AssetKind? kind) => L[kind is { } k ? $"ws.assets.kind.{k}" : "ws.assets.kind.all"];

    private async Task ReloadAsync()
    {
        _assets = await Store.SearchAsync(_query, _kind, _life.Token);
        foreach (var template in _assets.Where(a => a.Kind == AssetKind.PromptTemplate && !_templates.ContainsKey(a.Id)))
        {
            _templates[template.Id] = await Store.ReadTextAsync(template, _life.Token);
        }
    }

    private async Task SearchAsync(string query)
    {
        _query = query;
        await ReloadAsync();
    }

    private async Task FilterAsync(AssetKind? kind)
    {
        _kind = kind;
        await ReloadAsync();
    }

    // The I2V tool takes the image through its own checks (see its page), as if the user had picked the file.
    private static string I2VLink(Asset asset) =>
        $"tools/i2v?image={Uri.EscapeDataString(WorkspaceEndpoints.ContentUrl(asset.Id))}&name={Uri.EscapeDataString(asset.Name)}";

    private static string ShotLink(ShotPlace place) => $"projects/{place.ProjectId}/shots/{place.ShotId}";

    private string Where(ShotPlace place) =>
        $"{place.Project} › {place.Chapter} › {place.Scene} › {string.Format(CultureInfo.CurrentCulture, L["ws.shot"].Value, place.ShotNumber)}";

    private async Task OpenShotPickerAsync(Asset asset)
    {
        _messages.Clear();
        _usedIn = null;
        _pickFor = asset;
        await SearchShotsAsync(_shotQuery);
    }

    private void CloseShotPicker() => _pickFor = null;

    private async Task SearchShotsAsync(string query)
    {
        _shotQuery = query;
        _shots = await Takes.FindShotsAsync(query, MaxShotChoices, _life.Token);
    }

    private async Task UseInShotAsync(Asset asset, ShotPlace place)
    {
        _messages.Clear();
        try
        {
            await Takes.SetSourceImageAsync(place.ShotId, asset.Id, _life.Token);
            _messages.Add((string.Format(CultureInfo.CurrentCulture, L["ws.assets.used_in_shot"].Value, asset.Name, Where(place)), false));
            _usedIn = place;
            _pickFor = null;
        }
        catch (WorkspaceException error)
        {
            _messages.Add((Messages.Describe(error), true));
        }
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        _messages.Clear();
        var cap = Options.Value.MaxAssetBytes;
        foreach (var file in e.GetMultipleFiles(MaxFilesPerPick))
        {
            try
            {
                // The size is checked before any byte moves; the store checks it again while copying.
                if (file.Size > cap) throw new WorkspaceException(WorkspaceError.FileTooLarge, cap);
                await using var stream = file.OpenReadStream(cap, _life.Token);
                var upload = await Store.AddFileAsync(stream, file.Name, _life.Token);
                var text = upload.AlreadyStored
                    ? string.Format(CultureInfo.CurrentCulture, L["ws.assets.duplicate"].Value, upload.Asset.Name)
                    : string.Format(CultureInfo.CurrentCulture, L["ws.assets.stored"].Value, upload.Asset.Name);
                _messages.Add((text, false));
            }
            catch (WorkspaceException error)
            {
                // "Not an image or video" names the file itself; the others get the name in front.
                _messages.Add((error.Code == WorkspaceError.NotImageOrVideo ? Messages.Describe(error) : $"{file.Name}: {Messages.Describe(error)}", true));
            }
        }
        await ReloadAsync();
    }

    private async Task AddTemplateAsync()
    {
        _messages.Clear();
        try
        {
            var upload = await Store.AddPromptTemplateAsync(_templateName, _templateText, _life.Token);
            _messages.Add((string.Format(CultureInfo.CurrentCulture, L["ws.assets.stored"].Value, upload.Asset.Name), false));
            _templateName = _templateText = "";
            await ReloadAsync();
        }
        catch (WorkspaceException error)
        {
            _messages.Add((Messages.Describe(error), true));
        }
    }

    private async Task DeleteAsync(Asset asset)
    {
        _messages.Clear();
        try
        {
            await Store.DeleteAsync(asset.Id, _life.Token);
            _messages.Add((string.Format(CultureInfo.CurrentCulture, L["ws.deleted"].Value, asset.Name), false));
        }
        catch (WorkspaceException error)
        {
            _messages.Add((Messages.Describe(error), true));
        }
        await ReloadAsync();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _life.Cancel();
        _life.Dispose();
    }
}
