extern alias host;

using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using I2VStudio.Testing;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TurboDiffusion.Emulator;
using App = host::I2VStudio.Host.Components.App;
using BackendInfo = host::I2VStudio.Host.Hosting.BackendInfo;
using Preferences = host::I2VStudio.Host.Hosting.Preferences;

namespace I2VStudio.Host.Tests.Support;

/// <summary>One page as the host prerendered it: the address asked for, the variant, the status and the HTML.</summary>
internal sealed record PrerenderedPage(string Template, string Url, string Variant, HttpStatusCode Status, string Html);

/// <summary>
/// Every page's prerendered markup, the full MudBlazor sheet the host serves (from which the subset is cut) and, by
/// address, each stylesheet the pages carry inline (<c>&lt;style data-href&gt;</c>) as the host serves it there.
/// </summary>
internal sealed record PrerenderedSite(IReadOnlyList<PrerenderedPage> Pages, string FullSheet, IReadOnlyDictionary<string, string> ServedSheets);

/// <summary>
/// Generates <c>samples/I2VStudio.Host/wwwroot/css/mud-critical.css</c>: MudBlazor's stylesheet cut (<see cref="CriticalCss"/>)
/// to the classes in the prerendered HTML of every routable page of the host (every <c>@page</c> of the host and
/// client assemblies, found by reflection), as the real host answers them: in the Server and the WebAssembly render
/// mode, in English and Chinese, light and dark, with an empty workspace (unknown ids: the "not found" notices) and
/// with a seeded one (a project with chapters, scenes, shots, a source image, chosen, rejected and failed takes,
/// assets of every kind). <c>scripts/critical-css.sh</c> writes the file; the host tests compare it.
/// </summary>
internal static partial class CriticalCssGenerator
{
    /// <summary>The committed subset, relative to the repository's root.</summary>
    public const string RelativePath = "samples/I2VStudio.Host/wwwroot/css/mud-critical.css";

    /// <summary>The command that writes the file again.</summary>
    public const string Command = "scripts/critical-css.sh";

    /// <summary>The full sheet's address on the host.</summary>
    public const string FullSheetPath = "_content/MudBlazor/MudBlazor.min.css";

    private static readonly string[] RenderModes = ["Server", "WebAssembly"];
    private static readonly string[] Languages = ["en", "zh-CN"];
    private static readonly string[] Themes = ["light", "dark"];

