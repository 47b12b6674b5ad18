using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ciba.Infrastructure.Clients;

/// <summary>
/// Keeps <see cref="ApplicationCache"/> honest across nodes (ADR 0031): one connection of its own
/// <c>LISTEN</c>s on <see cref="Channel"/>, where a trigger on <c>"Applications"</c> notifies
/// every committed insert, update and delete; each notification empties the cache. The connection
/// is pinged every <see cref="PingInterval"/> and must answer within <see cref="PingTimeout"/>; when
/// it fails or breaks (database restart, network fault), the cache stops serving and is emptied,
/// and the listener reconnects every <see cref="RetryDelay"/>. So a node serves a cached application
/// at most <see cref="StalenessBound"/> after a change was committed.
/// </summary>
public sealed partial class ApplicationChangeListener(
    string connectionString, ApplicationCache cache, ILogger<ApplicationChangeListener> logger) : BackgroundService
{
    public const string Channel = "ciba_applications";
    public const string ApplicationName = "ciba-application-listener";

    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest a node can serve an application changed elsewhere: a ping interval plus its timeout.</summary>
    public static readonly TimeSpan StalenessBound = PingInterval + PingTimeout;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            CommandTimeout = (int)PingTimeout.TotalSeconds,
            KeepAlive = (int)PingInterval.TotalSeconds,
        };
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(builder.ConnectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is DbException or TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
            {
                cache.StopServing();
                if (failures++ == 0)
                {
                    LogLost(logger, exception);
                }
            }
            finally
            {
                cache.StopServing();
            }

            try
            {
                await Task.Delay(RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (cache.IsServing)
            {
                failures = 0;
            }
        }
    }

    private async Task ListenAsync(string connection, CancellationToken stoppingToken)
    {
        await using var listener = new NpgsqlConnection(connection);
        await listener.OpenAsync(stoppingToken);
        listener.Notification += (_, _) => cache.InvalidateAll();
        await using (var listen = new NpgsqlCommand("LISTEN " + Channel, listener))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Listening from here on: whatever changed before is forgotten.
        cache.StartServing();
        LogListening(logger);
        await using var ping = new NpgsqlCommand("SELECT 1", listener);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await listener.WaitAsync(PingInterval, stoppingToken))
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(PingTimeout);
                await ping.ExecuteScalarAsync(timeout.Token);
            }
        }
    }

    [LoggerMessage(EventId = 3180, Level = LogLevel.Information, Message = "Listening for application changes; the application cache serves.")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(EventId = 3181, Level = LogLevel.Warning, Message = "Lost the connection that listens for application changes; applications are read from the database until it is back.")]
    private static partial void LogLost(ILogger logger, Exception exception);
}
