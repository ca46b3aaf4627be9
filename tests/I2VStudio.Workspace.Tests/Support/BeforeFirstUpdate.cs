using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace I2VStudio.Workspace.Tests.Support;

/// <summary>
/// Holds the first UPDATE (a SaveChanges or an ExecuteUpdate) of the contexts it is on until <c>meanwhile</c> ran:
/// another writer's save lands between this writer's read and its write, every time, on either provider. Later
/// UPDATEs run as usual. Use with <see cref="InterceptedContexts"/>.
/// </summary>
public sealed class BeforeFirstUpdate(Func<CancellationToken, Task> meanwhile) : DbCommandInterceptor
{
    private int fired;

    /// <summary>Whether the other writer's save ran.</summary>
    public bool Fired => Volatile.Read(ref fired) == 1;

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command, cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await BeforeAsync(command, cancellationToken);
        return result;
    }

    private async Task BeforeAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (!command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)) return;
        if (Interlocked.Exchange(ref fired, 1) == 1) return;
        await meanwhile(cancellationToken);
    }
}
