using I2VStudio.Workspace.Model;
using Microsoft.EntityFrameworkCore;

namespace I2VStudio.Workspace.Data;

/// <summary>The workspace's tables. Abstract: each provider has its own subclass, so each keeps its own migrations
/// (<see cref="SqliteWorkspaceDbContext"/>, <see cref="PostgresWorkspaceDbContext"/>).</summary>
public abstract class WorkspaceDbContext : DbContext
{
    /// <summary>Creates the context.</summary>
    protected WorkspaceDbContext(DbContextOptions options) : base(options)
    {
    }

    /// <summary>Projects.</summary>
    public DbSet<Project> Projects => Set<Project>();

    /// <summary>Chapters.</summary>
    public DbSet<Chapter> Chapters => Set<Chapter>();

    /// <summary>Scenes.</summary>
    public DbSet<Scene> Scenes => Set<Scene>();

    /// <summary>Shots.</summary>
    public DbSet<Shot> Shots => Set<Shot>();

    /// <summary>Takes.</summary>
    public DbSet<Take> Takes => Set<Take>();

    /// <summary>Assets.</summary>
    public DbSet<Asset> Assets => Set<Asset>();

    /// <summary>Batches.</summary>
    public DbSet<Batch> Batches => Set<Batch>();

    /// <summary>Batch items.</summary>
    public DbSet<BatchItem> BatchItems => Set<BatchItem>();

    /// <summary>The host-side tracker's job records of takes.</summary>
    public DbSet<TakeJobRecord> TakeJobs => Set<TakeJobRecord>();

    /// <inheritdoc />
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc />
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // The token is a plain counter (portable: SQLite has no rowversion). EF compares the original value in the UPDATE's
    // WHERE, so a save from a stale copy matches no row and throws DbUpdateConcurrencyException.
    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            if (entry.State == EntityState.Modified) entry.Entity.Version++;
        }
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<Project>(project =>
        {
            project.Property(p => p.Name).HasMaxLength(WorkspaceLimits.NameLength);
            project.Property(p => p.StylePrefix).HasMaxLength(WorkspaceLimits.StyleLength);
            project.Property(p => p.StyleSuffix).HasMaxLength(WorkspaceLimits.StyleLength);
            project.Property(p => p.Version).IsConcurrencyToken();
            project.HasIndex(p => p.Name);
            project.HasMany(p => p.Chapters).WithOne().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
            project.HasQueryFilter(p => p.DeletedAt == null);
        });
        modelBuilder.Entity<Chapter>(chapter =>
        {
            chapter.Property(c => c.Title).HasMaxLength(WorkspaceLimits.NameLength);
            chapter.Property(c => c.Version).IsConcurrencyToken();
            chapter.HasIndex(c => new { c.ProjectId, c.Order });
            chapter.HasMany(c => c.Scenes).WithOne().HasForeignKey(s => s.ChapterId).OnDelete(DeleteBehavior.Cascade);
            chapter.HasQueryFilter(c => c.DeletedAt == null);
        });
        modelBuilder.Entity<Scene>(scene =>
        {
            scene.Property(s => s.Title).HasMaxLength(WorkspaceLimits.NameLength);
            scene.Property(s => s.Version).IsConcurrencyToken();
            scene.HasIndex(s => new { s.ChapterId, s.Order });
            scene.HasMany(s => s.Shots).WithOne().HasForeignKey(s => s.SceneId).OnDelete(DeleteBehavior.Cascade);
            scene.HasQueryFilter(s => s.DeletedAt == null);
        });
        modelBuilder.Entity<Shot>(shot =>
        {
            shot.Property(s => s.Prompt).HasMaxLength(WorkspaceLimits.PromptLength);
            shot.Property(s => s.Version).IsConcurrencyToken();
            shot.HasIndex(s => new { s.SceneId, s.Order });
            shot.HasIndex(s => s.SourceImageAssetId);
            shot.HasOne<Asset>().WithMany().HasForeignKey(s => s.SourceImageAssetId).OnDelete(DeleteBehavior.Restrict);
            shot.HasMany(s => s.Takes).WithOne().HasForeignKey(t => t.ShotId).OnDelete(DeleteBehavior.Cascade);
            shot.HasQueryFilter(s => s.DeletedAt == null);
        });
        modelBuilder.Entity<Take>(take =>
        {
            take.Property(t => t.JobId).HasMaxLength(200);
            take.Property(t => t.Phase).HasMaxLength(40);
            take.Property(t => t.Version).IsConcurrencyToken();
            take.HasIndex(t => t.JobId);
            take.HasIndex(t => t.VideoAssetId);
            take.HasOne<Asset>().WithMany().HasForeignKey(t => t.VideoAssetId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Batch>(batch =>
        {
            batch.Property(b => b.Title).HasMaxLength(WorkspaceLimits.NameLength);
            batch.HasMany(b => b.Items).WithOne().HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Cascade);
            batch.HasIndex(b => b.ProjectId);
        });
        modelBuilder.Entity<BatchItem>(item =>
        {
            item.Property(i => i.State).HasConversion<string>().HasMaxLength(20);
            item.Property(i => i.ClaimedBy).HasMaxLength(64);
            item.HasIndex(i => new { i.BatchId, i.State, i.Order });
        });
        modelBuilder.Entity<TakeJobRecord>(job =>
        {
            job.Property(j => j.Id).HasMaxLength(64);
            job.Property(j => j.TrackedBy).HasMaxLength(WorkspaceOptions.HostIdLength);
            job.HasIndex(j => j.TakeId);
            job.HasIndex(j => j.LeaseUntil);
        });
        modelBuilder.Entity<Asset>(asset =>
        {
            asset.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
            asset.Property(a => a.Name).HasMaxLength(WorkspaceLimits.NameLength);
            asset.Property(a => a.Sha256).HasMaxLength(64);
            asset.Property(a => a.ContentType).HasMaxLength(100);
            asset.Property(a => a.Path).HasMaxLength(300);
            asset.HasIndex(a => a.Sha256).IsUnique();
            asset.HasIndex(a => new { a.Kind, a.CreatedAt });
        });
    }
}

/// <summary>The SQLite flavour (the default: a file under the host's data folder).</summary>
public sealed class SqliteWorkspaceDbContext(DbContextOptions<SqliteWorkspaceDbContext> options) : WorkspaceDbContext(options);

/// <summary>The PostgreSQL flavour (several hosts sharing one workspace).</summary>
public sealed class PostgresWorkspaceDbContext(DbContextOptions<PostgresWorkspaceDbContext> options) : WorkspaceDbContext(options);
