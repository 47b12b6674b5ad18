using System.Net;
using System.Text.Json;
using Ciba.Domain.Audit;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Retention;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protection;

/// <summary>product.md §14 audit log: one test per action, each asserting the row and that no secret reached it.</summary>
public sealed class AuditTrailTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task BackchannelAccepted_IsAudited_WithoutTheAuthReqIdOrLinkKey()
    {
        using var client = new ProtocolClient(factory);
        var (authReqId, linkKey) = await client.StartExternalAsync("demo-kiosk", "bob");
        var bobId = await client.UserIdAsync("bob");

        var row = Assert.Single(await ProtectionTestData.AuditAsync(factory.Services, AuditActions.BackchannelAccepted), e => e.UserId == bobId && e.Actor == "demo-kiosk");

        Assert.Equal((AuditActorKind.Client, "demo-kiosk", AuditOutcome.Succeeded), (row.ActorKind, row.Actor, row.Outcome));
        Assert.NotNull(row.ApplicationId);
        AssertNoSecret(row, authReqId, linkKey);
    }

    [Fact]
    public async Task BackchannelRefused_IsAudited_WithTheError_AndWithoutTheSecret()
    {
        using var client = new ProtocolClient(factory);
        using var response = await client.BackchannelAsync(ProtocolClient.ExternalRequest("bob"), "demo-kiosk", "Wrong-Secret-123");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var row = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.BackchannelRefused)).Last();

        Assert.Equal(AuditOutcome.Refused, row.Outcome);
        Assert.StartsWith("invalid_client", row.Detail, StringComparison.Ordinal);
        AssertNoSecret(row, "Wrong-Secret-123");
    }

    [Fact]
    public async Task SignIn_SucceededAndFailed_AreAudited_WithoutThePassword()
    {
        using var failed = ConsoleSession.Anonymous(factory);
        using var response = await failed.PostFormAsync("/t/demo/login", [new("Login", "alice"), new("Password", "Not-Her-Passw0rd!")]);
        using var signedIn = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        var failure = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.SignInFailed)).Last();
        var success = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.SignInSucceeded)).Last(e => e.Actor == "alice");

        Assert.Equal(("alice", AuditOutcome.Failed), (failure.Actor, failure.Outcome));
        Assert.Equal(AuditOutcome.Succeeded, success.Outcome);
        AssertNoSecret(failure, "Not-Her-Passw0rd!");
        AssertNoSecret(success, "Alice-Passw0rd!");
    }

    [Fact]
    public async Task ApprovedAndTokensIssued_AreAudited_WithoutTokens()
    {
        using var client = new ProtocolClient(factory);
        var (authReqId, linkKey) = await client.StartExternalAsync("demo-kiosk", "admin");
        Assert.True((await client.ApproveAsync(linkKey, "admin")).IsSuccess);
        factory.Time.Advance(TimeSpan.FromSeconds(3));
        using var poll = await client.PollAsync(authReqId, "demo-kiosk");
        await ProtocolClient.AssertOkAsync(poll);
        using var json = await ProtocolClient.ReadJsonAsync(poll);
        var accessToken = json.RootElement.GetProperty("access_token").GetString()!;
        var adminId = await client.UserIdAsync("admin");

        var approved = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.RequestApproved)).Last(e => e.UserId == adminId);
        var issued = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.TokensIssued)).Last(e => e.UserId == adminId);

        Assert.Equal(AuditActorKind.User, approved.ActorKind);
        Assert.Equal((AuditActorKind.Client, "demo-kiosk"), (issued.ActorKind, issued.Actor));
        AssertNoSecret(approved, authReqId, linkKey);
        AssertNoSecret(issued, authReqId, linkKey, accessToken);
    }

    [Fact]
    public async Task Denied_IsAudited()
    {
        using var client = new ProtocolClient(factory);
        var (authReqId, linkKey) = await client.StartExternalAsync("demo-tv", "bob");
        Assert.True((await client.DenyAsync(linkKey, "bob")).IsSuccess);
        var bobId = await client.UserIdAsync("bob");

        var denied = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.RequestDenied)).Last(e => e.UserId == bobId);

        Assert.Equal(AuditOutcome.Succeeded, denied.Outcome);
        AssertNoSecret(denied, authReqId, linkKey);
    }

    [Fact]
    public async Task MessageSent_IsAudited_WithTheRecipientMasked()
    {
        using var client = new ProtocolClient(factory);
        var form = ProtocolClient.SeedRequest();
        form["login_hint"] = "alice";
        form["notification_channel"] = "email";
        using var response = await client.BackchannelAsync(form);
        await ProtocolClient.AssertOkAsync(response);

        AuditEvent? sent = null;
        for (var i = 0; i < 100 && sent is null; i++)
        {
            sent = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.MessageSent)).LastOrDefault();
            if (sent is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(sent);
        Assert.Equal(AuditActorKind.System, sent.ActorKind);
        Assert.DoesNotContain("alice@demo.test", ProtectionTestData.Text(sent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_IsAudited_WithoutTokens()
    {
        using var lifecycle = new Tokens.TokenLifecycleClient(factory);
        var tokens = await lifecycle.GrantAsync();
        var refreshed = await lifecycle.RefreshOkAsync(tokens.RefreshToken!, scope: "openid");
        var aliceId = await lifecycle.Protocol.UserIdAsync("alice");

        var row = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.TokensRefreshed)).Last(e => e.UserId == aliceId);

        Assert.Equal((AuditActorKind.Client, "demo-tv", AuditOutcome.Succeeded), (row.ActorKind, row.Actor, row.Outcome));
        Assert.NotNull(row.ApplicationId);
        AssertNoSecret(row, tokens.RefreshToken!, refreshed.RefreshToken!, refreshed.AccessToken, refreshed.IdToken);
    }

    [Fact]
    public async Task RefreshReuse_IsAuditedAsRefused_WithoutTokens()
    {
        using var lifecycle = new Tokens.TokenLifecycleClient(factory);
        var tokens = await lifecycle.GrantAsync();
        await lifecycle.RefreshOkAsync(tokens.RefreshToken!);
        using (await lifecycle.RefreshAsync(tokens.RefreshToken!))
        {
        }

        var row = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.TokensRefreshed)).Last();

        Assert.Equal(AuditOutcome.Refused, row.Outcome);
        Assert.Contains("revoked", row.Detail, StringComparison.Ordinal);
        AssertNoSecret(row, tokens.RefreshToken!);
    }

    [Fact]
    public async Task Revocation_OfEachTokenType_IsAudited_WithoutTheToken()
    {
        using var lifecycle = new Tokens.TokenLifecycleClient(factory);
        var tokens = await lifecycle.GrantAsync();
        var before = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.TokenRevoked)).Count;

        using (await lifecycle.RevokeAsync(tokens.AccessToken))
        using (await lifecycle.RevokeAsync(tokens.RefreshToken!))
        using (await lifecycle.RevokeAsync("never-issued"))
        {
        }

        var rows = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.TokenRevoked)).Skip(before).ToList();
        Assert.Equal(["access_token", "refresh_token"], rows.Select(r => r.Subject));
        Assert.All(rows, row =>
        {
            Assert.Equal((AuditActorKind.Client, "demo-tv", AuditOutcome.Succeeded), (row.ActorKind, row.Actor, row.Outcome));
            AssertNoSecret(row, tokens.AccessToken, tokens.RefreshToken!, tokens.IdToken);
        });
    }

    [Fact]
    public async Task SignOutOfAnApplication_IsAuditedAsARevocation_ByThePersonOrTheAdministrator()
    {
        using var lifecycle = new Tokens.TokenLifecycleClient(factory);
        var tokens = await lifecycle.GrantAsync();
        var aliceId = await lifecycle.Protocol.UserIdAsync("alice");
        var tvId = await factory.ReadAsync(db => db.Applications.Where(a => a.ClientId == "demo-tv").Select(a => a.Id).SingleAsync());
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");
        using var admin = await ConsoleSession.AdminAsync(factory);

        using (await alice.PostFormAsync($"/t/demo/account/applications/{tvId}/sign-out", [], "/t/demo/account/applications"))
        using (await admin.PostFormAsync($"/t/demo/console/users/{aliceId}/applications/{tvId}/sign-out", [], $"/t/demo/console/users/{aliceId}"))
        {
        }

        var rows = (await ProtectionTestData.AuditAsync(factory.Services, AuditActions.TokenRevoked)).Where(e => e.UserId == aliceId && e.ApplicationId == tvId).TakeLast(2).ToList();
        Assert.Equal([(AuditActorKind.User, "alice"), (AuditActorKind.Administrator, "admin")], rows.Select(r => (r.ActorKind, r.Actor!)));
        Assert.All(rows, row => AssertNoSecret(row, tokens.RefreshToken!, tokens.AccessToken));
    }

    [Fact]
    public async Task ConsoleChange_IsAudited_WithTheFieldsChanged_AndSecretsRedacted()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var bobId = await new ProtocolClient(factory).UserIdAsync("bob");
        using var settings = await admin.PostFormAsync("/t/demo/console/settings", [new("RequestRetentionDays", "31"), new("MessageRetentionDays", "30"), new("AuditRetentionDays", "365")]);
        Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
        using var password = await admin.PostFormAsync($"/t/demo/console/users/{bobId}/password", [new("Password", "Bobs-New-Passw0rd!")], $"/t/demo/console/users/{bobId}");
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);

        var organization = (await ProtectionTestData.AuditAsync(factory.Services, "console.organization.updated")).Last();
        var user = (await ProtectionTestData.AuditAsync(factory.Services, "console.user.updated")).Last(e => e.UserId == bobId);

        Assert.Equal((AuditActorKind.Administrator, "admin"), (organization.ActorKind, organization.Actor));
        Assert.Contains("RequestRetentionDays: '30' → '31'", organization.Detail, StringComparison.Ordinal);
        Assert.Contains("PasswordHash: [redacted]", user.Detail, StringComparison.Ordinal);
        AssertNoSecret(user, "Bobs-New-Passw0rd!", "AQAAAA");
    }

    [Fact]
    public async Task ConsolePage_FiltersByAction_AndExportsJsonLines()
    {
        using var anonymous = ConsoleSession.Anonymous(factory);
        using var failed = await anonymous.PostFormAsync("/t/demo/login", [new("Login", "bob"), new("Password", "Wrong-Passw0rd!")]);
        using var admin = await ConsoleSession.AdminAsync(factory);

        var page = await admin.GetPageAsync("/t/demo/console/audit?action=signin.failed");
        Assert.Contains("signin.failed", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<code>signin.succeeded</code>", page, StringComparison.Ordinal);

        using var export = await admin.GetAsync("/t/demo/console/audit/export?action=signin.failed");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("signin.failed", json.RootElement.GetProperty("action").GetString());
        });
    }

    [Fact]
    public async Task Retention_DeletesEventsOlderThanTheOrganizationsPeriod_AndKeepsTheRest()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
        var now = factory.Time.GetUtcNow();
        var old = AuditEvent.Create(organization.Id, "test.old", AuditOutcome.Succeeded, AuditActorKind.System, null, now.AddDays(-organization.AuditRetentionDays - 1));
        var kept = AuditEvent.Create(organization.Id, "test.kept", AuditOutcome.Succeeded, AuditActorKind.System, null, now.AddDays(-organization.AuditRetentionDays + 1));
        db.AuditEvents.AddRange(old, kept);
        await db.SaveChangesAsync();

        var result = await factory.Services.GetRequiredService<RetentionPurger>().PurgeAsync(CancellationToken.None);

        Assert.True(result.AuditEvents >= 1);
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Id == old.Id));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Id == kept.Id));
    }

    [Fact]
    public async Task AuditEvents_AreAppendOnly()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
        db.AuditEvents.Add(AuditEvent.Create(organization.Id, "test.append", AuditOutcome.Succeeded, AuditActorKind.System, null, factory.Time.GetUtcNow()));
        await db.SaveChangesAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""UPDATE "AuditEvents" SET "Detail" = 'changed'"""));
    }

    private static void AssertNoSecret(AuditEvent row, params string[] secrets)
    {
        var text = ProtectionTestData.Text(row);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
