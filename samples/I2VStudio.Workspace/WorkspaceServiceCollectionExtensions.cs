using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Batches;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Services;
using I2VStudio.Workspace.Takes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace I2VStudio.Workspace;

/// <summary>Registers the workspace.</summary>
public static class WorkspaceServiceCollectionExtensions
{
    /// <summary>Adds the workspace: options (section <c>Workspace</c>, <c>ConnectionStrings:Workspace</c> for PostgreSQL),
    /// the database (migrated at start), the asset store and the project services.</summary>
    public static IServiceCollection AddI2VWorkspace(this IServiceCollection services, IConfiguration configuration, Action<WorkspaceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // One random name per process (per registration), used when none is configured on PostgreSQL.
        var processHostId = Guid.NewGuid().ToString("N");
        var options = services.AddOptions<WorkspaceOptions>()
            .Bind(configuration.GetSection(WorkspaceOptions.Section))
            .Configure(o => o.PostgresConnectionString ??= configuration.GetConnectionString("Workspace"))
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Workspace:DataDirectory must name a folder.")
            .Validate(o => TurboDiffusion.Client.Jobs.I2V.I2VParams.IsHalfSecondStep(o.MaxDurationSeconds), "Workspace:MaxDurationSeconds must be a multiple of 0.5 s.")
            .Validate(o => TurboDiffusion.Client.Jobs.I2V.I2VParams.IsHalfSecondStep(o.DefaultDurationSeconds), "Workspace:DefaultDurationSeconds must be a multiple of 0.5 s.")
            .Validate(o => o.TakeLease >= 2 * o.TakeLeaseRenewal, "Workspace:TakeLease must be at least twice Workspace:TakeLeaseRenewal.")
            .ValidateOnStart();
        if (configure is not null) options.Configure(configure);
        options.PostConfigure(o =>
        {
            if (string.IsNullOrWhiteSpace(o.HostId)) o.HostId = o.UsesPostgres ? processHostId : "local";
        });

        services.TryAddSingleton(TimeProvider.System);
        // Both providers are registered; the factory below picks one from the options, so tests and hosts switch by
        // configuration alone.
        services.AddDbContextFactory<SqliteWorkspaceDbContext>((sp, db) =>
            db.UseSqlite($"Data Source={sp.GetRequiredService<IOptions<WorkspaceOptions>>().Value.SqliteFile}"));
        services.AddDbContextFactory<PostgresWorkspaceDbContext>((sp, db) =>
            db.UseNpgsql(sp.GetRequiredService<IOptions<WorkspaceOptions>>().Value.PostgresConnectionString));
        services.TryAddSingleton<IDbContextFactory<WorkspaceDbContext>, WorkspaceDbContextFactory>();
        services.TryAddSingleton<ProjectService>();
        services.TryAddSingleton<AssetStore>();
        services.TryAddSingleton<SubmittedImageRecorder>();
        services.TryAddSingleton<TakeService>();
        // Migrations first (hosted services start in order), then the take tracker, which reads the database.
        services.AddHostedService<WorkspaceMigrator>();
        services.AddHttpClient(TakeRunner.CaptureClient, client => client.Timeout = TimeSpan.FromMinutes(5));
        services.TryAddSingleton<TakeRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<TakeRunner>());
        services.TryAddSingleton<BatchService>();
        services.TryAddSingleton<Export.SceneExporter>();
        services.TryAddSingleton<ITakeSubmitter>(sp => sp.GetRequiredService<TakeRunner>());
        services.AddHostedService<BatchRunner>();
        return services;
    }
}

/// <summary>Opens the configured provider's context as the common <see cref="WorkspaceDbContext"/>.</summary>
internal sealed class WorkspaceDbContextFactory(
    IOptions<WorkspaceOptions> options,
    IDbContextFactory<SqliteWorkspaceDbContext> sqlite,
    IDbContextFactory<PostgresWorkspaceDbContext> postgres) : IDbContextFactory<WorkspaceDbContext>
{
    public WorkspaceDbContext CreateDbContext() =>
        options.Value.UsesPostgres ? postgres.CreateDbContext() : sqlite.CreateDbContext();
}

/// <summary>Applies the provider's migrations before the host serves requests (creating the SQLite file and the data
/// folder on first start).</summary>
internal sealed class WorkspaceMigrator(IOptions<WorkspaceOptions> options, IDbContextFactory<WorkspaceDbContext> contexts) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Value.DataDirectory);
        Directory.CreateDirectory(options.Value.AssetDirectory);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
