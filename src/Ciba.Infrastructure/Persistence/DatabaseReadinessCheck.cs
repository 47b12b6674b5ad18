using Ciba.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ciba.Infrastructure.Persistence;

/// <summary>Ready when the database answers and has every migration applied; unready (503) during an outage.</summary>
public sealed class DatabaseReadinessCheck(CibaDbContext db, IDatabaseFailures failures) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database does not answer.");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy("Database reachable, migrations applied.")
                : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied.");
        }
        catch (Exception exception) when (failures.IsTransient(exception) || exception is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // IsTransient has cleared the pool's connections that a restart broke: the next check opens fresh ones.
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}
