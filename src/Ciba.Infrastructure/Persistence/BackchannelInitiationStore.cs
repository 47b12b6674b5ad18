using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Clients;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Notifications.Dispatch;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Ciba.Infrastructure.Persistence;

/// <summary>
/// The backchannel request's reads: the application from <see cref="IClientApplications"/> (memory,
/// ADR 0031), then one round trip of two prepared statements (ADR 0033): the organization's limits and
/// provider kinds, and the users matching the login hint (at most two, as <see cref="UserDirectory"/>
/// reads them) with their anti-fatigue counts.
/// </summary>
internal sealed class BackchannelInitiationStore(
    CibaDbContext db, IClientApplications applications, NpgsqlDataSource dataSource, OutboxWakeSignal outboxWake, TimeProvider time) : IBackchannelInitiationStore
{
    // The organization's anti-fatigue limits (product.md §14) and its provider kinds.
    private const string OrganizationSettings = """
        SELECT o."MaxPendingPerUser", o."MaxRequestsPerUserPerClient", o."CooldownMinutes", p."EmailProvider", p."SmsProvider"
        FROM "Organizations" AS o
        LEFT JOIN "NotificationProviders" AS p ON p."OrganizationId" = o."Id"
        WHERE o."Id" = $1
        """;

    // The people the login hint names (at most two, as UserDirectory reads them), each with the
    // counts of product.md §14 from one range scan of the index (UserId, CreatedAt): pending requests
    // (created in the longest expiry, still pending and unexpired) and this application's requests in
    // the window; and the cooldown a "this wasn't me" report started for this application.
    private const string UsersByLoginHint = """
        SELECT u."Id", u."UserName", u."DisplayName", u."Email", u."EmailConfirmed", u."PhoneNumber", u."LockoutEnd",
            counts.pending, counts.recent,
            (SELECT max(r."CooldownUntil") FROM "RequestReports" AS r
             WHERE r."ApplicationId" = $4 AND r."UserId" = u."Id" AND r."CooldownUntil" > $5 AND r."CooldownEndedAt" IS NULL)
        FROM "AspNetUsers" AS u
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE b."CreatedAt" > $6 AND b."Status" = 0 AND b."ExpiresAt" > $5) AS pending,
                count(*) FILTER (WHERE b."CreatedAt" > $7 AND b."ApplicationId" = $4) AS recent
            FROM "BackchannelRequests" AS b
            WHERE b."UserId" = u."Id" AND b."CreatedAt" > LEAST($6, $7)
        ) AS counts
        WHERE u."OrganizationId" = $1
            AND (u."NormalizedUserName" = $2 OR u."NormalizedEmail" = $2 OR ($3::text IS NOT NULL AND u."PhoneNumber" = $3))
        ORDER BY u."Id"
        LIMIT 2
        """;

    public async Task<BackchannelInitiationLookup> FindAsync(Guid organizationId, string clientId, string? loginHint, CancellationToken cancellationToken)
    {
        var hasHint = loginHint is not null;
        var normalized = hasHint ? LoginHints.Normalize(loginHint!) : string.Empty;
        var phone = hasHint ? LoginHints.Phone(loginHint!) : null;
        var now = time.GetUtcNow();
        var pendingSince = now.AddSeconds(-CibaSettings.MaxExpirySeconds);
        var windowStart = now - AntiFatigueLimits.Window;
        // ADR 0031: the application from memory; the rest in one statement rooted at the organization's row.
        var application = await applications.FindAsync(organizationId, clientId, cancellationToken);
        if (application is null)
        {
            return new BackchannelInitiationLookup(null, null, EmailProviderKind.None, SmsProviderKind.None);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        var organization = new NpgsqlBatchCommand(OrganizationSettings);
        organization.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = organizationId });
        batch.BatchCommands.Add(organization);
        if (hasHint)
        {
            var users = new NpgsqlBatchCommand(UsersByLoginHint);
            users.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = organizationId });
            users.Parameters.Add(new NpgsqlParameter<string> { TypedValue = normalized, NpgsqlDbType = NpgsqlDbType.Text });
            users.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = phone, NpgsqlDbType = NpgsqlDbType.Text });
            users.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = application.Id });
            users.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            users.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = pendingSince, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            users.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = windowStart, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(users);
        }

        // ADR 0033: both statements prepared once per connection; one round trip.
        await using var reader = await batch.ExecutePreparedReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new BackchannelInitiationLookup(application, null, EmailProviderKind.None, SmsProviderKind.None);
        }

        var limits = new AntiFatigueLimits(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
        var emailProvider = reader.IsDBNull(3) ? EmailProviderKind.None : (EmailProviderKind)reader.GetInt32(3);
        var smsProvider = reader.IsDBNull(4) ? SmsProviderKind.None : (SmsProviderKind)reader.GetInt32(4);
        var matches = new List<(UserContact Contact, AntiFatigueCounts Counts)>(2);
        if (hasHint)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var contact = new UserContact(
                    reader.GetGuid(0),
                    reader.IsDBNull(1) ? string.Empty : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetBoolean(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
                var counts = new AntiFatigueCounts(
                    (int)reader.GetInt64(7),
                    (int)reader.GetInt64(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9));
                matches.Add((contact, counts));
            }
        }

        var user = hasHint ? LoginHints.Pick(matches.ConvertAll(m => m.Contact), loginHint!) : null;
        var picked = matches.FindIndex(m => m.Contact.Id == user?.Id);
        return new BackchannelInitiationLookup(application, user, emailProvider, smsProvider)
        {
            Limits = limits,
            Counts = picked >= 0 ? matches[picked].Counts : AntiFatigueCounts.None,
        };
    }

    public async Task SaveAcceptedAsync(CancellationToken cancellationToken)
    {
        // ADR 0033: the request, its audit event and its messages as prepared inserts in one batch.
        if (PreparedInserts.CanWrite(db))
        {
            var written = await PreparedInserts.WriteAsync(db, dataSource, cancellationToken);
            if (written.Any(e => e.Entity is OutgoingMessage))
            {
                outboxWake.Notify();
            }

            return;
        }

        // ADR 0031: Npgsql sends EF's batch with one Sync, so it commits or fails as a whole.
        var before = db.Database.AutoTransactionBehavior;
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.Database.AutoTransactionBehavior = before;
        }
    }

    public async Task<AntiFatigueCounts> CountAsync(Guid applicationId, Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pendingSince = now.AddSeconds(-CibaSettings.MaxExpirySeconds);
        var windowStart = now - AntiFatigueLimits.Window;
        var counts = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                Pending = db.BackchannelRequests.Count(r => r.UserId == u.Id && r.CreatedAt > pendingSince
                    && r.Status == BackchannelRequestStatus.Pending && r.ExpiresAt > now),
                Recent = db.BackchannelRequests.Count(r => r.UserId == u.Id && r.CreatedAt > windowStart && r.ApplicationId == applicationId),
                CooldownUntil = db.RequestReports
                    .Where(r => r.ApplicationId == applicationId && r.UserId == u.Id && r.CooldownUntil > now && r.CooldownEndedAt == null)
                    .Max(r => (DateTimeOffset?)r.CooldownUntil),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return counts is null ? AntiFatigueCounts.None : new AntiFatigueCounts(counts.Pending, counts.Recent, counts.CooldownUntil);
    }
}
