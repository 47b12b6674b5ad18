using System.Net;
using Ciba.Domain.Audit;
using Ciba.Domain.Backchannel;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Protection;

/// <summary>product.md §14 "This wasn't me": denies, records a report, starts the cooldown, emails the administrators; an admin can end the cooldown.</summary>
public sealed class ReportTests(CibaWebFactoryWithoutDispatcher factory) : IClassFixture<CibaWebFactoryWithoutDispatcher>
{
    [Fact]
    public async Task ThisWasntMe_DeniesReportsCoolsDownAndEmailsAdmins_UntilAnAdminEndsTheCooldown()
    {
        using var client = new ProtocolClient(factory);
        var (authReqId, linkKey) = await client.StartExternalAsync("demo-kiosk", "alice");
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");
        var consentUrl = "/t/demo/oauth2/ciba_authorize?authCodeKey=" + Uri.EscapeDataString(linkKey);
        var consent = await alice.GetPageAsync(consentUrl);
        Assert.Contains("/t/demo/oauth2/ciba_authorize/report", consent, StringComparison.Ordinal);
        Assert.Contains("Requested at", consent, StringComparison.Ordinal);

        using var reported = await alice.PostFormAsync("/t/demo/oauth2/ciba_authorize/report", [new("authCodeKey", linkKey)], consentUrl);

        Assert.Equal(HttpStatusCode.Redirect, reported.StatusCode);
        Assert.EndsWith("done?outcome=reported", reported.Headers.Location!.ToString(), StringComparison.Ordinal);
        var aliceId = await client.UserIdAsync("alice");
        var report = await factory.ReadAsync(db => db.RequestReports.SingleAsync(r => r.UserId == aliceId));
        var status = await factory.ReadAsync(db => db.BackchannelRequests.Where(r => r.Id == report.BackchannelRequestId).Select(r => r.Status).SingleAsync());
        Assert.Equal(BackchannelRequestStatus.Denied, status);
        Assert.True(await factory.ReadAsync(db => db.OutgoingMessages.AnyAsync(m => m.Recipient == "admin@demo.test" && m.BackchannelRequestId == null)));
        var audit = Assert.Single(await ProtectionTestData.AuditAsync(factory.Services, AuditActions.RequestReported), e => e.UserId == aliceId);
        Assert.DoesNotContain(linkKey, ProtectionTestData.Text(audit), StringComparison.Ordinal);
        using var poll = await client.PollAsync(authReqId, "demo-kiosk");
        await ProtocolClient.AssertOAuthErrorAsync(poll, HttpStatusCode.BadRequest, "access_denied");

        // The cooldown: this application may not reach alice; another still may.
        var stored = await ProtectionTestData.RequestCountAsync(factory.Services, "alice");
        using var blocked = await client.BackchannelAsync(ProtocolClient.ExternalRequest("alice"), "demo-kiosk");
        await ProtocolClient.AssertOAuthErrorAsync(blocked, HttpStatusCode.Forbidden, "access_denied");
        Assert.Contains("Cooldown", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(stored, await ProtectionTestData.RequestCountAsync(factory.Services, "alice"));
        await client.StartExternalAsync("demo-tv", "alice");

        using var admin = await ConsoleSession.AdminAsync(factory);
        var reports = await admin.GetPageAsync("/t/demo/console/reports");
        Assert.Contains("End cooldown", reports, StringComparison.Ordinal);
        using var ended = await admin.PostFormAsync($"/t/demo/console/reports/{report.Id}/end-cooldown", [], "/t/demo/console/reports");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Single(await ProtectionTestData.AuditAsync(factory.Services, AuditActions.CooldownEnded));

        await client.StartExternalAsync("demo-kiosk", "alice");
    }

    [Fact]
    public async Task Cooldown_EndsByItself_AfterTheOrganizationsPeriod()
    {
        await ProtectionTestData.SetLimitsAsync(factory.Services, pending: 100, perClient: 1000, cooldownMinutes: 5);
        using var client = new ProtocolClient(factory);
        var (_, linkKey) = await client.StartExternalAsync("demo-kiosk", "admin");
        using var admin = await ConsoleSession.AdminAsync(factory);
        var consentUrl = "/t/demo/oauth2/ciba_authorize?authCodeKey=" + Uri.EscapeDataString(linkKey);
        using var reported = await admin.PostFormAsync("/t/demo/oauth2/ciba_authorize/report", [new("authCodeKey", linkKey)], consentUrl);
        Assert.Equal(HttpStatusCode.Redirect, reported.StatusCode);

        using var blocked = await client.BackchannelAsync(ProtocolClient.ExternalRequest("admin"), "demo-kiosk");
        await ProtocolClient.AssertOAuthErrorAsync(blocked, HttpStatusCode.Forbidden, "access_denied");

        factory.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await client.StartExternalAsync("demo-kiosk", "admin");
        await ProtectionTestData.SetLimitsAsync(factory.Services, pending: 100, perClient: 1000);
    }
}
