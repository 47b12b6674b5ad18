using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Notifications.Dispatch;

/// <summary>Runs <see cref="OutboxDispatcher"/> for the life of the host: batches back to back while there is work, then a poll (or a local wake-up).</summary>
public sealed partial class OutboxDispatcherService(
    OutboxDispatcher dispatcher,
    OutboxWakeSignal wakeSignal,
    IOptions<NotificationOptions> options,
    ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.DispatcherEnabled)
        {
            LogDisabled();
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var claimed = await dispatcher.DispatchOnceAsync(stoppingToken);
                if (claimed >= settings.BatchSize)
                {
                    continue;
                }

                wait = settings.PollInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogDispatchFailed(exception);
                wait = PauseAfterError;
            }

            try
            {
                await wakeSignal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Error, Message = "The outbox dispatcher could not claim messages; trying again shortly.")]
    private partial void LogDispatchFailed(Exception exception);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "The outbox dispatcher is disabled (Ciba:Notifications:DispatcherEnabled); this node sends no messages.")]
    private partial void LogDisabled();
}
