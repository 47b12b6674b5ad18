using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Application.Tests.Backchannel;

public class BackchannelInitiationStoreTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private Organization _organization = null!;
    private Organization _other = null!;
    private ClientApplication _kiosk = null!;
    private CibaUser _alice = null!;
    private CibaUser _bob = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        var now = fixture.Time.GetUtcNow();
        _organization = Organization.Create("acme", "Acme", now);
        _other = Organization.Create("other", "Other", now);
        _kiosk = ClientApplication.Create(_organization.Id, "Kiosk", "kiosk", SecretHashing.HashClientSecret("s"), [GrantTypes.Ciba], CibaSettings.Default, now);
        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.Organizations.AddRange(_organization, _other);
            db.Applications.Add(_kiosk);
            return await db.SaveChangesAsync();
        });
        _alice = new CibaUser { OrganizationId = _organization.Id, UserName = "alice", Email = "alice@acme.test", EmailConfirmed = true, PhoneNumber = "+441234567890" };
        _bob = new CibaUser { OrganizationId = _organization.Id, UserName = "bob@acme.test" };
        var carol = new CibaUser { OrganizationId = _organization.Id, UserName = "carol", Email = "bob@acme.test" };
        var erin = new CibaUser { OrganizationId = _organization.Id, UserName = "erin", Email = "shared2@acme.test", PhoneNumber = "+441234567891" };
        var frank = new CibaUser { OrganizationId = _organization.Id, UserName = "frank", PhoneNumber = "+441234567891" };
        foreach (var user in new[] { _alice, _bob, carol, erin, frank })
        {
            var created = await fixture.InScopeAsync(sp => sp.GetRequiredService<UserManager<CibaUser>>().CreateAsync(user, "Correct-Horse-9"), _organization.Id);
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        var stranger = new CibaUser { OrganizationId = _other.Id, UserName = "zoe", Email = "zoe@other.test" };
        await fixture.InScopeAsync(sp => sp.GetRequiredService<UserManager<CibaUser>>().CreateAsync(stranger, "Correct-Horse-9"), _other.Id);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("alice")]
    [InlineData(" ALICE ")]
    [InlineData("Alice@Acme.Test")]
    [InlineData("+44 1234 567890")]
    public async Task Find_ReturnsTheClientAndTheUserTheHintNames(string hint)
    {
        var found = await FindAsync("kiosk", hint);

        Assert.Equal(_kiosk.Id, found.Client?.Id);
        Assert.Equal(_alice.Id, found.User?.Id);
        Assert.True(found.User!.EmailVerified);
        Assert.Equal("+441234567890", found.User.MobileNumber);
    }

    [Fact]
    public async Task Find_WithAHintNamingTwoPeople_PrefersTheUsername()
    {
        var found = await FindAsync("kiosk", "BOB@acme.test");

        Assert.Equal(_bob.Id, found.User?.Id);
    }

    [Fact]
    public async Task Find_WithAHintNamingTwoPeopleByMobileNumber_FindsNobody()
    {
        var found = await FindAsync("kiosk", "+441234567891");

        Assert.Equal(_kiosk.Id, found.Client?.Id);
        Assert.Null(found.User);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("zoe")]
    public async Task Find_WithAHintNamingNobodyInTheOrganization_ReturnsTheClientAlone(string hint)
    {
        var found = await FindAsync("kiosk", hint);

        Assert.Equal(_kiosk.Id, found.Client?.Id);
        Assert.Null(found.User);
    }

    [Fact]
    public async Task Find_WithoutAHint_ReturnsNoUser()
    {
        var found = await FindAsync("kiosk", null);

        Assert.Equal(_kiosk.Id, found.Client?.Id);
        Assert.Null(found.User);
    }

    [Fact]
    public async Task Find_WithAnUnknownClient_ReturnsNothing()
    {
        var found = await FindAsync("unknown", "alice");

        Assert.Null(found.Client);
        Assert.Null(found.User);
    }

    [Fact]
    public async Task Find_MatchesTheUserDirectory()
    {
        foreach (var hint in new[] { "alice", "bob@acme.test", "+441234567891", "+44 1234 567890", "shared2@acme.test", "zoe", "nobody" })
        {
            var found = await FindAsync("kiosk", hint);
            var expected = await fixture.InScopeAsync(sp => sp.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(_organization.Id, hint, default));

            Assert.Equal(expected, found.User);
        }
    }

    [Fact]
    public async Task Find_WithoutProviders_ReturnsNone()
    {
        var found = await FindAsync("kiosk", "alice");

        Assert.Equal(EmailProviderKind.None, found.EmailProvider);
        Assert.Equal(SmsProviderKind.None, found.SmsProvider);
    }

    [Fact]
    public async Task Find_ReturnsTheOrganizationsProviders()
    {
        var now = fixture.Time.GetUtcNow();
        await fixture.InScopeAsync(async sp =>
        {
            var providers = NotificationProviders.CreateFor(_organization.Id, now);
            providers.UseEmailDevelopmentInbox(now);
            providers.UseSmsDevelopmentInbox(now);
            var others = NotificationProviders.CreateFor(_other.Id, now);
            others.UseEmailDevelopmentInbox(now);
            var db = sp.GetRequiredService<CibaDbContext>();
            db.NotificationProviders.AddRange(providers, others);
            return await db.SaveChangesAsync();
        });

        var found = await FindAsync("kiosk", "alice");

        Assert.Equal(EmailProviderKind.DevelopmentInbox, found.EmailProvider);
        Assert.Equal(SmsProviderKind.DevelopmentInbox, found.SmsProvider);
    }

    [Fact]
    public async Task SaveAccepted_WithoutATransactionOfItsOwn_StillSavesAllRowsOrNone()
    {
        var now = fixture.Time.GetUtcNow();
        BackchannelAuthenticationRequest Request(string authReqId) => BackchannelAuthenticationRequest.Create(
            _organization.Id, _kiosk.Id, _alice.Id, SecretHashing.HashToken(authReqId), SecretHashing.HashToken(authReqId + "-link"),
            "openid", null, NotificationChannels.External, 300, 5, now);
        await SaveAcceptedAsync([Request("first")]);
        Assert.Equal(1, await CountRequestsAsync());

        // The request is inserted first (its message depends on it); the message names no organization
        // and fails: the request before it is not kept either.
        var second = Request("second");
        var orphan = OutgoingMessage.Create(Guid.NewGuid(), second.Id, MessageChannel.Email, "alice@acme.test", "protected", null, now);
        await Assert.ThrowsAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => SaveAcceptedAsync([second], orphan));
        Assert.Equal(1, await CountRequestsAsync());

        await SaveAcceptedAsync([Request("third"), Request("fourth")]);
        Assert.Equal(3, await CountRequestsAsync());
    }

    [Fact]
    public async Task SaveAccepted_WritesEveryColumnOfTheRequestTheAuditEventAndTheMessage_AsTheModelMapsThem()
    {
        var now = fixture.Time.GetUtcNow();
        var request = BackchannelAuthenticationRequest.Create(
            _organization.Id, _kiosk.Id, _alice.Id, SecretHashing.HashToken("full"), SecretHashing.HashToken("full-link"),
            "openid profile", "Code 1234", NotificationChannels.Email | NotificationChannels.Sms, 300, 5, now);
        var message = OutgoingMessage.Create(_organization.Id, request.Id, MessageChannel.Sms, "+441234567890", "protected", request.ExpiresAt, now);
        var audit = Ciba.Domain.Audit.AuditEvent.Create(
            _organization.Id, "backchannel.accepted", Ciba.Domain.Audit.AuditOutcome.Succeeded, Ciba.Domain.Audit.AuditActorKind.Client, "kiosk", now,
            _alice.Id, _kiosk.Id, "alice", "Scope: openid", "203.0.113.7");
        var written = await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.BackchannelRequests.Add(request);
            db.OutgoingMessages.Add(message);
            db.AuditEvents.Add(audit);
            Assert.True(PreparedInserts.CanWrite(db));
            await sp.GetRequiredService<IBackchannelInitiationStore>().SaveAcceptedAsync(default);
            Assert.All(db.ChangeTracker.Entries(), e => Assert.Equal(Microsoft.EntityFrameworkCore.EntityState.Unchanged, e.State));
            return db.ChangeTracker.Entries().Select(e => (e.Metadata.ClrType, Values: e.CurrentValues.Clone())).ToList();
        });

        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            var read = new object[]
            {
                await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.BackchannelRequests, r => r.Id == request.Id),
                await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.OutgoingMessages, m => m.Id == message.Id),
                await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.AuditEvents, a => a.Id == audit.Id),
            };
            foreach (var entity in read)
            {
                var stored = db.Entry(entity).CurrentValues;
                var expected = written.Single(w => w.ClrType == entity.GetType()).Values;
                foreach (var property in stored.Properties)
                {
                    var want = expected[property];
                    var got = stored[property];
                    if (want is DateTimeOffset wantTime && got is DateTimeOffset gotTime)
                    {
                        // PostgreSQL keeps microseconds.
                        Assert.True((wantTime - gotTime).Duration() < TimeSpan.FromMilliseconds(1), $"{entity.GetType().Name}.{property.Name}");
                    }
                    else
                    {
                        Assert.True(Equals(want, got) || (want is byte[] a && got is byte[] b && a.SequenceEqual(b)), $"{entity.GetType().Name}.{property.Name}: {want} != {got}");
                    }
                }
            }

            return 0;
        });
    }

    private Task<int> SaveAcceptedAsync(BackchannelAuthenticationRequest[] requests, OutgoingMessage? message = null) =>
        fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            foreach (var request in requests)
            {
                db.BackchannelRequests.Add(request);
            }

            if (message is not null)
            {
                db.OutgoingMessages.Add(message);
            }

            await sp.GetRequiredService<IBackchannelInitiationStore>().SaveAcceptedAsync(default);
            return requests.Length;
        });

    private Task<int> CountRequestsAsync() =>
        fixture.InScopeAsync(sp => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            sp.GetRequiredService<CibaDbContext>().BackchannelRequests, r => r.OrganizationId == _organization.Id));

    private Task<BackchannelInitiationLookup> FindAsync(string clientId, string? hint) =>
        fixture.InScopeAsync(sp => sp.GetRequiredService<IBackchannelInitiationStore>().FindAsync(_organization.Id, clientId, hint, default));
}
