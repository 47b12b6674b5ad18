using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Audit;
using Ciba.Application.Clients;
using Ciba.Domain.Applications;
using Ciba.Domain.Audit;
using Ciba.Domain.Backchannel;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// The token poll's round trips (docs/decisions/0008-poll-store-and-non-durable-poll-writes.md,
/// 0031-hot-paths.md): a poll of a pending request is one statement that checks and updates; any
/// other poll reads the auth request (the client comes from memory), then writes one <c>UPDATE</c>
/// guarded by <c>xmin</c>.
/// Polls that only record their timing commit with <c>synchronous_commit = off</c>, set for that
/// transaction alone in the same round trip; a redemption commits durably.
/// </summary>
internal sealed class BackchannelGrantStore(CibaDbContext db, IClientApplications applications, NpgsqlDataSource dataSource, IDatabaseFailures failures) : IBackchannelGrantStore
{
    private const string VersionProperty = "Version";

    private const string NonDurableCommit = "SELECT set_config('synchronous_commit', 'off', true)";

    private const string UpdatePoll = """
        UPDATE "BackchannelRequests"
        SET "LastPolledAt" = $1, "IntervalSeconds" = $2, "Status" = $3, "RedeemedAt" = $4, "LastPollTooSoon" = $7
        WHERE "Id" = $5 AND xmin = $6
        RETURNING xmin
        """;

    // A redemption writes its audit event (product.md §14 "tokens issued") in the same statement,
    // so only when the guarded update happened (ADR 0027).
    private const string UpdateRedeemed = """
        WITH updated AS (
            UPDATE "BackchannelRequests"
            SET "LastPolledAt" = $1, "IntervalSeconds" = $2, "Status" = $3, "RedeemedAt" = $4, "LastPollTooSoon" = $7
            WHERE "Id" = $5 AND xmin = $6
            RETURNING xmin, "OrganizationId", "ApplicationId", "UserId", "Scope"
        ), audited AS (
            INSERT INTO "AuditEvents" ("Id", "OrganizationId", "OccurredAt", "ActorKind", "Actor", "UserId", "ApplicationId", "Action", "Outcome", "Detail", "SourceAddress")
            SELECT $8, u."OrganizationId", $4, 1, a."ClientId", u."UserId", u."ApplicationId", 'tokens.issued', 0, 'Scope: ' || u."Scope", $9
            FROM updated u JOIN "Applications" a ON a."Id" = u."ApplicationId"
        )
        SELECT xmin FROM updated
        """;

    // ADR 0031, 0035: a poll of a pending request in one statement, which records whether it came too soon
    // and returns that. Concurrent polls queue on the row: PostgreSQL re-reads the newest version of a
    // row that changed while the update waited, checks the conditions again (a request no longer
    // pending goes the other way untouched) and computes the new values from that version, so each
    // poll sees the one before it. The interval grows exactly as BackchannelAuthenticationRequest.Poll
    // and MinimumPollGap decide (too soon = less than the interval minus 20 %, at most 1 second, since
    // the last poll); the condition is written twice because an UPDATE's SET cannot name another.
    private const string PollPending = """
        UPDATE "BackchannelRequests" AS b
        SET "LastPolledAt" = $1,
            "LastPollTooSoon" = (b."LastPolledAt" IS NOT NULL
                AND $1 - b."LastPolledAt" < make_interval(secs => b."IntervalSeconds") - LEAST(make_interval(secs => b."IntervalSeconds") / 5, interval '1 second')),
            "IntervalSeconds" = CASE
                WHEN b."LastPolledAt" IS NOT NULL
                    AND $1 - b."LastPolledAt" < make_interval(secs => b."IntervalSeconds") - LEAST(make_interval(secs => b."IntervalSeconds") / 5, interval '1 second')
                THEN b."IntervalSeconds" + $4
                ELSE b."IntervalSeconds" END
        WHERE b."AuthReqIdHash" = $2 AND b."ApplicationId" = $3 AND b."Status" = 0 AND b."ExpiresAt" > $1
            AND NOT EXISTS (SELECT 1 FROM "AspNetUsers" AS u WHERE u."Id" = b."UserId" AND u."LockoutEnd" > $1)
        RETURNING b."LastPollTooSoon"
        """;

