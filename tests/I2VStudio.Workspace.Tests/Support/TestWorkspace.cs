using I2VStudio.Workspace;
using I2VStudio.Workspace.Assets;
using I2VStudio.Workspace.Data;
using I2VStudio.Workspace.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace I2VStudio.Workspace.Tests.Support;

/// <summary>Which database a test class runs against.</summary>
public enum TestProvider
{
    /// <summary>A SQLite file in a temporary folder (always).</summary>
    Sqlite,

    /// <summary>A fresh database on the server named by <c>I2V_TEST_POSTGRES</c> (skipped when unset).</summary>
    Postgres,
}

/// <summary>A workspace on a fresh database, migrated the way the host does it (the hosted migrator), with a fake clock.
/// PostgreSQL gets a database of its own per test, dropped at the end.</summary>
public sealed class TestWorkspace : IAsyncDisposable
{
    /// <summary>The environment variable with the PostgreSQL connection string.</summary>
    public const string PostgresVariable = "I2V_TEST_POSTGRES";

    private readonly ServiceProvider services;
    private readonly string? connection;
    // The first host made the database and folder and removes them; another host on them only stops.
    private readonly bool ownsData;

    private TestWorkspace(ServiceProvider services, string folder, string? connection, bool ownsData)
    {
        this.services = services;
        Folder = folder;
        this.connection = connection;
        this.ownsData = ownsData;
    }

    /// <summary>The data folder (SQLite file and asset bytes).</summary>
    public string Folder { get; }

    /// <summary>The clock the services read.</summary>
    public FakeTimeProvider Time => (FakeTimeProvider)services.GetRequiredService<TimeProvider>();

    /// <summary>Projects.</summary>
    public ProjectService Projects => services.GetRequiredService<ProjectService>();

    /// <summary>Assets.</summary>
    public AssetStore Assets => services.GetRequiredService<AssetStore>();

    /// <summary>The services (for a second host on the same database, <see cref="StartHostAsync"/>).</summary>
    public IServiceProvider Services => services;

    /// <summary>A new context on the workspace database.</summary>
    public WorkspaceDbContext OpenDb() => services.GetRequiredService<IDbContextFactory<WorkspaceDbContext>>().CreateDbContext();

    /// <summary>Starts a workspace; skips the test when <paramref name="provider"/> is PostgreSQL and none is configured.
    /// <paramref name="configure"/> adds to or replaces the registrations (e.g. a recorded backend).</summary>
    public static async Task<TestWorkspace> StartAsync(TestProvider provider, CancellationToken cancellationToken,
        Action<IServiceCollection>? configure = null)
    {
        string? connection = null;
        if (provider == TestProvider.Postgres)
        {
            var server = Environment.GetEnvironmentVariable(PostgresVariable);
            Assert.SkipWhen(string.IsNullOrWhiteSpace(server), $"{PostgresVariable} is not set (./test.sh sets it).");
            connection = new NpgsqlConnectionStringBuilder(server) { Database = $"i2v_test_{Guid.NewGuid():N}" }.ConnectionString;
        }
        var folder = Path.Combine(Path.GetTempPath(), "i2v-workspace-tests", Guid.NewGuid().ToString("N")[..12]);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        return new TestWorkspace(await StartServicesAsync(folder, connection, time, configure, cancellationToken), folder, connection, ownsData: true);
    }

    /// <summary>Another host on this workspace's database and folder, on the same clock (its own services, backend
    /// client and take runner). Disposing it stops it; the database stays with this workspace.</summary>
    public async Task<TestWorkspace> StartHostAsync(CancellationToken cancellationToken, Action<IServiceCollection>? configure = null) =>
        new(await StartServicesAsync(Folder, connection, Time, configure, cancellationToken), Folder, connection, ownsData: false);

    private static async Task<ServiceProvider> StartServicesAsync(string folder, string? connection, FakeTimeProvider time,
        Action<IServiceCollection>? configure, CancellationToken cancellationToken)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddLogging();
        // The take runner's tracker needs a backend address; these tests never reach it.
        collection.AddTurboDiffusionClient(configure: o => o.BaseUrl = new Uri("http://127.0.0.1:9/"));
        collection.AddI2VWorkspace(new ConfigurationBuilder().Build(), o =>
        {
            o.DataDirectory = folder;
            o.PostgresConnectionString = connection;
            o.MaxAssetBytes = 1024 * 1024;
        });
        configure?.Invoke(collection);
        var provider2 = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        // The batch runner is driven by the tests themselves (TickAsync), with their own submitters.
        foreach (var hosted in provider2.GetServices<IHostedService>().Where(h => h is not I2VStudio.Workspace.Batches.BatchRunner))
        {
            await hosted.StartAsync(cancellationToken);
        }
        return provider2;
    }

    /// <summary>Takes.</summary>
    public I2VStudio.Workspace.Takes.TakeService Takes => services.GetRequiredService<I2VStudio.Workspace.Takes.TakeService>();

    /// <summary>The host-side take runner.</summary>
    public I2VStudio.Workspace.Takes.TakeRunner Runner => services.GetRequiredService<I2VStudio.Workspace.Takes.TakeRunner>();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in services.GetServices<IHostedService>().Where(h => h is not I2VStudio.Workspace.Batches.BatchRunner).Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
        if (!ownsData)
        {
            await services.DisposeAsync();
            return;
        }
        await using (var db = OpenDb())
        {
            if (db.Database.IsNpgsql()) await db.Database.EnsureDeletedAsync();
        }
        await services.DisposeAsync();
        SqliteCleanup();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static void SqliteCleanup() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
