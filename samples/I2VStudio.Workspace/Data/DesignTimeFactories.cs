using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace I2VStudio.Workspace.Data;

// Used only by `dotnet ef migrations add` (see the README, "Where the data is"); the connection strings are never opened.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteWorkspaceDbContext>
{
    public SqliteWorkspaceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteWorkspaceDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresWorkspaceDbContext>
{
    public PostgresWorkspaceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresWorkspaceDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
