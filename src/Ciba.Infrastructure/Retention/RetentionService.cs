using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Retention;

/// <summary>Runs the <see cref="RetentionPurger"/> every <see cref="RetentionOptions.Interval"/>; a failed run (a database outage) waits for the next.</summary>
public sealed partial class RetentionService(
    RetentionPurger purger, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await purger.PurgeAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogPurgeFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "The retention purge failed; it runs again at its next interval.")]
    private partial void LogPurgeFailed(Exception exception);
}
