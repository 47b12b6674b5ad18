using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Notifications.Dispatch;

/// <summary>Runs <see cref="OutboxDispatcher"/> for the life of the host: send slots that each claim the next due message as they free up.</summary>
public sealed partial class OutboxDispatcherService(
    OutboxDispatcher dispatcher,
    OutboxWakeSignal wakeSignal,
    IOptions<NotificationOptions> options,
    ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            LogDisabled();
            return;
        }

        await dispatcher.RunAsync(wakeSignal, stoppingToken);
    }

    [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "The outbox dispatcher is disabled (Ciba:Notifications:DispatcherEnabled); this node sends no messages.")]
    private partial void LogDisabled();
}
