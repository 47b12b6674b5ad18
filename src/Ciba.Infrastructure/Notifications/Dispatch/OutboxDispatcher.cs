using System.Collections.Concurrent;
using System.Security.Cryptography;
using Ciba.Application.Common.Telemetry;
using Ciba.Application.Notifications;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Ciba.Infrastructure.Notifications.Dispatch;

/// <summary>
/// Sends due outbox messages. A batch is claimed in one short statement with
/// <c>FOR UPDATE SKIP LOCKED</c> that pushes each row's <c>NextAttemptAt</c> to a lease deadline, so
/// no other node sees it while this one sends. Each outcome is then recorded under the row lock,
/// and only if this node still holds the lease. A node that dies mid-batch loses nothing: its
/// messages become due again when the lease runs out (at-least-once for that crash window only).
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    INotificationContentProtector contentProtector,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    CibaMetrics metrics,
    ILogger<OutboxDispatcher> logger)
{
    private const string ClaimSql = """
        WITH due AS MATERIALIZED (
            SELECT "Id" FROM "OutgoingMessages"
            WHERE "Status" = 0 AND "NextAttemptAt" <= @now
            ORDER BY "NextAttemptAt"
            LIMIT @batch_size
            FOR UPDATE SKIP LOCKED)
        UPDATE "OutgoingMessages" AS m
        SET "NextAttemptAt" = @lease_until
        FROM due
        WHERE m."Id" = due."Id"
        RETURNING m."Id"
        """;

    private const string ReleaseSql = """
        UPDATE "OutgoingMessages"
        SET "NextAttemptAt" = @now
        WHERE "Id" = ANY(@ids) AND "Status" = 0 AND "NextAttemptAt" = @lease_until
        """;

    private readonly NotificationOptions _options = options.Value;

    /// <summary>
    /// Claims one batch of due messages and sends them. Returns how many were claimed. Once
    /// <paramref name="cancellationToken"/> fires no further send starts and unstarted claims are
    /// released; sends already under way finish (bounded by the provider timeout) and are recorded.
    /// </summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var leaseUntil = TruncateToMicroseconds(now + _options.ClaimLease);
        var claimed = await ClaimAsync(now, leaseUntil, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var unstarted = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(
            claimed,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelSends },
            async (id, _) =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    unstarted.Add(id);
                    return;
                }

                await ProcessAsync(id, leaseUntil);
            });

        if (!unstarted.IsEmpty)
        {
            await ReleaseAsync([.. unstarted], leaseUntil);
        }

        return claimed.Count;
    }

    private async Task<List<Guid>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(ClaimSql, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = now });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("lease_until", NpgsqlDbType.TimestampTz) { TypedValue = leaseUntil });
            command.Parameters.Add(new NpgsqlParameter<int>("batch_size", NpgsqlDbType.Integer) { TypedValue = _options.BatchSize });
            var ids = new List<Guid>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
            }

            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task ReleaseAsync(Guid[] ids, DateTimeOffset leaseUntil)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = new NpgsqlCommand(ReleaseSql, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = time.GetUtcNow() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("lease_until", NpgsqlDbType.TimestampTz) { TypedValue = leaseUntil });
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = ids });
            var released = await command.ExecuteNonQueryAsync();
            LogReleased(released);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // Sending and recording deliberately ignore the stopping token: a send that has started is
    // finished (the provider timeout bounds it) and recorded, so shutdown neither loses nor repeats it.
    private async Task ProcessAsync(Guid id, DateTimeOffset leaseUntil)
    {
        try
        {
            OutgoingMessage? message;
            await using (var scope = scopes.CreateAsyncScope())
            {
                message = await scope.ServiceProvider.GetRequiredService<CibaDbContext>().OutgoingMessages.AsNoTracking()
                    .SingleOrDefaultAsync(m => m.Id == id);
            }

            if (message is null || !IsHeldBy(message, leaseUntil))
            {
                return;
            }

            var now = time.GetUtcNow();
            if (message.IsWorthless(now))
            {
                var recipient = Masked(message);
                await RecordAsync(id, leaseUntil, (m, at) => m.MarkSkipped("The request expired before the message was sent.", at));
                metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Skipped);
                LogSkipped(id, message.Channel, recipient);
                return;
            }

            var outcome = await SendAsync(message);
            await RecordAsync(id, leaseUntil, (m, at) => Apply(m, outcome, at));
        }
        catch (Exception exception)
        {
            // One broken message (or a database hiccup) must not stop the batch; this message keeps
            // its claim and is tried again when the claim runs out.
            LogProcessingFailed(exception, id);
        }
    }

    private async Task<SendOutcome> SendAsync(OutgoingMessage message)
    {
        NotificationContent content;
        try
        {
            content = contentProtector.Unprotect(message.ProtectedContent!);
        }
        catch (CryptographicException)
        {
            return SendOutcome.Permanent("The message content cannot be decrypted.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<INotificationSender>();
        var delivery = new NotificationDelivery(
            message.Id, message.OrganizationId, message.Channel, message.Recipient, content, IsTest: message.BackchannelRequestId is null);
        return await sender.SendAsync(delivery, CancellationToken.None);
    }

    private void Apply(OutgoingMessage message, SendOutcome outcome, DateTimeOffset now)
    {
        var recipient = Masked(message);
        switch (outcome.Kind)
        {
            case SendOutcomeKind.Sent:
                message.MarkSent(outcome.ProviderMessageId, now);
                metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Sent);
                LogSent(message.Id, message.Channel, recipient, message.Attempts, outcome.ProviderMessageId);
                break;
            case SendOutcomeKind.Permanent:
                message.MarkFailed(outcome.Error ?? "Permanent failure.", now);
                metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Failed);
                LogFailed(message.Id, message.Channel, recipient, message.Attempts, message.LastError);
                break;
            default:
                var error = outcome.Error ?? "Transient failure.";
                var attempts = message.Attempts + 1;
                var nextAttemptAt = now + _options.BackoffAfter(attempts);
                if (attempts >= _options.MaxAttempts)
                {
                    message.MarkFailed($"Gave up after {attempts} attempts. {error}", now);
                    metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Failed);
                    LogFailed(message.Id, message.Channel, recipient, message.Attempts, message.LastError);
                }
                else if (message.NotAfter is { } notAfter && nextAttemptAt >= notAfter)
                {
                    message.MarkFailed($"{error} Not retried: the request expires before the next attempt.", now);
                    metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Failed);
                    LogFailed(message.Id, message.Channel, recipient, message.Attempts, message.LastError);
                }
                else
                {
                    message.ScheduleRetry(error, nextAttemptAt, now);
                    metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Retry);
                    LogRetryScheduled(message.Id, message.Channel, recipient, message.Attempts, nextAttemptAt, error);
                }

                break;
        }
    }

    private async Task RecordAsync(Guid id, DateTimeOffset leaseUntil, Action<OutgoingMessage, DateTimeOffset> record)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var rows = await db.OutgoingMessages
            .FromSql($"""SELECT * FROM "OutgoingMessages" WHERE "Id" = {id} FOR UPDATE""")
            .ToListAsync();
        var message = rows.SingleOrDefault();
        if (message is null || !IsHeldBy(message, leaseUntil))
        {
            LogLeaseLost(id);
            return;
        }

        record(message, time.GetUtcNow());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private static bool IsHeldBy(OutgoingMessage message, DateTimeOffset leaseUntil) =>
        message.Status == DeliveryStatus.Pending && message.NextAttemptAt == leaseUntil;

    private static string ChannelName(MessageChannel channel) => channel == MessageChannel.Email ? "email" : "sms";

    private static string Masked(OutgoingMessage message) => RecipientMasking.Mask(message.Channel, message.Recipient);

    // PostgreSQL keeps microseconds; the lease is compared after a round trip, so it must survive one unchanged.
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % 10), value.Offset);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Message {MessageId} ({Channel}) to {Recipient} sent on attempt {Attempts}; provider id {ProviderMessageId}.")]
    private partial void LogSent(Guid messageId, MessageChannel channel, string recipient, int attempts, string? providerMessageId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Message {MessageId} ({Channel}) to {Recipient} failed attempt {Attempts}; next attempt at {NextAttemptAt:O}. {Error}")]
    private partial void LogRetryScheduled(Guid messageId, MessageChannel channel, string recipient, int attempts, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Message {MessageId} ({Channel}) to {Recipient} failed after {Attempts} attempts. {Error}")]
    private partial void LogFailed(Guid messageId, MessageChannel channel, string recipient, int attempts, string? error);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Message {MessageId} ({Channel}) to {Recipient} skipped: its request expired first.")]
    private partial void LogSkipped(Guid messageId, MessageChannel channel, string recipient);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Message {MessageId}: this node's claim ran out before its outcome was recorded; another node owns it now.")]
    private partial void LogLeaseLost(Guid messageId);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Error, Message = "Message {MessageId} could not be processed; it is tried again when its claim runs out.")]
    private partial void LogProcessingFailed(Exception exception, Guid messageId);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Released {Count} claimed messages on shutdown.")]
    private partial void LogReleased(int count);
}
