using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Audit;
using Ciba.Domain.Applications;
using Ciba.Domain.Audit;
using Ciba.Domain.Backchannel;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// The token poll's two round trips (docs/decisions/0008-poll-store-and-non-durable-poll-writes.md):
/// one query joining the client and the auth request, then one <c>UPDATE</c> guarded by <c>xmin</c>.
/// Polls that only record their timing commit with <c>synchronous_commit = off</c>, set for that
/// transaction alone in the same round trip; a redemption commits durably.
/// </summary>
internal sealed class BackchannelGrantStore(CibaDbContext db, NpgsqlDataSource dataSource, IDatabaseFailures failures) : IBackchannelGrantStore
{
    private const string VersionProperty = "Version";

    private const string NonDurableCommit = "SELECT set_config('synchronous_commit', 'off', true)";

    private const string UpdatePoll = """
        UPDATE "BackchannelRequests"
        SET "LastPolledAt" = $1, "IntervalSeconds" = $2, "Status" = $3, "RedeemedAt" = $4
        WHERE "Id" = $5 AND xmin = $6
        RETURNING xmin
        """;

    // A redemption writes its audit event (product.md §14 "tokens issued") in the same statement,
    // so only when the guarded update happened (ADR 0027).
    private const string UpdateRedeemed = """
        WITH updated AS (
            UPDATE "BackchannelRequests"
            SET "LastPolledAt" = $1, "IntervalSeconds" = $2, "Status" = $3, "RedeemedAt" = $4
            WHERE "Id" = $5 AND xmin = $6
            RETURNING xmin, "OrganizationId", "ApplicationId", "UserId", "Scope"
        ), audited AS (
            INSERT INTO "AuditEvents" ("Id", "OrganizationId", "OccurredAt", "ActorKind", "Actor", "UserId", "ApplicationId", "Action", "Outcome", "Detail", "SourceAddress")
            SELECT $7, u."OrganizationId", $4, 1, a."ClientId", u."UserId", u."ApplicationId", 'tokens.issued', 0, 'Scope: ' || u."Scope", $8
            FROM updated u JOIN "Applications" a ON a."Id" = u."ApplicationId"
        )
        SELECT xmin FROM updated
        """;

    public async Task<BackchannelGrantLookup> FindAsync(
        Guid organizationId, string clientId, byte[] authReqIdHash, CancellationToken cancellationToken)
    {
        // The read is idempotent: retried once after a transient failure (issue 10 item 4).
        var found = await failures.RetryReadOnceAsync(() => (
                from application in db.Applications
                where application.OrganizationId == organizationId && application.ClientId == clientId
                from request in db.BackchannelRequests.Where(r => r.AuthReqIdHash == authReqIdHash).DefaultIfEmpty()
                select new
                {
                    application,
                    request,
                    lockoutEnd = db.Users.Where(u => request != null && u.Id == request.UserId).Select(u => u.LockoutEnd).FirstOrDefault(),
                })
            .SingleOrDefaultAsync(cancellationToken));
        return new BackchannelGrantLookup(found?.application, found?.request, found?.lockoutEnd);
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
        if (redeemed)
        {
            update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7(request.RedeemedAt ?? DateTimeOffset.UtcNow) });
            update.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = Clip(AuditAmbient.SourceAddress), NpgsqlDbType = NpgsqlDbType.Text });
        }

        batch.BatchCommands.Add(update);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
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
