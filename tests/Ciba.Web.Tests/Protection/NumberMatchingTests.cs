using System.Net;
using System.Text.RegularExpressions;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Protection;
using Ciba.Infrastructure.Persistence;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protection;

/// <summary>product.md §14 number matching: the code among two decoys; the right pick approves, any other denies and reports.</summary>
public sealed partial class NumberMatchingTests(CibaWebFactoryWithoutDispatcher factory) : IClassFixture<CibaWebFactoryWithoutDispatcher>
{
    private const string App = "demo-kiosk";

    [Fact]
    public async Task RightPick_Approves_AndTheTokenIsIssued()
    {
        await SetNumberMatchingAsync(App, true);
        using var client = new ProtocolClient(factory);
        var (authReqId, linkKey) = await client.StartExternalAsync(App, "bob", f => f["binding_message"] = "K7Q2");
        using var bob = await ConsoleSession.SignInAsync(factory, "bob", "Bob-Passw0rd!");
        var page = await bob.GetPageAsync(ConsentUrl(linkKey));

        var choices = Choices(page);
        Assert.Equal(3, choices.Count);
        Assert.Equal(3, choices.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("K7Q2", choices);
        Assert.All(choices, c => Assert.Matches("^[A-Z][0-9][A-Z][0-9]$", c));
        Assert.DoesNotContain("/oauth2/ciba_authorize/approve", page, StringComparison.Ordinal);

        using var picked = await bob.PostFormAsync("/t/demo/oauth2/ciba_authorize/match", [new("authCodeKey", linkKey), new("chosen", "K7Q2")], ConsentUrl(linkKey));
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        Assert.EndsWith("done?outcome=approved", picked.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(BackchannelRequestStatus.Approved, await StatusAsync(linkKey));
        using var poll = await client.PollAsync(authReqId, App);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
    }

    [Fact]
    public async Task WrongPick_DeniesReportsAndStartsTheCooldown()
    {
        await SetNumberMatchingAsync(App, true);
        using var client = new ProtocolClient(factory);
        var (authReqId, linkKey) = await client.StartExternalAsync(App, "alice", f => f["binding_message"] = "482913");
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");
        var decoy = Choices(await alice.GetPageAsync(ConsentUrl(linkKey))).First(c => c != "482913");

        using var picked = await alice.PostFormAsync("/t/demo/oauth2/ciba_authorize/match", [new("authCodeKey", linkKey), new("chosen", decoy)], ConsentUrl(linkKey));

        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        Assert.EndsWith("done?outcome=reported", picked.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(BackchannelRequestStatus.Denied, await StatusAsync(linkKey));
        var aliceId = await client.UserIdAsync("alice");
        var report = await ProtectionTestData.ReadAsync(factory.Services, db => db.RequestReports.SingleAsync(r => r.UserId == aliceId));
        Assert.Equal(ReportReason.WrongNumber, report.Reason);
        Assert.True(await ProtectionTestData.ReadAsync(factory.Services, db => db.OutgoingMessages.AnyAsync(m => m.Recipient == "admin@demo.test" && m.BackchannelRequestId == null)));
        using var poll = await client.PollAsync(authReqId, App);
        await ProtocolClient.AssertOAuthErrorAsync(poll, HttpStatusCode.BadRequest, "access_denied");
        using var blocked = await client.BackchannelAsync(ProtocolClient.ExternalRequest("alice"), App);
        await ProtocolClient.AssertOAuthErrorAsync(blocked, HttpStatusCode.Forbidden, "access_denied");
    }

    [Theory]
    [InlineData("")]
    [InlineData("K7Q")]
    [InlineData("k7q2")]
    [InlineData("K7Q2 ")]
    public async Task ForgedPick_NeverApproves_ItDeniesAndReports(string forged)
    {
        await SetNumberMatchingAsync(App, true);
        using var client = new ProtocolClient(factory);
        var user = "admin";
        await EndCooldownsAsync();
        var (_, linkKey) = await client.StartExternalAsync(App, user, f => f["binding_message"] = "K7Q2");
        using var admin = await ConsoleSession.SignInAsync(factory, user, "Admin-Passw0rd!");

        // The plain approve button is not a way around the pick.
        using var approve = await admin.PostFormAsync("/t/demo/oauth2/ciba_authorize/approve", [new("authCodeKey", linkKey)], ConsentUrl(linkKey));
        Assert.NotEqual(HttpStatusCode.Redirect, approve.StatusCode);
        Assert.Equal(BackchannelRequestStatus.Pending, await StatusAsync(linkKey));

        using var picked = await admin.PostFormAsync("/t/demo/oauth2/ciba_authorize/match", [new("authCodeKey", linkKey), new("chosen", forged)], ConsentUrl(linkKey));
        Assert.EndsWith("done?outcome=reported", picked.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(BackchannelRequestStatus.Denied, await StatusAsync(linkKey));
        await EndCooldownsAsync();
    }

    [Fact]
    public async Task Off_OrALongBindingMessage_ShowsTheNormalPage()
    {
        await SetNumberMatchingAsync("demo-tv", false);
        await SetNumberMatchingAsync(App, true);
        using var client = new ProtocolClient(factory);
        using var bob = await ConsoleSession.SignInAsync(factory, "bob", "Bob-Passw0rd!");

        var (_, off) = await client.StartExternalAsync("demo-tv", "bob", f => f["binding_message"] = "K7Q2");
        var offPage = await bob.GetPageAsync(ConsentUrl(off));
        Assert.Empty(Choices(offPage));
        Assert.Contains("/oauth2/ciba_authorize/approve", offPage, StringComparison.Ordinal);
        using var matchWhenOff = await bob.PostFormAsync("/t/demo/oauth2/ciba_authorize/match", [new("authCodeKey", off), new("chosen", "K7Q2")], ConsentUrl(off));
        Assert.NotEqual(HttpStatusCode.Redirect, matchWhenOff.StatusCode);
        Assert.Equal(BackchannelRequestStatus.Pending, await StatusAsync(off));

        var (_, longMessage) = await client.StartExternalAsync(App, "bob", f => f["binding_message"] = "Code 123456789");
        var longPage = await bob.GetPageAsync(ConsentUrl(longMessage));
        Assert.Empty(Choices(longPage));
        Assert.Contains("Code 123456789", longPage, StringComparison.Ordinal);
        using var approved = await bob.PostFormAsync("/t/demo/oauth2/ciba_authorize/approve", [new("authCodeKey", longMessage)], ConsentUrl(longMessage));
        Assert.EndsWith("done?outcome=approved", approved.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private static string ConsentUrl(string linkKey) => "/t/demo/oauth2/ciba_authorize?authCodeKey=" + Uri.EscapeDataString(linkKey);

    private static List<string> Choices(string page) => [.. ChoiceButton().Matches(page).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("name=\"chosen\" value=\"([^\"]*)\"")]
    private static partial Regex ChoiceButton();

    private Task<BackchannelRequestStatus> StatusAsync(string linkKey)
    {
        var hash = global::Ciba.Application.Common.Security.SecretHashing.HashToken(linkKey);
        return ProtectionTestData.ReadAsync(factory.Services, db => db.BackchannelRequests.Where(r => r.LinkKeyHash == hash).Select(r => r.Status).SingleAsync());
    }

    private async Task SetNumberMatchingAsync(string clientId, bool on)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
        application.SetProtection(on, application.RateLimitPerMinute, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    private async Task EndCooldownsAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        await db.RequestReports.ExecuteDeleteAsync();
    }
}
