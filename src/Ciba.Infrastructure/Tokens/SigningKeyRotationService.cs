using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ciba.Infrastructure.Tokens;

/// <summary>
/// The scheduled rotation (ADR 0015): every <see cref="SigningKeyOptions.CheckInterval"/>, each
/// organization whose key is older than <see cref="SigningKeyOptions.RotateAfter"/> gets a new one.
/// Every node may run it; the ring's per-organization lock makes one key per rotation.
/// </summary>
public sealed partial class SigningKeyRotationService(
    SigningKeyRing ring, IOptions<SigningKeyOptions> options, TimeProvider time, ILogger<SigningKeyRotationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScheduleEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CheckInterval, time, stoppingToken);
                var rotated = await ring.RotateDueKeysAsync(stoppingToken);
                if (rotated > 0)
                {
                    LogRotated(logger, rotated);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or System.Security.Cryptography.CryptographicException or TimeoutException)
            {
                LogFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Scheduled rotation gave {Count} organization(s) a new signing key.")]
    private static partial void LogRotated(ILogger logger, int count);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Scheduled signing-key rotation failed; it runs again at the next check.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