    public async Task<BackchannelGrantLookup> FindAsync(
        Guid organizationId, string clientId, byte[] authReqIdHash, CancellationToken cancellationToken)
    {
        // ADR 0031: the application from memory; then the request and its user's lockout in one query.
        var application = await applications.FindAsync(organizationId, clientId, cancellationToken);
        if (application is null)
        {
            return new BackchannelGrantLookup(null, null);
        }

        // The read is idempotent: retried once after a transient failure (issue 10 item 4).
        var found = await failures.RetryReadOnceAsync(() => FindRequestAsync(db, authReqIdHash, cancellationToken));
        return new BackchannelGrantLookup(application, found?.Request, found?.LockoutEnd);
    }

    // Compiled once: EF neither walks the expression tree to find its parameters nor looks the query
    // up in its cache on each poll that reads a request (a redemption, a denial, an expiry).
    private static readonly Func<CibaDbContext, byte[], CancellationToken, Task<FoundRequest?>> FindRequestAsync =
        EF.CompileAsyncQuery((CibaDbContext db, byte[] hash, CancellationToken _) => db.BackchannelRequests
            .Where(r => r.AuthReqIdHash == hash)
            .Select(r => new FoundRequest(r, db.Users.Where(u => u.Id == r.UserId).Select(u => u.LockoutEnd).FirstOrDefault()))
            .SingleOrDefault());

    private sealed record FoundRequest(BackchannelAuthenticationRequest Request, DateTimeOffset? LockoutEnd);

    public async Task<PollOutcome?> TryPollPendingAsync(Guid applicationId, byte[] authReqIdHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authReqIdHash);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(NonDurableCommit));
        var poll = new NpgsqlBatchCommand(PollPending);
        poll.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        poll.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = authReqIdHash, NpgsqlDbType = NpgsqlDbType.Bytea });
        poll.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = applicationId });
        poll.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BackchannelAuthenticationRequest.SlowDownIncrementSeconds });
        batch.BatchCommands.Add(poll);

        // ADR 0033: prepared once per connection, then only bound and executed.
        await using var reader = await batch.ExecutePreparedReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return reader.GetBoolean(0) ? PollOutcome.SlowDown : PollOutcome.Pending;
    }

    public async Task<bool> TrySavePollAsync(BackchannelAuthenticationRequest request, bool durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = db.Entry(request);
        var version = entry.Property<uint>(VersionProperty);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        if (!durable)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(NonDurableCommit));
        }

        var redeemed = request.Status == BackchannelRequestStatus.Redeemed;
        var update = new NpgsqlBatchCommand(redeemed ? UpdateRedeemed : UpdatePoll);
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = request.LastPolledAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = request.IntervalSeconds });
        update.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)request.Status });
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = request.RedeemedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = request.Id });
        update.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = version.OriginalValue, NpgsqlDbType = NpgsqlDbType.Xid });
        update.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = request.LastPollTooSoon });
        if (redeemed)
        {
            update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7(request.RedeemedAt ?? DateTimeOffset.UtcNow) });
            update.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = Clip(AuditAmbient.SourceAddress), NpgsqlDbType = NpgsqlDbType.Text });
        }

        batch.BatchCommands.Add(update);

        await using var reader = await batch.ExecutePreparedReaderAsync(cancellationToken);
        if (!durable)
        {
            await reader.NextResultAsync(cancellationToken);
        }

        if (!await reader.ReadAsync(cancellationToken))
        {
            return false;
        }

        version.CurrentValue = reader.GetFieldValue<uint>(0);
        entry.OriginalValues.SetValues(entry.CurrentValues);
        entry.State = EntityState.Unchanged;
        return true;
    }

    private static string? Clip(string? address) =>
        address is { Length: > AuditEvent.MaxAddressLength } ? address[..AuditEvent.MaxAddressLength] : address;

    public Task ReloadAsync(BackchannelAuthenticationRequest request, CancellationToken cancellationToken) =>
        db.Entry(request).ReloadAsync(cancellationToken);
}
