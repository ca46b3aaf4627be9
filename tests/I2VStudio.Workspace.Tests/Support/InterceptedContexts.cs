using I2VStudio.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace I2VStudio.Workspace.Tests.Support;

/// <summary>Contexts on the workspace's database (either provider) that run <c>interceptors</c> on their commands.</summary>
public sealed class InterceptedContexts : IDbContextFactory<WorkspaceDbContext>
{
    private readonly Func<WorkspaceDbContext> create;

    /// <param name="options">The workspace's options (which database).</param>
    /// <param name="interceptors">What the contexts' commands go through.</param>
    public InterceptedContexts(WorkspaceOptions options, params IInterceptor[] interceptors)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.UsesPostgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresWorkspaceDbContext>().UseNpgsql(options.PostgresConnectionString).AddInterceptors(interceptors).Options;
            create = () => new PostgresWorkspaceDbContext(postgres);
        }
        else
        {
            var sqlite = new DbContextOptionsBuilder<SqliteWorkspaceDbContext>().UseSqlite($"Data Source={options.SqliteFile}").AddInterceptors(interceptors).Options;
            create = () => new SqliteWorkspaceDbContext(sqlite);
        }
    }

    /// <inheritdoc />
    public WorkspaceDbContext CreateDbContext() => create();
}
