using Ciba.Application.Common.Options;
using Ciba.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Persistence;

/// <summary>Applies migrations and, when configured, seeds the demo organization. Runs once at start.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<CibaOptions>>().Value;

        if (options.MigrateOnStartup)
        {
            await services.MigrateDatabaseAsync(cancellationToken);
        }

        if (options.SeedDemoData)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
        }
    }

    /// <summary>Applies pending migrations (at start, or by the operator's <c>migrate</c> and <c>bootstrap</c> commands).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer)).LogInformation("Database migrations applied.");
    }
}
