using I2VStudio.Host.Resources;
using I2VStudio.Workspace;
using I2VStudio.Workspace.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace I2VStudio.Host.Components.Workspace;

/// <summary>The list of projects: create, open, delete with undo.</summary>
public sealed partial class ProjectsPage : IDisposable
{
    private readonly CancellationTokenSource _life = new();
    // Set after the first interactive render (never while prerendering): tests and users wait for it before acting.
    private bool _interactive;
    private IReadOnlyList<ProjectSummary>? _projects;
    private string _newName = "";
    private string? _error;
    private string? _info;
    private ProjectSummary? _deleted;

    [Inject] private ProjectService Projects { get; set; } = default!;

    [Inject] private IStringLocalizer<WorkspaceStrings> L { get; set; } = default!;

    [Inject] private WorkspaceMessages Messages { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <inheritdoc />
    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _interactive = true;
        StateHasChanged();
    }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync() => await ReloadAsync();

    private async Task ReloadAsync() => _projects = await Projects.ListProjectsAsync(_life.Token);

    private async Task CreateAsync()
    {
        await RunAsync(async () =>
        {
            var project = await Projects.CreateProjectAsync(_newName, _life.Token);
            _newName = "";
            Navigation.NavigateTo($"projects/{project.Id}");
        });
    }

    private async Task DeleteAsync(ProjectSummary project)
    {
        await RunAsync(async () =>
        {
            await Projects.DeleteProjectAsync(project.Id, _life.Token);
            _deleted = project;
            _info = string.Format(System.Globalization.CultureInfo.CurrentCulture, L["ws.deleted"].Value, project.Name);
            await ReloadAsync();
        });
    }

    private async Task UndoAsync()
    {
        if (_deleted is not { } deleted) return;
        await RunAsync(async () =>
        {
            await Projects.RestoreProjectAsync(deleted.Id, _life.Token);
            _info = string.Format(System.Globalization.CultureInfo.CurrentCulture, L["ws.restored"].Value, deleted.Name);
            await ReloadAsync();
        });
        _deleted = null;
    }

    private async Task RunAsync(Func<Task> action)
    {
        _error = null;
        _info = null;
        _error = await Messages.ErrorOfAsync(action) ?? _error; // the action may have set its own message
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _life.Cancel();
        _life.Dispose();
    }
}
