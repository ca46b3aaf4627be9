using I2VStudio.Workspace.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>The workspace pages (/projects, /projects/{id}, /assets) as a user sees them (English UI).</summary>
public sealed class WorkspaceUi(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Error => Page.GetByTestId("ws-error");

    public ILocator Info => Page.GetByTestId("ws-info");

    public ILocator Chapters => Page.GetByTestId("chapter-item");

    public ILocator ChapterTitles => Page.GetByTestId("chapter-title");

    /// <summary>Opens a workspace page and waits until it is interactive (its root says so after the first live render).</summary>
    public async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await Expect(Page.Locator("[data-interactive='true']")).ToBeVisibleAsync();
    }

    /// <summary>Makes a project (through the host's services) whose one shot says <paramref name="prompt"/>, with a style
    /// prefix and suffix and clips of <paramref name="seconds"/>, and opens that shot's editor.</summary>
    public async Task OpenShotAsync(IServiceProvider hostServices, string project, string prompt, double seconds = 5)
    {
        var ct = TestContext.Current.CancellationToken;
        var projects = hostServices.GetRequiredService<ProjectService>();
        var created = await projects.CreateProjectAsync(project, ct);
        await projects.UpdateProjectAsync(created.Id, created.Version, new ProjectSettings(project, "水墨风格，", "，电影感", 4, null, true, seconds, false), ct);
        await projects.ImportNovelAsync(created.Id, $"第一章 雨夜\n{prompt}后来她走了。", "序章", ct);
        await OpenAsync($"projects/{created.Id}");
        await Chapter("第一章 雨夜").GetByTestId("toggle-chapter").ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Open the shot editor for Shot 1" }).ClickAsync();
        await Expect(Page.Locator("[data-testid='shot-page'][data-interactive='true']")).ToBeVisibleAsync();
        await new StudioPage(Page).WaitInteractiveAsync();
    }

    /// <summary>Creates a project from /projects and lands on its page.</summary>
    public async Task CreateProjectAsync(string name)
    {
        await OpenAsync("projects");
        await Page.GetByLabel("New project name").FillAsync(name);
        await Page.GetByTestId("create-project").ClickAsync();
        await Expect(Page.GetByTestId("project-name")).ToHaveTextAsync(name);
        await Expect(Page.Locator("[data-interactive='true']")).ToBeVisibleAsync();
    }

    /// <summary>Pastes <paramref name="text"/> and presses Import.</summary>
    public async Task ImportAsync(string text)
    {
        await Page.GetByTestId("novel-text").FillAsync(text);
        await Page.GetByTestId("import-novel").ClickAsync();
    }

    public ILocator Chapter(string title) => Chapters.Filter(new() { Has = Page.GetByTestId("chapter-title").GetByText(title, new() { Exact = true }) });
}
