extern alias host;

using System.Globalization;
using Bunit;
using host::I2VStudio.Host.Hosting;
using I2VStudio.Workspace;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Model;
using I2VStudio.Workspace.Services;
using I2VStudio.Workspace.Takes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TurboDiffusion.Client;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Host.Tests.Support;

/// <summary>
/// The workspace pages under bUnit with the host's own registrations (<c>AddI2VStudio</c> + <c>AddI2VWorkspacePages</c>):
/// a fresh SQLite workspace in a temporary folder, its hosted services started (migrations, the take runner), the
/// backend played by <see cref="Backend"/> behind the real client and by <see cref="Profiles"/>, which answers only when
/// the test says so. English UI; JS interop strict except MudBlazor's own calls.
/// </summary>
public abstract class WorkspacePageContext : BunitContext, IAsyncLifetime
{
    private const string IntakeModulePath = "./_content/I2VStudio.Components/js/imageIntake.js";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "i2v-host-page-tests", Guid.NewGuid().ToString("N")[..12]);
    private List<IHostedService> _started = [];

    protected WorkspacePageContext()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        // A take goes through the database, the take runner and the client's HTTP pipeline: on a busy 2-core machine that
        // can take more than bUnit's default second.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        JSInterop.Mode = JSRuntimeMode.Strict;
        // MudBlazor's own interop is not what these tests are about.
        JSInterop.SetupVoid(i => i.Identifier.StartsWith("mud", StringComparison.Ordinal)).SetVoidResult();
        JSInterop.Setup<int>(i => i.Identifier.StartsWith("mud", StringComparison.Ordinal)).SetResult(0);
        JSInterop.Setup<bool>(i => i.Identifier.StartsWith("mud", StringComparison.Ordinal)).SetResult(false);
        // The shot editor's image panel attaches its drop / paste handler.
        var intake = JSInterop.SetupModule(IntakeModulePath);
        intake.SetupModule(i => i.Identifier == "attach").SetupVoid("detach").SetVoidResult();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TurboDiffusion:BaseUrl"] = "http://127.0.0.1:9/",
            ["TurboDiffusion:GetRetries"] = "0",
            ["Workspace:DataDirectory"] = _folder,
        }).Build();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddLogging();
        Services.AddI2VStudio(configuration);
        Services.AddI2VWorkspacePages(configuration);
        Services.AddHttpClient(TurboDiffusionServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Backend);
        Services.AddSingleton<IBackendProfileResolver>(Profiles);
    }

    /// <summary>The backend's API version: unknown (every read waits) until <see cref="GatedProfileResolver.Answer"/>.</summary>
    internal GatedProfileResolver Profiles { get; } = new();

    /// <summary>The backend's HTTP answers.</summary>
    internal FakeBackendHandler Backend { get; } = new();

    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Projects.</summary>
    protected ProjectService Projects => Services.GetRequiredService<ProjectService>();

    /// <summary>A new context on the workspace database (to store what the services would refuse, or to check).</summary>
    protected WorkspaceDbContext OpenDb() => Services.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>().CreateDbContext();

    /// <summary>A project named <paramref name="name"/> with one shot (prompt "雨夜很长。"); returns both ids.</summary>
    protected async Task<(Guid ProjectId, Guid ShotId)> ProjectWithOneShotAsync(string name)
    {
        var project = await Projects.CreateProjectAsync(name, Ct);
        await Projects.ImportNovelAsync(project.Id, "第一章 雨夜\n雨夜很长。", "序章", Ct);
        await using var db = OpenDb();
        var shot = await db.Shots.AsNoTracking().SingleAsync(Ct);
        return (project.Id, shot.Id);
    }

    /// <summary>Gives the shot a source image from Assets.</summary>
    protected async Task GiveSourceImageAsync(Guid shotId)
    {
        var upload = await Services.GetRequiredService<I2VStudio.Workspace.Assets.AssetStore>()
            .AddFileAsync(new MemoryStream(I2VStudio.Testing.Pngs.Gradient(64, 48)), "rain.png", Ct);
        await Services.GetRequiredService<TakeService>().SetSourceImageAsync(shotId, upload.Asset.Id, Ct);
    }

    /// <summary>Changes a stored row directly (values the services refuse: a limit lowered since they were saved).</summary>
    protected async Task StoreAsync<T>(Guid id, Action<T> change) where T : class
    {
        await using var db = OpenDb();
        var row = await db.Set<T>().FindAsync([id], Ct) ?? throw new InvalidOperationException($"No {typeof(T).Name} {id}.");
        change(row);
        await db.SaveChangesAsync(Ct);
    }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        // Migrations first, then the take runner; the batch runner is not needed by these pages.
        _started = [.. Services.GetServices<IHostedService>().Where(h => h is not I2VStudio.Workspace.Batches.BatchRunner)];
        foreach (var hosted in _started) await hosted.StartAsync(Ct);
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        await DisposeComponentsAsync();
        foreach (var hosted in Enumerable.Reverse(_started)) await hosted.StopAsync(CancellationToken.None);
        await base.DisposeAsyncCore();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
