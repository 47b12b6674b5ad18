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

    // product.md §14's counts of one person (u), written once for both statements below: pending
    // requests (created in the longest expiry, still pending and unexpired) and this application's
    // requests in the window, from one range scan of the index (UserId, CreatedAt); and the cooldown a
    // "this wasn't me" report started for this application. {app}, {now}, {pendingSince} and
    // {windowStart} name each statement's parameters.
    private const string CountColumns = """
        counts.pending, counts.recent,
            (SELECT max(r."CooldownUntil") FROM "RequestReports" AS r
             WHERE r."ApplicationId" = {app} AND r."UserId" = u."Id" AND r."CooldownUntil" > {now} AND r."CooldownEndedAt" IS NULL)
        FROM "AspNetUsers" AS u
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE b."CreatedAt" > {pendingSince} AND b."Status" = 0 AND b."ExpiresAt" > {now}) AS pending,
                count(*) FILTER (WHERE b."CreatedAt" > {windowStart} AND b."ApplicationId" = {app}) AS recent
            FROM "BackchannelRequests" AS b
            WHERE b."UserId" = u."Id" AND b."CreatedAt" > LEAST({pendingSince}, {windowStart})
        ) AS counts
        """;

    // The people the login hint names (at most two, as UserDirectory reads them), each with the counts.
    private static readonly string UsersByLoginHint = $"""
        SELECT u."Id", u."UserName", u."DisplayName", u."Email", u."EmailConfirmed", u."PhoneNumber", u."LockoutEnd",
            {Counts(app: "$4", now: "$5", pendingSince: "$6", windowStart: "$7")}
        WHERE u."OrganizationId" = $1
            AND (u."NormalizedUserName" = $2 OR u."NormalizedEmail" = $2 OR ($3::text IS NOT NULL AND u."PhoneNumber" = $3))
        ORDER BY u."Id"
        LIMIT 2
        """;

    // One person's counts, when the person was named some other way (a signed request, an ID token hint).
    private static readonly string CountsOfUser = $"""
        SELECT {Counts(app: "$2", now: "$3", pendingSince: "$4", windowStart: "$5")}
        WHERE u."Id" = $1
        """;

    public async Task<BackchannelInitiationLookup> FindAsync(Guid organizationId, string clientId, string? loginHint, CancellationToken cancellationToken)
    {
        var hasHint = loginHint is not null;
        var normalized = hasHint ? LoginHints.Normalize(loginHint!) : string.Empty;
        var phone = hasHint ? LoginHints.Phone(loginHint!) : null;
        var now = time.GetUtcNow();
        // ADR 0031: the application from memory; the rest in one round trip (ADR 0033).
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
            AddCountParameters(users, application.Id, now);
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
                matches.Add((contact, ReadCounts(reader, 7)));
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
        if (PreparedInserts.Collect(db) is { } rows)
        {
            var written = await PreparedInserts.WriteAsync(rows, dataSource, cancellationToken);
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        var counts = new NpgsqlBatchCommand(CountsOfUser);
        counts.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        AddCountParameters(counts, applicationId, now);
        batch.BatchCommands.Add(counts);
        await using var reader = await batch.ExecutePreparedReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadCounts(reader, 0) : AntiFatigueCounts.None;
    }

    private static string Counts(string app, string now, string pendingSince, string windowStart) => CountColumns
        .Replace("{app}", app, StringComparison.Ordinal)
        .Replace("{now}", now, StringComparison.Ordinal)
        .Replace("{pendingSince}", pendingSince, StringComparison.Ordinal)
        .Replace("{windowStart}", windowStart, StringComparison.Ordinal);

    /// <summary>The count parameters in the order <see cref="Counts"/> is given them: application, now, and the two window starts.</summary>
    private static void AddCountParameters(NpgsqlBatchCommand command, Guid applicationId, DateTimeOffset now)
    {
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = applicationId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.AddSeconds(-CibaSettings.MaxExpirySeconds), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - AntiFatigueLimits.Window, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    private static AntiFatigueCounts ReadCounts(NpgsqlDataReader reader, int first) => new(
        (int)reader.GetInt64(first),
        (int)reader.GetInt64(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetFieldValue<DateTimeOffset>(first + 2));
}
