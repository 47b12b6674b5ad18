using System.Collections.Concurrent;
using System.Security.Cryptography;
using Ciba.Application.Common.Telemetry;
using Ciba.Application.Notifications;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Notifications.Senders;
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
/// Sends due outbox messages (docs/decisions/0006-outbox-claim-lease.md,
/// docs/decisions/0034-outbox-batches.md). Due messages are claimed in one prepared statement with
/// <c>FOR UPDATE SKIP LOCKED</c> that gives each a fresh claim token (<c>ClaimId</c>) and a short
/// lease (<c>NextAttemptAt</c>), renewed while its send and recording run, and returns everything the
/// send and the audit row need (the message, its request's user and application). An outcome is
/// recorded by one prepared statement that changes the row only while it still carries this claim's
/// token and writes the attempt, the development inbox message and the audit event only when it did;
/// outcomes that finish together go to PostgreSQL in one round trip, and a failing batch is recorded
/// message by message so one failure does not take the others with it. Transient database failures
/// while recording are retried. A claim that cannot be processed is given back at once. A claim that
/// outlived its lease (its node died) is sent again if its request is still live, and recorded as an
/// orphaned claim otherwise.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    NpgsqlDataSource dataSource,
    INotificationContentProtector contentProtector,
    Callbacks.ClientNotificationSender callbacks,
    ProviderGates gates,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    CibaMetrics metrics,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>The most outcomes written in one round trip.</summary>
    public const int MaxRecordBatch = 64;

    // The claim returns the message and its request's user and application (for the audit row), so
    // nothing is read again before sending or recording.
    private const string ClaimSql = """
        WITH due AS MATERIALIZED (
            SELECT "Id", "ClaimId", "BackchannelRequestId", "OrganizationId" FROM "OutgoingMessages"
            WHERE "Status" = 0 AND "NextAttemptAt" <= $1
              AND NOT EXISTS (
                  SELECT 1 FROM unnest($4::uuid[], $5::integer[]) AS b(organization_id, channel)
                  WHERE b.organization_id = "OutgoingMessages"."OrganizationId" AND b.channel = "OutgoingMessages"."Channel")
            ORDER BY "NextAttemptAt"
            LIMIT $3
            FOR UPDATE SKIP LOCKED)
        UPDATE "OutgoingMessages" AS m
        SET "NextAttemptAt" = $2, "ClaimId" = gen_random_uuid()
        FROM due
            LEFT JOIN "BackchannelRequests" AS r ON r."Id" = due."BackchannelRequestId"
            LEFT JOIN "NotificationProviders" AS p ON p."OrganizationId" = due."OrganizationId"
        WHERE m."Id" = due."Id"
        RETURNING m."Id", m."ClaimId", due."ClaimId" IS NOT NULL, m."OrganizationId", m."BackchannelRequestId", m."Channel",
                  m."Recipient", m."ProtectedContent", m."Attempts", m."CreatedAt", m."NextAttemptAt", m."NotAfter",
                  r."UserId", r."ApplicationId", p.xmin::text || '/' || p.ctid::text
        """;

    // One message's outcome: the guarded update (still pending, still this claim's token: the row
    // lock it takes is the FOR UPDATE of ADR 0006), and the attempt, the development inbox message
    // and the audit event only when it happened. Absent rows are passed as a null id.
    private const string RecordSql = """
        WITH m AS (
            UPDATE "OutgoingMessages"
            SET "Status" = $3, "Attempts" = $4, "LastError" = $5, "ProviderMessageId" = $6,
                "NextAttemptAt" = COALESCE($7, "NextAttemptAt"), "CompletedAt" = $8, "ClaimId" = NULL,
                "ProtectedContent" = CASE WHEN $3 = 0 THEN "ProtectedContent" END
            WHERE "Id" = $1 AND "ClaimId" = $2 AND "Status" = 0
            RETURNING "Id"
        ), attempt AS (
            INSERT INTO "DeliveryAttempts" ("Id", "OutgoingMessageId", "Number", "AttemptedAt", "Outcome", "Detail")
            SELECT $9, m."Id", $4, $10, $3, $11 FROM m WHERE $9 IS NOT NULL
        ), inbox AS (
            INSERT INTO "DevelopmentInboxMessages" ("Id", "OrganizationId", "Channel", "Recipient", "Subject", "Body", "Link", "ReceivedAt")
            SELECT $12, $13, $14, $15, $16, $17, $18, $19 FROM m WHERE $12 IS NOT NULL
        ), audited AS (
            INSERT INTO "AuditEvents" ("Id", "OrganizationId", "OccurredAt", "ActorKind", "Actor", "UserId", "ApplicationId", "Subject", "Action", "Outcome", "Detail", "SourceAddress")
            SELECT $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31 FROM m WHERE $20 IS NOT NULL
        )
        SELECT 1 FROM m
        """;

    private const string RenewSql = """
        UPDATE "OutgoingMessages" SET "NextAttemptAt" = $1
        WHERE "Id" = $2 AND "ClaimId" = $3 AND "Status" = 0
        """;

    private const string ReleaseSql = """
        UPDATE "OutgoingMessages" SET "NextAttemptAt" = $1, "ClaimId" = NULL
        WHERE "Id" = $2 AND "ClaimId" = $3 AND "Status" = 0
        """;

    private readonly NotificationOptions _options = options.Value;

    // The organizations' provider settings by row version (xmin and ctid, returned by the claim):
    // read again only when the row changed, on any node.
    private readonly ConcurrentDictionary<Guid, (string Version, NotificationProviders? Providers)> _providers = new();

    // Outcomes waiting for the next round trip, and whether a writer is draining them.
    private readonly Queue<PendingRecord> _toRecord = new();
    private readonly Lock _recordLock = new();
    private bool _recording;

    /// <summary>A claimed message: its id, this claim's token, and whether an earlier claim ran out unrecorded.</summary>
    public sealed record Claim(Guid Id, Guid ClaimId, bool Orphaned);

    /// <summary>A claimed message as the claim statement returned it, with its request's user and application.</summary>
    private sealed record Claimed(
        Claim Claim,
        Guid OrganizationId,
        Guid? BackchannelRequestId,
        MessageChannel Channel,
        string Recipient,
        string? ProtectedContent,
        int Attempts,
        DateTimeOffset CreatedAt,
        DateTimeOffset NextAttemptAt,
        DateTimeOffset? NotAfter,
        Guid? UserId,
        Guid? ApplicationId,
        string? ProvidersVersion)
    {
        /// <summary>A fresh pending message each time, so a retried recording decides again from the claimed state.</summary>
        public OutgoingMessage Message() => OutgoingMessage.Restore(
            Claim.Id, OrganizationId, BackchannelRequestId, Channel, Recipient, ProtectedContent, Attempts, CreatedAt, NextAttemptAt, NotAfter, Claim.ClaimId);
    }

    /// <summary>One outcome to write, and the recording that waits for it (true: written; false: the claim was lost).</summary>
    private sealed record PendingRecord(
        OutgoingMessage Message,
        Guid ClaimId,
        DeliveryAttempt? Attempt,
        DevelopmentInboxMessage? Inbox,
        AuditEvent? Audit)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// A test hook between the send and the recording of its outcome (fault-injection tests: a
    /// database outage or a dead node in that window). Never set in production.
    /// </summary>
    public Func<Guid, Task>? BeforeRecording { get; set; }

    /// <summary>
    /// A test hook run by the writer of outcomes before it takes the queued ones (batching tests:
    /// hold it until several outcomes wait, so they go in one round trip). Never set in production.
    /// </summary>
    public Func<Task>? BeforeWritingRecords { get; set; }

    /// <summary>How many decided outcomes wait for the writer (for tests).</summary>
    public int QueuedRecords
    {
        get
        {
            lock (_recordLock)
            {
                return _toRecord.Count;
            }
        }
    }

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
            async (claimed, _) =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    await TryReleaseAsync(claimed.Claim, time.GetUtcNow());
                    return;
                }

                await ProcessAsync(claimed, waitForPermit: true);
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
                    IReadOnlyList<Claimed> claims;
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

                    foreach (var claimed in claims)
                    {
                        running.Add(Task.Run(() => ProcessAsync(claimed, waitForPermit: false), CancellationToken.None));
                    }

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

    private async Task<IReadOnlyList<Claimed>> ClaimAsync(int count, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var blocked = gates.Blocked(now);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        var command = new NpgsqlBatchCommand(ClaimSql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now + _options.ClaimLease, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. blocked.Select(b => b.OrganizationId)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. blocked.Select(b => (int)b.Channel)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        batch.BatchCommands.Add(command);

        // ADR 0033: prepared once per connection, then only bound and executed.
        var claims = new List<Claimed>(count);
        await using var reader = await batch.ExecutePreparedReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claims.Add(new Claimed(
                new Claim(reader.GetGuid(0), reader.GetGuid(1), reader.GetBoolean(2)),
                reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                (MessageChannel)reader.GetInt32(5),
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetInt32(8),
                reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetGuid(12),
                reader.IsDBNull(13) ? null : reader.GetGuid(13),
                reader.IsDBNull(14) ? null : reader.GetString(14)));
        }

        return claims;
    }

    private async Task<int> ExecuteOnClaimAsync(string sql, Claim claim, DateTimeOffset at)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = claim.Id, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = claim.ClaimId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Gives a claim back (due at <paramref name="at"/>) without counting an attempt; a failure leaves it to its lease.</summary>
    private async Task TryReleaseAsync(Claim claim, DateTimeOffset at)
    {
        try
        {
            await ExecuteOnClaimAsync(ReleaseSql, claim, at);
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
                await ExecuteOnClaimAsync(RenewSql, claim, time.GetUtcNow() + _options.ClaimLease);
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
    private async Task ProcessAsync(Claimed claimed, bool waitForPermit)
    {
        var claim = claimed.Claim;
        using var done = new CancellationTokenSource();
        var renewing = RenewWhileRunningAsync(claim, done.Token);
        var sendStarted = false;
        try
        {
            var now = time.GetUtcNow();
            if (claimed.Message().IsWorthless(now))
            {
                var recipient = RecipientMasking.Mask(claimed.Channel, claimed.Recipient);
                if (claim.Orphaned)
                {
                    if (await RecordAsync(claimed, (m, at) => m.MarkOrphaned(at), null, countsAttempt: false))
                    {
                        metrics.DeliveryAttempted(ChannelName(claimed.Channel), CibaMetrics.DeliveryStatuses.Skipped);
                        LogOrphaned(claim.Id, claimed.Channel, recipient);
                    }
                }
                else if (await RecordAsync(claimed, (m, at) => m.MarkSkipped("The request expired before the message was sent.", at), null, countsAttempt: false))
                {
                    metrics.DeliveryAttempted(ChannelName(claimed.Channel), CibaMetrics.DeliveryStatuses.Skipped);
                    LogSkipped(claim.Id, claimed.Channel, recipient);
                }

                return;
            }

            var (entered, heldUntil) = await gates.EnterAsync(claimed.OrganizationId, claimed.Channel, now, waitForPermit);
            if (!entered)
            {
                // The provider is held back or busy: give the claim back, no attempt counted.
                await TryReleaseAsync(claim, heldUntil ?? now);
                return;
            }

            SendOutcome? outcome = null;
            AsyncServiceScope? scope = null;
            try
            {
                // The provider's sender (scoped) is resolved before anything goes out: a failure here gives the claim back.
                INotificationSender? sender = null;
                if (!claimed.Channel.IsCallback())
                {
                    scope = scopes.CreateAsyncScope();
                    sender = scope.Value.ServiceProvider.GetRequiredService<INotificationSender>();
                }

                sendStarted = true;
                outcome = await SendAsync(claimed, sender);
            }
            finally
            {
                // A client's failing endpoint must not hold back the organization's other callbacks: no breaker for them.
                gates.Exit(claimed.OrganizationId, claimed.Channel, claimed.Channel.IsCallback() ? null : outcome, time.GetUtcNow());
                if (scope is { } created)
                {
                    await created.DisposeAsync();
                }
            }

            if (BeforeRecording is { } hook)
            {
                await hook(claim.Id);
            }

            await RecordWithRetriesAsync(claimed, outcome);
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

    private async Task<SendOutcome> SendAsync(Claimed claimed, INotificationSender? sender)
    {
        if (sender is null)
        {
            return await callbacks.SendAsync(claimed.ProtectedContent!);
        }

        NotificationContent content;
        try
        {
            content = contentProtector.Unprotect(claimed.ProtectedContent!);
        }
        catch (CryptographicException)
        {
            return SendOutcome.Permanent("The message content cannot be decrypted.");
        }

        var delivery = new NotificationDelivery(
            claimed.Claim.Id, claimed.OrganizationId, claimed.Channel, claimed.Recipient, content, IsTest: claimed.BackchannelRequestId is null);
        if (sender is not OrganizationNotificationSender organizationSender)
        {
            return await sender.SendAsync(delivery, CancellationToken.None);
        }

        NotificationProviders? providers;
        if (claimed.ProvidersVersion is { } version && _providers.TryGetValue(claimed.OrganizationId, out var cached) && cached.Version == version)
        {
            providers = cached.Providers;
        }
        else
        {
            // Read after the claim, so never older than the version it returned.
            providers = await organizationSender.LoadProvidersAsync(claimed.OrganizationId, CancellationToken.None);
            if (claimed.ProvidersVersion is { } seen)
            {
                _providers[claimed.OrganizationId] = (seen, providers);
            }
        }

        return await organizationSender.SendAsync(delivery, providers, CancellationToken.None);
    }

    // The outcome is what was learnt from the provider: losing its record would send the message
    // again, so a transient database failure is retried with backoff for a while.
    private async Task RecordWithRetriesAsync(Claimed claimed, SendOutcome outcome)
    {
        var deadline = DateTime.UtcNow + _options.RecordRetryBudget;
        var wait = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            OutgoingMessage? recorded = null;
            try
            {
                if (await RecordAsync(claimed, (m, at) => Apply(m, outcome, at), outcome.InboxMessage, countsAttempt: true, m => recorded = m))
                {
                    Report(recorded!, outcome);
                }

                return;
            }
            catch (Exception exception) when (IsTransientDatabaseFailure(exception) && DateTime.UtcNow + wait < deadline)
            {
                LogRecordRetried(exception, claimed.Claim.Id, attempt);
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

    // Decides the message's new state from the outcome (the domain's rules); logging and metrics
    // follow in Report, once the outcome is written.
    private void Apply(OutgoingMessage message, SendOutcome outcome, DateTimeOffset now)
    {
        switch (outcome.Kind)
        {
            case SendOutcomeKind.Sent:
                message.MarkSent(outcome.ProviderMessageId, now);
                break;
            case SendOutcomeKind.Permanent:
                message.MarkFailed(outcome.Error ?? "Permanent failure.", now);
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
                }
                else if (message.NotAfter is { } notAfter && nextAttemptAt >= notAfter)
                {
                    message.MarkFailed($"{error} Not retried: the request expires before the next attempt.", now);
                }
                else
                {
                    message.ScheduleRetry(error, nextAttemptAt, now);
                }

                break;
        }
    }

    private void Report(OutgoingMessage message, SendOutcome outcome)
    {
        var recipient = Masked(message);
        switch (message.Status)
        {
            case DeliveryStatus.Sent:
                metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Sent);
                LogSent(message.Id, message.Channel, recipient, message.Attempts, outcome.ProviderMessageId);
                break;
            case DeliveryStatus.Failed:
                metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Failed);
                LogFailed(message.Id, message.Channel, recipient, message.Attempts, message.LastError);
                break;
            default:
                metrics.DeliveryAttempted(ChannelName(message.Channel), CibaMetrics.DeliveryStatuses.Retry);
                LogRetryScheduled(message.Id, message.Channel, recipient, message.Attempts, message.NextAttemptAt, message.LastError ?? string.Empty);
                break;
        }
    }

    /// <summary>
    /// Decides the claimed message's outcome and writes it with its attempt, inbox message and audit
    /// event; true when written, false when the claim was taken over meanwhile (nothing is written).
    /// </summary>
    private async Task<bool> RecordAsync(
        Claimed claimed, Action<OutgoingMessage, DateTimeOffset> record, DevelopmentInboxMessage? inboxMessage, bool countsAttempt, Action<OutgoingMessage>? decided = null)
    {
        var message = claimed.Message();
        var now = time.GetUtcNow();
        record(message, now);
        decided?.Invoke(message);
        var attempt = countsAttempt ? DeliveryAttempt.Of(message, now) : null;
        var inbox = inboxMessage is not null && message.Status == DeliveryStatus.Sent ? inboxMessage : null;
        AuditEvent? audit = null;
        if (message.Status is DeliveryStatus.Sent or DeliveryStatus.Failed)
        {
            // The person and application of the message's request (returned by the claim), so the audit log's filters find it.
            audit = AuditEvent.Create(
                message.OrganizationId,
                message.Status == DeliveryStatus.Sent ? AuditActions.MessageSent : AuditActions.MessageFailed,
                message.Status == DeliveryStatus.Sent ? AuditOutcome.Succeeded : AuditOutcome.Failed,
                AuditActorKind.System,
                null,
                now,
                userId: claimed.UserId,
                applicationId: claimed.ApplicationId,
                subject: $"{message.Channel} to {Masked(message)}",
                detail: message.Status == DeliveryStatus.Failed ? message.LastError : null);
        }

        var pending = new PendingRecord(message, claimed.Claim.ClaimId, attempt, inbox, audit);
        bool startWriter;
        lock (_recordLock)
        {
            _toRecord.Enqueue(pending);
            startWriter = !_recording;
            _recording = true;
        }

        if (startWriter)
        {
            _ = Task.Run(WriteRecordsAsync, CancellationToken.None);
        }

        var written = await pending.Done.Task;
        if (!written)
        {
            LogLeaseLost(claimed.Claim.Id);
        }

        return written;
    }

    // Drains the outcomes queued while the previous round trip ran: under load they go to PostgreSQL
    // together; alone, one goes at once (nothing waits for a batch to fill).
    private async Task WriteRecordsAsync()
    {
        while (true)
        {
            if (BeforeWritingRecords is { } hook)
            {
                try
                {
                    await hook();
                }
                catch (Exception exception)
                {
                    // The writer must keep draining whatever a test hook does: a waiting outcome would hang.
                    LogProcessingFailed(exception, Guid.Empty);
                }
            }

            var batch = new List<PendingRecord>();
            lock (_recordLock)
            {
                while (batch.Count < MaxRecordBatch && _toRecord.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                if (batch.Count == 0)
                {
                    _recording = false;
                    return;
                }
            }

            try
            {
                var written = await WriteAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(written[i]);
                }
            }
            catch (Exception exception) when (batch.Count > 1 && !IsTransientDatabaseFailure(exception))
            {
                // The batch ran as one implicit transaction, so nothing of it was written: each
                // outcome is written on its own, and only a failing one reports its failure.
                Exception? outage = null;
                foreach (var one in batch)
                {
                    if (outage is not null)
                    {
                        one.Done.TrySetException(outage);
                        continue;
                    }

                    try
                    {
                        one.Done.TrySetResult((await WriteAsync([one]))[0]);
                    }
                    catch (Exception failure)
                    {
                        one.Done.TrySetException(failure);
                        outage = IsTransientDatabaseFailure(failure) ? failure : null;
                    }
                }
            }
            catch (Exception exception)
            {
                // The database is unreachable (or this was one outcome): each recording retries on
                // its own backoff (RecordRetryBudget), and the next round trip groups them again.
                foreach (var one in batch)
                {
                    one.Done.TrySetException(exception);
                }
            }
        }
    }

    /// <summary>Writes the outcomes in one round trip (one implicit transaction); for each, whether its claim still held.</summary>
    private async Task<bool[]> WriteAsync(IReadOnlyList<PendingRecord> records)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = connection.CreateBatch();
        foreach (var record in records)
        {
            batch.BatchCommands.Add(RecordCommand(record));
        }

        var written = new bool[records.Count];
        await using var reader = await batch.ExecutePreparedReaderAsync(CancellationToken.None);
        for (var i = 0; i < records.Count; i++)
        {
            written[i] = await reader.ReadAsync();
            await reader.NextResultAsync();
        }

        return written;
    }

    private static NpgsqlBatchCommand RecordCommand(PendingRecord record)
    {
        var message = record.Message;
        var attempt = record.Attempt;
        var inbox = record.Inbox;
        var audit = record.Audit;
        var command = new NpgsqlBatchCommand(RecordSql);
        var p = command.Parameters;
        p.Add(Uuid(message.Id));
        p.Add(Uuid(record.ClaimId));
        p.Add(Integer((int)message.Status));
        p.Add(Integer(message.Attempts));
        p.Add(Text(message.LastError));
        p.Add(Text(message.ProviderMessageId));
        p.Add(Timestamp(message.Status == DeliveryStatus.Pending ? message.NextAttemptAt : null));
        p.Add(Timestamp(message.CompletedAt));
        p.Add(Uuid(attempt?.Id));
        p.Add(Timestamp(attempt?.AttemptedAt));
        p.Add(Text(attempt?.Detail));
        p.Add(Uuid(inbox?.Id));
        p.Add(Uuid(inbox?.OrganizationId));
        p.Add(Integer((int?)inbox?.Channel));
        p.Add(Text(inbox?.Recipient));
        p.Add(Text(inbox?.Subject));
        p.Add(Text(inbox?.Body));
        p.Add(Text(inbox?.Link));
        p.Add(Timestamp(inbox?.ReceivedAt));
        p.Add(Uuid(audit?.Id));
        p.Add(Uuid(audit?.OrganizationId));
        p.Add(Timestamp(audit?.OccurredAt));
        p.Add(Integer((int?)audit?.ActorKind));
        p.Add(Text(audit?.Actor));
        p.Add(Uuid(audit?.UserId));
        p.Add(Uuid(audit?.ApplicationId));
        p.Add(Text(audit?.Subject));
        p.Add(Text(audit?.Action));
        p.Add(Integer((int?)audit?.Outcome));
        p.Add(Text(audit?.Detail));
        p.Add(Text(audit?.SourceAddress));
        return command;
    }

    private static NpgsqlParameter<Guid?> Uuid(Guid? value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter<int?> Integer(int? value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter<string?> Text(string? value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<DateTimeOffset?> Timestamp(DateTimeOffset? value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

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
