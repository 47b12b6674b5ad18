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
using Ciba.Domain.Audit;
using NpgsqlTypes;

namespace Ciba.Infrastructure.Notifications.Dispatch;

/// <summary>
/// Sends due outbox messages (docs/decisions/0006-outbox-claim-lease.md). A message is claimed in
/// one short statement with <c>FOR UPDATE SKIP LOCKED</c> that gives it a fresh claim token
/// (<c>ClaimId</c>) and a short lease (<c>NextAttemptAt</c>), renewed while its send and recording
/// run. Its outcome is recorded only by the holder of the token, with retries through a database
/// outage; a development inbox message is stored in that same transaction. A claim that cannot be
/// processed is given back at once. A claim that outlived its lease (its node died) is sent again if
/// its request is still live, and recorded as an orphaned claim otherwise.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    INotificationContentProtector contentProtector,
    Callbacks.ClientNotificationSender callbacks,
    ProviderGates gates,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    CibaMetrics metrics,
    ILogger<OutboxDispatcher> logger)
{
    private const string ClaimSql = """
        WITH due AS MATERIALIZED (
            SELECT "Id", "ClaimId" FROM "OutgoingMessages"
            WHERE "Status" = 0 AND "NextAttemptAt" <= @now
              AND NOT EXISTS (
                  SELECT 1 FROM unnest(@blocked_organizations, @blocked_channels) AS b(organization_id, channel)
                  WHERE b.organization_id = "OutgoingMessages"."OrganizationId" AND b.channel = "OutgoingMessages"."Channel")
            ORDER BY "NextAttemptAt"
            LIMIT @batch_size
            FOR UPDATE SKIP LOCKED)
        UPDATE "OutgoingMessages" AS m
        SET "NextAttemptAt" = @lease_until, "ClaimId" = gen_random_uuid()
        FROM due
        WHERE m."Id" = due."Id"
        RETURNING m."Id", m."ClaimId", due."ClaimId" IS NOT NULL
        """;

    private const string RenewSql = """
        UPDATE "OutgoingMessages" SET "NextAttemptAt" = @lease_until
        WHERE "Id" = @id AND "ClaimId" = @claim_id AND "Status" = 0
        """;

    private const string ReleaseSql = """
        UPDATE "OutgoingMessages" SET "NextAttemptAt" = @at, "ClaimId" = NULL
        WHERE "Id" = @id AND "ClaimId" = @claim_id AND "Status" = 0
        """;

    private readonly NotificationOptions _options = options.Value;

    /// <summary>A claimed message: its id, this claim's token, and whether an earlier claim ran out unrecorded.</summary>
    public sealed record Claim(Guid Id, Guid ClaimId, bool Orphaned);

    /// <summary>
    /// A test hook between the send and the recording of its outcome (fault-injection tests: a
    /// database outage or a dead node in that window). Never set in production.
    /// </summary>
    public Func<Guid, Task>? BeforeRecording { get; set; }

    /// <summary>
    /// Claims up to <see cref="NotificationOptions.BatchSize"/> due messages and sends them
    /// (<see cref="NotificationOptions.MaxParallelSends"/> at once). Returns how many were claimed.
    /// Once <paramref name="cancellationToken"/> fires no further send starts and unstarted claims are
    /// given back; sends already under way finish (bounded by the provider timeout) and are recorded.
    /// </summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var claims = await ClaimAsync(_options.BatchSize, cancellationToken);
        await Parallel.ForEachAsync(
            claims,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelSends },
            async (claim, _) =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await TryReleaseAsync(claim, time.GetUtcNow());
                    return;
                }

                await ProcessAsync(claim, waitForPermit: true);
            });
        return claims.Count;
    }

    /// <summary>
    /// Sends continuously until <paramref name="stoppingToken"/> fires: each free send slot claims the
    /// next due message, so no send waits for another; idle, it waits for a local wake-up, a finished
    /// send or the poll interval. On stop, sends under way finish and are recorded.
    /// </summary>
    public async Task RunAsync(OutboxWakeSignal wakeSignal, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(wakeSignal);
        var running = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                running.RemoveAll(t => t.IsCompleted);
                var free = _options.MaxParallelSends - running.Count;
                var claimedAll = false;
                if (free > 0)
                {
                    IReadOnlyList<Claim> claims;
                    try
                    {
                        claims = await ClaimAsync(free, stoppingToken);
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogClaimFailed(exception);
                        await Task.Delay(PauseAfterClaimError, stoppingToken);
                        continue;
                    }

                    running.AddRange(claims.Select(claim => Task.Run(() => ProcessAsync(claim, waitForPermit: false), CancellationToken.None)));
                    claimedAll = claims.Count == free;
                }

                if (claimedAll)
                {
                    continue;
                }

                var woken = wakeSignal.WaitAsync(_options.PollInterval, stoppingToken);
                await Task.WhenAny([woken, .. running]);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
    }

    private static readonly TimeSpan PauseAfterClaimError = TimeSpan.FromSeconds(1);

    private async Task<IReadOnlyList<Claim>> ClaimAsync(int count, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var blocked = gates.Blocked(now);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(ClaimSql, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = now });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("lease_until", NpgsqlDbType.TimestampTz) { TypedValue = now + _options.ClaimLease });
            command.Parameters.Add(new NpgsqlParameter<int>("batch_size", NpgsqlDbType.Integer) { TypedValue = count });
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("blocked_organizations", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = [.. blocked.Select(b => b.OrganizationId)] });
            command.Parameters.Add(new NpgsqlParameter<int[]>("blocked_channels", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. blocked.Select(b => (int)b.Channel)] });
            var claims = new List<Claim>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claims.Add(new Claim(reader.GetGuid(0), reader.GetGuid(1), reader.GetBoolean(2)));
            }

            return claims;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<int> ExecuteOnClaimAsync(string sql, Claim claim, DateTimeOffset at, string atName)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>(atName, NpgsqlDbType.TimestampTz) { TypedValue = at });
            command.Parameters.Add(new NpgsqlParameter<Guid>("id", NpgsqlDbType.Uuid) { TypedValue = claim.Id });
            command.Parameters.Add(new NpgsqlParameter<Guid>("claim_id", NpgsqlDbType.Uuid) { TypedValue = claim.ClaimId });
            return await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Gives a claim back (due at <paramref name="at"/>) without counting an attempt; a failure leaves it to its lease.</summary>
    private async Task TryReleaseAsync(Claim claim, DateTimeOffset at)
    {
        try
        {
            await ExecuteOnClaimAsync(ReleaseSql, claim, at, "at");
        }
        catch (Exception exception)
        {
            LogReleaseFailed(exception, claim.Id);
        }
    }

    // Renews the lease every third of it while the send and the recording run; a failed renewal is
    // retried at the next tick (the recording checks the claim token, not the deadline).
    private async Task RenewWhileRunningAsync(Claim claim, CancellationToken done)
    {
        var period = _options.ClaimLease / 3;
        while (!done.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, done);
                await ExecuteOnClaimAsync(RenewSql, claim, time.GetUtcNow() + _options.ClaimLease, "lease_until");
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogRenewFailed(exception, claim.Id);
            }
        }
    }

    // Sending and recording deliberately ignore the stopping token: a send that has started is
    // finished (the provider timeout bounds it) and recorded, so shutdown neither loses nor repeats it.
    private async Task ProcessAsync(Claim claim, bool waitForPermit)
    {
        using var done = new CancellationTokenSource();
        var renewing = RenewWhileRunningAsync(claim, done.Token);
        var sendStarted = false;
        try
        {
            OutgoingMessage? message;
            await using (var scope = scopes.CreateAsyncScope())
            {
                message = await scope.ServiceProvider.GetRequiredService<CibaDbContext>().OutgoingMessages.AsNoTracking()
                    .SingleOrDefaultAsync(m => m.Id == claim.Id);
            }

            if (message is null || !IsHeldBy(message, claim))
            {
                return;
            }

            var now = time.GetUtcNow();
            if (message.IsWorthless(now))
            {
                var recipient = Masked(message);
                if (claim.Orphaned)
                {
                    await RecordAsync(claim, (m, at) => m.MarkOrphaned(at), null);
                    metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Skipped);
                    LogOrphaned(message.Id, message.Channel, recipient);
                }
                else
                {
                    await RecordAsync(claim, (m, at) => m.MarkSkipped("The request expired before the message was sent.", at), null);
                    metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Skipped);
                    LogSkipped(message.Id, message.Channel, recipient);
                }

                return;
            }

            var (entered, heldUntil) = await gates.EnterAsync(message.OrganizationId, message.Channel, now, waitForPermit);
            if (!entered)
            {
                // The provider is held back or busy: give the claim back, no attempt counted.
                await TryReleaseAsync(claim, heldUntil ?? now);
                return;
            }

            SendOutcome? outcome = null;
            try
            {
                sendStarted = true;
                outcome = await SendAsync(message);
            }
            finally
            {
                // A client's failing endpoint must not hold back the organization's other callbacks: no breaker for them.
                gates.Exit(message.OrganizationId, message.Channel, message.Channel.IsCallback() ? null : outcome, time.GetUtcNow());
            }

            if (BeforeRecording is { } hook)
            {
                await hook(message.Id);
            }

            await RecordWithRetriesAsync(claim, outcome);
        }
        catch (Exception exception)
        {
            LogProcessingFailed(exception, claim.Id);
            if (!sendStarted)
            {
                // Nothing went out: give the claim back at once rather than waiting for the lease.
                await TryReleaseAsync(claim, time.GetUtcNow());
            }
        }
        finally
        {
            await done.CancelAsync();
            await renewing;
        }
    }

    private async Task<SendOutcome> SendAsync(OutgoingMessage message)
    {
        if (message.Channel.IsCallback())
        {
            return await callbacks.SendAsync(message.ProtectedContent!);
        }

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

    // The outcome is what was learnt from the provider: losing its record would send the message
    // again, so a transient database failure is retried with backoff for a while.
    private async Task RecordWithRetriesAsync(Claim claim, SendOutcome outcome)
    {
        var deadline = DateTime.UtcNow + _options.RecordRetryBudget;
        var wait = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordAsync(claim, (m, at) => Apply(m, outcome, at), outcome.InboxMessage, countsAttempt: true);
                return;
            }
            catch (Exception exception) when (IsTransientDatabaseFailure(exception) && DateTime.UtcNow + wait < deadline)
            {
                LogRecordRetried(exception, claim.Id, attempt);
                await Task.Delay(wait);
                wait = TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds * 2, 2000));
            }
        }
    }

    private static bool IsTransientDatabaseFailure(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient || npgsql is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" or "08001" or "08004" },
        DbUpdateException { InnerException: { } inner } => IsTransientDatabaseFailure(inner),
        InvalidOperationException { InnerException: { } inner } => IsTransientDatabaseFailure(inner),
        TimeoutException => true,
        _ => false,
    };

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
                var backoff = _options.BackoffAfter(attempts);
                var wait = outcome.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
                var nextAttemptAt = now + wait;
                // Callbacks are retried until their request expires (product.md §11), not a number of times.
                if (attempts >= _options.MaxAttempts && !message.Channel.IsCallback())
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

    private async Task RecordAsync(Claim claim, Action<OutgoingMessage, DateTimeOffset> record, DevelopmentInboxMessage? inboxMessage, bool countsAttempt = false)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var rows = await db.OutgoingMessages
            .FromSql($"""SELECT * FROM "OutgoingMessages" WHERE "Id" = {claim.Id} FOR UPDATE""")
            .ToListAsync();
        var message = rows.SingleOrDefault();
        if (message is null || !IsHeldBy(message, claim))
        {
            LogLeaseLost(claim.Id);
            return;
        }

        var now = time.GetUtcNow();
        record(message, now);
        if (countsAttempt)
        {
            db.DeliveryAttempts.Add(DeliveryAttempt.Of(message, now));
        }

        if (inboxMessage is not null && message.Status == DeliveryStatus.Sent)
        {
            db.DevelopmentInbox.Add(inboxMessage);
        }

        if (message.Status is DeliveryStatus.Sent or DeliveryStatus.Failed)
        {
            // The person and application of the message's request, so the audit log's filters find it.
            var about = message.BackchannelRequestId is { } requestId
                ? await db.BackchannelRequests.AsNoTracking().Where(r => r.Id == requestId)
                    .Select(r => new { UserId = (Guid?)r.UserId, ApplicationId = (Guid?)r.ApplicationId }).SingleOrDefaultAsync()
                : null;
            db.AuditEvents.Add(AuditEvent.Create(
                message.OrganizationId,
                message.Status == DeliveryStatus.Sent ? AuditActions.MessageSent : AuditActions.MessageFailed,
                message.Status == DeliveryStatus.Sent ? AuditOutcome.Succeeded : AuditOutcome.Failed,
                AuditActorKind.System,
                null,
                now,
                userId: about?.UserId,
                applicationId: about?.ApplicationId,
                subject: $"{message.Channel} to {Masked(message)}",
                detail: message.Status == DeliveryStatus.Failed ? message.LastError : null));
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private static bool IsHeldBy(OutgoingMessage message, Claim claim) =>
        message.Status == DeliveryStatus.Pending && message.ClaimId == claim.ClaimId;

    private static string ChannelName(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => "email",
        MessageChannel.Sms => "sms",
        MessageChannel.Ping => "ping",
        _ => "push",
    };

    private static string Masked(OutgoingMessage message) => RecipientMasking.Mask(message.Channel, message.Recipient);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Message {MessageId} ({Channel}) to {Recipient} sent on attempt {Attempts}; provider id {ProviderMessageId}.")]
    private partial void LogSent(Guid messageId, MessageChannel channel, string recipient, int attempts, string? providerMessageId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Message {MessageId} ({Channel}) to {Recipient} failed attempt {Attempts}; next attempt at {NextAttemptAt:O}. {Error}")]
    private partial void LogRetryScheduled(Guid messageId, MessageChannel channel, string recipient, int attempts, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Message {MessageId} ({Channel}) to {Recipient} failed after {Attempts} attempts. {Error}")]
    private partial void LogFailed(Guid messageId, MessageChannel channel, string recipient, int attempts, string? error);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Message {MessageId} ({Channel}) to {Recipient} skipped: its request expired first.")]
    private partial void LogSkipped(Guid messageId, MessageChannel channel, string recipient);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Message {MessageId}: this node's claim was taken over before its outcome was recorded.")]
    private partial void LogLeaseLost(Guid messageId);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Error, Message = "Message {MessageId} could not be processed.")]
    private partial void LogProcessingFailed(Exception exception, Guid messageId);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "Message {MessageId}: its claim could not be given back; it is taken again when the lease runs out.")]
    private partial void LogReleaseFailed(Exception exception, Guid messageId);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Warning, Message = "Message {MessageId} ({Channel}) to {Recipient}: orphaned claim; its request expired before it could be sent again.")]
    private partial void LogOrphaned(Guid messageId, MessageChannel channel, string recipient);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Warning, Message = "Message {MessageId}: recording its outcome failed (attempt {Attempt}); trying again.")]
    private partial void LogRecordRetried(Exception exception, Guid messageId, int attempt);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "Message {MessageId}: its lease could not be renewed; trying again.")]
    private partial void LogRenewFailed(Exception exception, Guid messageId);

    [LoggerMessage(EventId = 5100, Level = LogLevel.Error, Message = "The outbox dispatcher could not claim messages; trying again shortly.")]
    private partial void LogClaimFailed(Exception exception);
}
