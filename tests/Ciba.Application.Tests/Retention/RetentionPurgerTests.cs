using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Retention;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ciba.Application.Tests.Retention;

/// <summary>
/// Issue 10 item 6, product.md §14: the purge deletes exactly what its organization's periods make
/// due (a row at the boundary is kept), and two purgers at once are safe.
/// </summary>
public sealed class RetentionPurgerTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private readonly List<Guid> _kept = [];
    private readonly List<Guid> _due = [];
    private DateTimeOffset _now;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _now = fixture.Time.GetUtcNow();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Purge_DeletesWhatIsDueByEachOrganizationsPeriods_AndKeepsTheBoundary()
    {
        var acme = await OrganizationAsync("acme", periods: null);
        var brief = await OrganizationAsync("brief", periods: (7, 3));

        // acme: 30 days for requests and messages (the defaults).
        await RequestAsync(acme, BackchannelRequestStatus.Redeemed, created: Days(40), ended: Days(31), due: true);
        await RequestAsync(acme, BackchannelRequestStatus.Redeemed, created: Days(35), ended: Days(30), due: false);
        await RequestAsync(acme, BackchannelRequestStatus.Denied, created: Days(35), ended: Days(30) + TimeSpan.FromSeconds(1), due: true);
        await RequestAsync(acme, BackchannelRequestStatus.Pending, created: Days(32), ended: Days(31), due: true);
        await RequestAsync(acme, BackchannelRequestStatus.Approved, created: Days(32), ended: Days(31), due: true);
        await RequestAsync(acme, BackchannelRequestStatus.Pending, created: Days(31), ended: Days(29), due: false);
        await RequestAsync(acme, BackchannelRequestStatus.Redeemed, created: Days(9), ended: Days(8), due: false);
        await MessageAsync(acme, DeliveryStatus.Sent, completed: Days(31), due: true);
        await MessageAsync(acme, DeliveryStatus.Failed, completed: Days(31), due: true);
        await MessageAsync(acme, DeliveryStatus.Skipped, completed: Days(31), due: true);
        await MessageAsync(acme, DeliveryStatus.Sent, completed: Days(30), due: false);
        await MessageAsync(acme, DeliveryStatus.Pending, completed: null, due: false);
        await MessageAsync(acme, DeliveryStatus.Sent, completed: Days(4), due: false);
        await InboxAsync(acme, received: Days(31), due: true);
        await InboxAsync(acme, received: Days(30), due: false);

        // brief: 7 days for requests, 3 for messages.
        await RequestAsync(brief, BackchannelRequestStatus.Redeemed, created: Days(9), ended: Days(8), due: true);
        await RequestAsync(brief, BackchannelRequestStatus.Redeemed, created: Days(7), ended: Days(6), due: false);
        await MessageAsync(brief, DeliveryStatus.Sent, completed: Days(4), due: true);
        await MessageAsync(brief, DeliveryStatus.Sent, completed: Days(2), due: false);
        await InboxAsync(brief, received: Days(4), due: true);
        await InboxAsync(brief, received: Days(3), due: false);

        var result = await Purger(batchSize: 2).PurgeAsync(CancellationToken.None);

        Assert.True(result.Ran);
        Assert.Equal(5, result.Requests);
        Assert.Equal(4, result.Messages);
        Assert.Equal(2, result.InboxMessages);
        var remaining = await RemainingIdsAsync();
        Assert.Equal(_kept.Order(), remaining.Order());
        Assert.Empty(_due.Intersect(remaining));
    }

    [Fact]
    public async Task Purge_TwoAtOnce_DeleteEverythingDueOnceWithoutErrors()
    {
        var acme = await OrganizationAsync("acme", periods: null);
        await ExecuteAsync($"""
            INSERT INTO "DevelopmentInboxMessages" ("Id", "OrganizationId", "Channel", "Recipient", "Subject", "Body", "Link", "ReceivedAt")
            SELECT gen_random_uuid(), '{acme}', 0, 'someone@acme.test', NULL, 'body', NULL, $1 - make_interval(secs => g)
            FROM generate_series(1, 2500) AS g
            """, _now - Days(31));

        var results = await Task.WhenAll(Purger(batchSize: 100).PurgeAsync(CancellationToken.None), Purger(batchSize: 100).PurgeAsync(CancellationToken.None));

        Assert.Contains(results, r => r.Ran);
        Assert.Equal(2500, results.Sum(r => r.InboxMessages));
        Assert.Empty(await RemainingIdsAsync());
    }

    [Fact]
    public async Task Purge_DeletesSignInThrottlesIdleForTwelveHours_AndKeepsTheRest()
    {
        var acme = await OrganizationAsync("acme", periods: null);
        await ThrottleAsync(acme, "stale", lastAttempt: TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));
        await ThrottleAsync(acme, "boundary", lastAttempt: TimeSpan.FromHours(12));
        await ThrottleAsync(acme, "recent", lastAttempt: TimeSpan.FromMinutes(5));

        var result = await Purger(batchSize: 1).PurgeAsync(CancellationToken.None);

        Assert.Equal(1, result.SignInThrottles);
        var remaining = await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().SignInThrottles.Select(t => t.AddressKey).ToListAsync());
        Assert.Equal(["boundary", "recent"], remaining.Order());
    }

    [Fact]
    public void SetRetention_OutOfRange_IsRefused()
    {
        var organization = Organization.Create("acme", "Acme", _now);

        Assert.Throws<ArgumentOutOfRangeException>(() => organization.SetRetention(0, 30, 365));
        Assert.Throws<ArgumentOutOfRangeException>(() => organization.SetRetention(30, 30, Organization.MaxRetentionDays + 1));
        organization.SetRetention(1, 2, 3);
        Assert.Equal((1, 2, 3), (organization.RequestRetentionDays, organization.MessageRetentionDays, organization.AuditRetentionDays));
    }

    private static TimeSpan Days(int days) => TimeSpan.FromDays(days);

    private RetentionPurger Purger(int batchSize) => new(
        fixture.Services.GetRequiredService<NpgsqlDataSource>(),
        Options.Create(new RetentionOptions { BatchSize = batchSize }),
        fixture.Time,
        NullLogger<RetentionPurger>.Instance);

    private sealed record Tenant(Guid Id, Guid ApplicationId, Guid UserId)
    {
        public override string ToString() => Id.ToString();
    }

    private async Task<Tenant> OrganizationAsync(string handle, (int Requests, int Messages)? periods)
    {
        var organization = Organization.Create(handle, handle, _now);
        if (periods is { } p)
        {
            organization.SetRetention(p.Requests, p.Messages, Organization.DefaultAuditRetentionDays);
        }

        var application = ClientApplication.Create(organization.Id, "App", handle + "-app", SecretHashing.HashClientSecret("s"), [GrantTypes.Ciba], CibaSettings.Default, _now);
        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.Organizations.Add(organization);
            db.Applications.Add(application);
            return await db.SaveChangesAsync();
        });
        var user = new CibaUser { OrganizationId = organization.Id, UserName = "alice", Email = $"alice@{handle}.test" };
        await fixture.InScopeAsync(sp => sp.GetRequiredService<UserManager<CibaUser>>().CreateAsync(user, "Correct-Horse-9"), organization.Id);
        return new Tenant(organization.Id, application.Id, user.Id);
    }

    private async Task RequestAsync(Tenant tenant, BackchannelRequestStatus status, TimeSpan created, TimeSpan ended, bool due)
    {
        var request = BackchannelAuthenticationRequest.Create(
            tenant.Id, tenant.ApplicationId, tenant.UserId, SecretHashing.HashToken(Guid.NewGuid().ToString()), SecretHashing.HashToken(Guid.NewGuid().ToString()),
            "openid", null, NotificationChannels.External, 300, 5, _now);
        await AddAsync(db => db.BackchannelRequests.Add(request));
        var endedAt = _now - ended;

        // Expiry is the end of a request nobody finished; a finished one expires an hour after its end.
        var expiresAt = status is BackchannelRequestStatus.Redeemed or BackchannelRequestStatus.Denied ? endedAt + TimeSpan.FromHours(1) : endedAt;
        await ExecuteAsync(
            """
            UPDATE "BackchannelRequests" SET "Status" = $2, "CreatedAt" = $3, "ExpiresAt" = $4,
                "DecidedAt" = CASE WHEN $2 IN (1, 2, 3) THEN $5 END, "RedeemedAt" = CASE WHEN $2 = 3 THEN $5 END
            WHERE "Id" = $1
            """,
            request.Id, (int)status, _now - created, expiresAt, endedAt);
        (due ? _due : _kept).Add(request.Id);
    }

    private async Task MessageAsync(Tenant tenant, DeliveryStatus status, TimeSpan? completed, bool due)
    {
        var message = OutgoingMessage.Create(tenant.Id, null, MessageChannel.Email, "alice@example.test", "protected", null, _now);
        await AddAsync(db => db.OutgoingMessages.Add(message));
        var createdAt = _now - (completed ?? Days(60)) - TimeSpan.FromMinutes(1);
        await ExecuteAsync(
            """UPDATE "OutgoingMessages" SET "Status" = $2, "CreatedAt" = $3, "CompletedAt" = $4 WHERE "Id" = $1""",
            message.Id, (int)status, createdAt, completed is { } c ? _now - c : (object)DBNull.Value);
        (due ? _due : _kept).Add(message.Id);
    }

    private async Task InboxAsync(Tenant tenant, TimeSpan received, bool due)
    {
        var message = DevelopmentInboxMessage.Create(tenant.Id, MessageChannel.Sms, "+15550100001", null, "body", null, _now);
        await AddAsync(db => db.DevelopmentInbox.Add(message));
        await ExecuteAsync("""UPDATE "DevelopmentInboxMessages" SET "ReceivedAt" = $2 WHERE "Id" = $1""", message.Id, _now - received);
        (due ? _due : _kept).Add(message.Id);
    }

    private Task<int> ThrottleAsync(Tenant tenant, string address, TimeSpan lastAttempt) => AddAsync(db => db.SignInThrottles.Add(new SignInThrottleEntry
    {
        OrganizationId = tenant.Id,
        LoginKey = SecretHashing.HashToken("alice"),
        AddressKey = address,
        Failures = 7,
        LastAttemptAt = _now - lastAttempt,
        NextAttemptAt = _now - lastAttempt + TimeSpan.FromMinutes(15),
    }));

    private Task<int> AddAsync(Action<CibaDbContext> add) => fixture.InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<CibaDbContext>();
        add(db);
        return await db.SaveChangesAsync();
    });

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private Task<List<Guid>> RemainingIdsAsync() => fixture.InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<CibaDbContext>();
        var ids = await db.BackchannelRequests.Select(r => r.Id).ToListAsync();
        ids.AddRange(await db.OutgoingMessages.Select(m => m.Id).ToListAsync());
        ids.AddRange(await db.DevelopmentInbox.Select(m => m.Id).ToListAsync());
        return ids;
    });
}
