using System.Net.Sockets;
using Ciba.Application.Common.Interfaces;
using Npgsql;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// A database outage, told from a bug (issue 10 item 4): the server shutting down or starting
/// (57P01, 57P02, 57P03), too many connections (53300), any connection failure (class 08), and the
/// failures Npgsql itself calls transient (a refused, reset or timed-out connection). A serialization
/// failure or a deadlock is not an outage. When it is one, the pool's idle connections (which a
/// restart has broken) are dropped, so the service recovers without a restart.
/// </summary>
internal sealed class TransientDatabaseFailures(NpgsqlDataSource dataSource) : IDatabaseFailures
{
    private static readonly HashSet<string> OutageStates =
    [
        PostgresErrorCodes.AdminShutdown,
        PostgresErrorCodes.CrashShutdown,
        PostgresErrorCodes.CannotConnectNow,
        PostgresErrorCodes.TooManyConnections,
        PostgresErrorCodes.InsufficientResources,
    ];

    public bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (!IsOutage(exception))
        {
            return false;
        }

        dataSource.Clear();
        return true;
    }

    private static bool IsOutage(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return OutageStates.Contains(postgres.SqlState) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsOutage);
                case SocketException:
                    return true;
            }
        }

        return false;
    }
}