    /// <summary>The route templates of every routable page: the host's own (the workspace) and the client's.</summary>
    public static IReadOnlyList<string> RouteTemplates() =>
        new[] { typeof(App).Assembly, typeof(I2VStudio.Host.Components.Routes).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => typeof(IComponent).IsAssignableFrom(type))
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>())
            .Select(route => route.Template)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The file's content for the pages and sheet of <paramref name="site"/>.</summary>
    public static string Generate(PrerenderedSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var classes = new HashSet<string>(site.Pages.SelectMany(page => CriticalCss.ClassesIn(page.Html)), StringComparer.Ordinal);
        var version = typeof(MudBlazor.MudButton).Assembly.GetName().Version?.ToString(3) ?? "?";
        var header =
            $"/* MudBlazor {version}'s stylesheet cut to the rules the host's prerendered pages can use: inlined render-blocking, the\n" +
            "   full sheet switched on after the first frame (App.razor; bench/README.md, first paint). Generated, do not edit: after\n" +
            $"   a change to any page's markup run {Command} (the host tests fail while this file is stale). */\n";
        return header + CriticalCss.Subset(site.FullSheet, classes);
    }

    /// <summary>Renders every page of the host in every variant; fails on a page that answers neither 200 nor 404.</summary>
    public static async Task<PrerenderedSite> RenderAsync(CancellationToken cancellationToken)
    {
        var pages = new List<PrerenderedPage>();
        string? fullSheet = null;
        var servedSheets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mode in RenderModes)
        {
            var workspace = Path.Combine(Path.GetTempPath(), "i2v-critical-css", Guid.NewGuid().ToString("N")[..12]);
            try
            {
                // The emulator beside the host, which is told it is embedded, as under ./run.sh (the header's chip shows):
                // a host that embeds it cannot run under WebApplicationFactory, which takes the first app built.
                await using var emulator = await TurboDiffusionEmulatorServer.StartAsync(new EmulatorOptions(), cancellationToken);
                await using var studio = new EmbeddedEmulatorHost(emulator, new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["TurboDiffusion:BaseUrl"] = emulator.ApiBaseUri.ToString(),
                    ["I2VStudio:RenderMode"] = mode,
                    ["Workspace:DataDirectory"] = workspace,
                    ["Logging:LogLevel:Default"] = "Warning",
                });
                studio.Start();
                using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true, UseCookies = false }) { BaseAddress = studio.BaseUri };
                fullSheet ??= (await client.GetStringAsync(FullSheetPath, cancellationToken)).TrimStart('\uFEFF');

                var unknown = new Dictionary<string, Guid[]>(StringComparer.OrdinalIgnoreCase)
                {
                    ["ProjectId"] = [Guid.NewGuid()], ["SceneId"] = [Guid.NewGuid()], ["ShotId"] = [Guid.NewGuid()],
                };
                pages.AddRange(await RenderEveryPageAsync(client, mode + ", empty workspace", unknown, cancellationToken));
                var seeded = await SeedAsync(studio.Services, cancellationToken);
                pages.AddRange(await RenderEveryPageAsync(client, mode + ", seeded workspace", seeded, cancellationToken));
                foreach (var href in pages.SelectMany(page => InlineSheetAddress().Matches(page.Html)).Select(m => m.Groups["href"].Value).Distinct(StringComparer.Ordinal))
                {
                    if (!servedSheets.ContainsKey(href)) servedSheets[href] = (await client.GetStringAsync(href, cancellationToken)).TrimStart('\uFEFF');
                }
            }
            finally
            {
                if (Directory.Exists(workspace)) Directory.Delete(workspace, recursive: true);
            }
        }

        return new PrerenderedSite(pages, fullSheet ?? throw new InvalidOperationException("No host served " + FullSheetPath), servedSheets);
    }

    private static async Task<List<PrerenderedPage>> RenderEveryPageAsync(
        HttpClient client, string variant, IReadOnlyDictionary<string, Guid[]> ids, CancellationToken cancellationToken)
    {
        var pages = new List<PrerenderedPage>();
        foreach (var template in RouteTemplates())
        {
            foreach (var url in Urls(template, ids))
            {
                foreach (var language in Languages)
                {
                    foreach (var theme in Themes)
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, url);
                        request.Headers.AcceptLanguage.ParseAdd(language);
                        request.Headers.Add("Cookie", $"{Preferences.ThemeCookie}={theme}");
                        using var response = await client.SendAsync(request, cancellationToken);
                        var html = await response.Content.ReadAsStringAsync(cancellationToken);
                        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound) || !html.Contains("<html", StringComparison.OrdinalIgnoreCase))
                        {
                            throw new InvalidOperationException($"{url} ({variant}, {language}, {theme}) answered {(int)response.StatusCode} without a page: {html[..Math.Min(html.Length, 500)]}");
                        }

                        pages.Add(new PrerenderedPage(template, url, $"{variant}, {language}, {theme}", response.StatusCode, html));
                    }
                }
            }
        }

        return pages;
    }

    /// <summary>The addresses of <paramref name="template"/> with every parameter filled from <paramref name="ids"/>.</summary>
    private static IEnumerable<string> Urls(string template, IReadOnlyDictionary<string, Guid[]> ids)
    {
        IEnumerable<string> urls = [template.TrimStart('/')];
        foreach (Match parameter in RouteParameter().Matches(template))
        {
            var name = parameter.Groups["name"].Value;
            if (!ids.TryGetValue(name, out var values))
            {
                throw new InvalidOperationException(
                    $"The page '{template}' takes {{{name}}}, for which {nameof(CriticalCssGenerator)} has no value: seed one in SeedAsync and add it to the ids.");
            }

            urls = urls.SelectMany(url => values.Select(value => url.Replace(parameter.Value, value.ToString(), StringComparison.Ordinal))).ToList();
        }

        return urls;
    }

    /// <summary>A workspace with one of everything the pages show.</summary>
    private static async Task<Dictionary<string, Guid[]>> SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var projects = services.GetRequiredService<ProjectService>();
        var store = services.GetRequiredService<AssetStore>();
        var project = await projects.CreateProjectAsync("Harbour", cancellationToken);
        await projects.ImportNovelAsync(project.Id, "Chapter 1 The harbour\nA boat leaves at dawn.\n---\nThe storm comes.\nChapter 2 The lighthouse\nA lamp turns.\n", "Prologue", cancellationToken);
        await projects.CreateProjectAsync("Empty project", cancellationToken);
        var scene = (await projects.GetTreeAsync(project.Id, cancellationToken)).Chapters[0].Scenes[0];
        await projects.AddShotAsync(scene.Id, "The lantern swings.", cancellationToken);

        var image = (await store.AddFileAsync(new MemoryStream(Pngs.Gradient(64, 48)), "harbour.png", cancellationToken)).Asset;
        var chosen = (await store.AddFileAsync(new MemoryStream(Mp4Header(1)), "take-1.mp4", cancellationToken)).Asset;
        var rejected = (await store.AddFileAsync(new MemoryStream(Mp4Header(2)), "take-2.mp4", cancellationToken)).Asset;
        await store.AddPromptTemplateAsync("Slow push", "The camera pushes in slowly.", cancellationToken);

        List<Shot> shots;
        await using (var db = await services.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            shots = await db.Shots.Where(s => s.SceneId == scene.Id).OrderBy(s => s.Order).ToListAsync(cancellationToken);
            var takes = new[]
            {
                new Take { ShotId = shots[0].Id, VideoAssetId = chosen.Id, Seed = 7, NumSteps = 4, PromptSent = shots[0].Prompt, JobId = "job-7", Phase = "Succeeded", Rating = 5 },
                new Take { ShotId = shots[0].Id, VideoAssetId = rejected.Id, Seed = 8, NumSteps = 4, PromptSent = shots[0].Prompt, JobId = "job-8", Phase = "Succeeded", Rejected = true },
                new Take { ShotId = shots[0].Id, Seed = 9, NumSteps = 4, PromptSent = shots[0].Prompt, JobId = "job-9", Phase = "Failed", Error = "CUDA out of memory" },
            };
            db.Takes.AddRange(takes);
            shots[0].SourceImageAssetId = image.Id;
            await db.SaveChangesAsync(cancellationToken);
            shots[0].ChosenTakeId = takes[0].Id;
            await db.SaveChangesAsync(cancellationToken);
        }

        return new Dictionary<string, Guid[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["ProjectId"] = [project.Id],
            ["SceneId"] = [scene.Id],
            // The first shot has a source image and takes; the second has neither (its empty states).
            ["ShotId"] = shots.Select(s => s.Id).ToArray(),
        };
    }

    /// <summary>The first bytes of an MP4 (the asset store judges by them; no page decodes the video).</summary>
    private static byte[] Mp4Header(byte variant) =>
        [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0, (byte)'i', (byte)'s', (byte)'o', (byte)'m', (byte)'m', (byte)'p', (byte)'4', variant];

    /// <summary>The host with <see cref="BackendInfo.IsEmulator"/> set, as when it embeds the emulator.</summary>
    private sealed class EmbeddedEmulatorHost(RunningEmulator emulator, IReadOnlyDictionary<string, string?> settings) : StudioHostFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(new BackendInfo(emulator.ApiBaseUri, IsEmulator: true, emulator.StorageBaseUri)));
        }
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("<style data-href=\"(?<href>[^\"]+)\">")]
    private static partial Regex InlineSheetAddress();
}
