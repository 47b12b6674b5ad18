using Ciba.Application.Callbacks;
using Ciba.Infrastructure.Notifications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Callbacks;

/// <summary>
/// Ends ping and push requests that expired undecided (docs/decisions/0024-ping-and-push-callbacks.md):
/// a push client gets the <c>expired_token</c> error payload through the outbox, and the callback
/// details are forgotten. Every node sweeps; <c>FOR UPDATE SKIP LOCKED</c> gives each expired
/// request to one of them, and the payload is written in the transaction that forgets the details.
/// </summary>
public sealed class CallbackExpirySweeper(IServiceScopeFactory scopes, TimeProvider time)
{
    private const int BatchSize = 100;

    /// <summary>Sweeps one batch; returns how many requests it ended.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var callbacks = scope.ServiceProvider.GetRequiredService<BackchannelCallbacks>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var expired = await db.BackchannelRequests.FromSql($"""
            SELECT *, xmin FROM "BackchannelRequests"
            WHERE "ProtectedCallback" IS NOT NULL AND "Status" = 0 AND "ExpiresAt" <= {now}
            ORDER BY "ExpiresAt"
            LIMIT {BatchSize}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        foreach (var request in expired.Where(r => r.HasExpiredCallback(now)))
        {
            callbacks.EnqueueOnExpiry(request, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return expired.Count;
    }
}

/// <summary>Runs the expiry sweep every <see cref="NotificationOptions.CallbackSweepInterval"/> while the outbox dispatcher runs.</summary>
public sealed partial class CallbackExpiryService(
    CallbackExpirySweeper sweeper, IOptions<NotificationOptions> options, ILogger<CallbackExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await sweeper.SweepOnceAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(exception);
            }

            try
            {
                await Task.Delay(options.Value.CallbackSweepInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 5120, Level = LogLevel.Warning, Message = "The expiry sweep of ping and push requests failed; trying again shortly.")]
    private partial void LogSweepFailed(Exception exception);
}
