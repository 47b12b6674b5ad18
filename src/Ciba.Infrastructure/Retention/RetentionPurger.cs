using Ciba.Application.Accounts.SignIn;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ciba.Infrastructure.Retention;

/// <summary>What one purge deleted; <see cref="Ran"/> is false when another node held the lock.</summary>
/// <param name="Tokens">Expired or revoked refresh tokens and expired revoked-access-token ids (product.md §13).</param>
public sealed record RetentionPurgeResult(bool Ran, long Requests, long Messages, long InboxMessages, long AuditEvents = 0, long Tokens = 0)
{
    /// <summary>Sign-in throttle rows with no attempt for <see cref="SignInBackoff.ForgetAfter"/> (ADR 0012).</summary>
    public long SignInThrottles { get; init; }
}

/// <summary>
/// product.md §14 retention (docs/decisions/0018-retention.md): deletes, per organization and after
/// its own periods, finished auth requests, sent or given-up outbox rows (with the addresses and
/// numbers they hold) and development-inbox messages. One node at a time (a PostgreSQL advisory
/// lock), in batches of <see cref="RetentionOptions.BatchSize"/> rows per statement, oldest first,
/// skipping rows another transaction holds. A row exactly at its period's end is kept.
/// </summary>
public sealed partial class RetentionPurger(
    NpgsqlDataSource dataSource, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionPurger> logger)
{
    /// <summary>The advisory lock key of the purge ("CibaPurg").</summary>
    public const long LockKey = 0x43_69_62_61_50_75_72_67;

    // Delivery statuses 1 Sent, 2 Failed (given up), 3 Skipped: the finished ones.
    private const string DeleteMessages = """
        DELETE FROM "OutgoingMessages" WHERE "Id" IN (
            SELECT "Id" FROM "OutgoingMessages"
            WHERE "OrganizationId" = $1 AND "CreatedAt" < $2 AND "Status" IN (1, 2, 3) AND "CompletedAt" < $2
            ORDER BY "CreatedAt" LIMIT $3 FOR UPDATE SKIP LOCKED)
        """;

    private const string DeleteInboxMessages = """
        DELETE FROM "DevelopmentInboxMessages" WHERE "Id" IN (
            SELECT "Id" FROM "DevelopmentInboxMessages"
            WHERE "OrganizationId" = $1 AND "ReceivedAt" < $2
            ORDER BY "ReceivedAt" LIMIT $3 FOR UPDATE SKIP LOCKED)
        """;

    // A request ends when it is redeemed (3), denied (2), or else when it expires; it is created
    // before it ends, so the (OrganizationId, CreatedAt) index finds the candidates.
    private const string DeleteRequests = """
        DELETE FROM "BackchannelRequests" WHERE "Id" IN (
            SELECT "Id" FROM "BackchannelRequests"
            WHERE "OrganizationId" = $1 AND "CreatedAt" < $2
              AND CASE "Status" WHEN 3 THEN "RedeemedAt" WHEN 2 THEN "DecidedAt" ELSE "ExpiresAt" END < $2
            ORDER BY "CreatedAt" LIMIT $3 FOR UPDATE SKIP LOCKED)
        """;

    private const string DeleteAuditEvents = """
        DELETE FROM "AuditEvents" WHERE "Id" IN (
            SELECT "Id" FROM "AuditEvents"
            WHERE "OrganizationId" = $1 AND "OccurredAt" < $2
            ORDER BY "OccurredAt" LIMIT $3 FOR UPDATE SKIP LOCKED)
        """;

    // A refresh token is useless once its family's absolute lifetime ends or it is revoked; a revoked
    // access token's id only matters until the token would have expired (docs/decisions/0025-token-lifecycle.md).
    private const string DeleteRefreshTokens = """
        DELETE FROM "RefreshTokens" WHERE "Id" IN (
            SELECT "Id" FROM "RefreshTokens"
            WHERE "OrganizationId" = $1 AND ("ExpiresAt" < $2 OR "RevokedAt" < $2)
            LIMIT $3 FOR UPDATE SKIP LOCKED)
        """;

    private const string DeleteRevokedAccessTokens = """
        DELETE FROM "RevokedAccessTokens" WHERE ("OrganizationId", "Jti") IN (
            SELECT "OrganizationId", "Jti" FROM "RevokedAccessTokens"
            WHERE "OrganizationId" = $1 AND "ExpiresAt" < $2
            LIMIT $3 FOR UPDATE SKIP LOCKED)
        """;

    private const string DeleteRevokedGrantFamilies = """
        DELETE FROM "RevokedGrantFamilies" WHERE ("OrganizationId", "FamilyId") IN (
            SELECT "OrganizationId", "FamilyId" FROM "RevokedGrantFamilies"
            WHERE "OrganizationId" = $1 AND "ExpiresAt" < $2
            LIMIT $3 FOR UPDATE SKIP LOCKED)
        """;

    // ADR 0012: a count with no attempt for 12 hours starts again, so the row is of no use after that.
    private const string DeleteSignInThrottles = """
        DELETE FROM "SignInThrottles" WHERE ("OrganizationId", "LoginKey", "AddressKey") IN (
            SELECT "OrganizationId", "LoginKey", "AddressKey" FROM "SignInThrottles"
            WHERE "OrganizationId" = $1 AND "LastAttemptAt" < $2
            LIMIT $3 FOR UPDATE SKIP LOCKED)
        """;

    private const string Periods = """SELECT "Id", "RequestRetentionDays", "MessageRetentionDays", "AuditRetentionDays" FROM "Organizations" ORDER BY "Id" """;

    public async Task<RetentionPurgeResult> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await ScalarAsync<bool>(connection, "SELECT pg_try_advisory_lock($1)", LockKey, cancellationToken))
        {
            return new RetentionPurgeResult(false, 0, 0, 0);
        }

        try
        {
            var now = time.GetUtcNow();
            long requests = 0, messages = 0, inbox = 0, audit = 0, tokens = 0, throttles = 0;
            foreach (var (organizationId, requestDays, messageDays, auditDays) in await PeriodsAsync(connection, cancellationToken))
            {
                audit += await DeleteInBatchesAsync(connection, DeleteAuditEvents, organizationId, now.AddDays(-auditDays), cancellationToken);
                var messageCutoff = now.AddDays(-messageDays);
                messages += await DeleteInBatchesAsync(connection, DeleteMessages, organizationId, messageCutoff, cancellationToken);
                inbox += await DeleteInBatchesAsync(connection, DeleteInboxMessages, organizationId, messageCutoff, cancellationToken);
                requests += await DeleteInBatchesAsync(connection, DeleteRequests, organizationId, now.AddDays(-requestDays), cancellationToken);
                tokens += await DeleteInBatchesAsync(connection, DeleteRefreshTokens, organizationId, now, cancellationToken);
                tokens += await DeleteInBatchesAsync(connection, DeleteRevokedAccessTokens, organizationId, now, cancellationToken);
                tokens += await DeleteInBatchesAsync(connection, DeleteRevokedGrantFamilies, organizationId, now, cancellationToken);
                throttles += await DeleteInBatchesAsync(connection, DeleteSignInThrottles, organizationId, now - SignInBackoff.ForgetAfter, cancellationToken);
            }

            await Clients.UsedJwtIdStore.PurgeExpiredAsync(connection, now, cancellationToken);
            if (requests + messages + inbox + audit + tokens + throttles > 0)
            {
                LogPurged(requests, messages, inbox, audit, tokens, throttles);
            }

            return new RetentionPurgeResult(true, requests, messages, inbox, audit, tokens) { SignInThrottles = throttles };
        }
        finally
        {
            // Connections go back to the pool without a reset (CibaDataSource): unlock explicitly.
            await ScalarAsync<bool>(connection, "SELECT pg_advisory_unlock($1)", LockKey, CancellationToken.None);
        }
    }

    private static async Task<List<(Guid Id, int RequestDays, int MessageDays, int AuditDays)>> PeriodsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var periods = new List<(Guid, int, int, int)>();
        await using var command = new NpgsqlCommand(Periods, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            periods.Add((reader.GetGuid(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return periods;
    }

    private async Task<long> DeleteInBatchesAsync(
        NpgsqlConnection connection, string sql, Guid organizationId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.BatchSize;
        long total = 0;
        while (true)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = organizationId });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Retention purge deleted {Requests} auth requests, {Messages} outbox messages, {Inbox} development-inbox messages, {AuditEvents} audit events, {Tokens} refresh tokens or revoked token ids and {SignInThrottles} sign-in throttles.")]
    private partial void LogPurged(long requests, long messages, long inbox, long auditEvents, long tokens, long signInThrottles);
}
