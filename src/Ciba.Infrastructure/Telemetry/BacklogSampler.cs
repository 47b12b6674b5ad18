using Ciba.Application.Common.Telemetry;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Telemetry;

/// <summary>
/// While metrics are on, counts the pending auth requests and the outbox backlog every
/// <see cref="TelemetryOptions.MetricsSettings.SampleInterval"/> (two indexed queries) and hands the
/// numbers to <see cref="CibaMetrics"/>' gauges, so a scrape never waits for the database.
/// </summary>
public sealed partial class BacklogSampler(
    IServiceScopeFactory scopes,
    CibaMetrics metrics,
    IOptions<TelemetryOptions> options,
    TimeProvider time,
    ILogger<BacklogSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Metrics;
        if (!settings.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.SampleInterval, time);
        do
        {
            try
            {
                metrics.RecordBacklog(await SampleAsync(stoppingToken));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(exception);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public async Task<BacklogSample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var now = time.GetUtcNow();
        var pending = await db.BackchannelRequests.AsNoTracking()
            .CountAsync(r => r.Status == BackchannelRequestStatus.Pending && r.ExpiresAt > now, cancellationToken);
        var due = await db.OutgoingMessages.AsNoTracking()
            .Where(m => m.Status == DeliveryStatus.Pending && m.NextAttemptAt <= now)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.LongCount(), Oldest = g.Min(m => m.NextAttemptAt) })
            .SingleOrDefaultAsync(cancellationToken);
        return due is null
            ? new BacklogSample(pending, 0, TimeSpan.Zero)
            : new BacklogSample(pending, due.Count, now - due.Oldest);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "The backlog gauges could not be sampled; they keep their last values.")]
    private partial void LogSampleFailed(Exception exception);
}
