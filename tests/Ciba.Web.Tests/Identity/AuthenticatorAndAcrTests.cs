using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Audit;
using Ciba.Domain.Authentication;
using Ciba.Domain.Backchannel;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Seeding;
using Ciba.Testing;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Identity;

/// <summary>
/// The authenticator app, the second sign-in step and the acr levels over HTTP (product.md §12, §16,
/// ADR 0029). Codes are computed here from the secret (RFC 6238), by the server's clock (ADR 0032).
/// </summary>
public partial class AuthenticatorAndAcrTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private const string Password = "Test-Passw0rd!";
    private const string CarolPassword = "Carol-Passw0rd!";

    private readonly ProtocolClient _protocol = new(factory);

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    public void Dispose()
    {
        _protocol.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Discovery_ListsTheSupportedAcrValues()
    {
        using var response = await _protocol.Http.GetAsync("/t/demo/oauth2/token/.well-known/openid-configuration");
        using var json = await ProtocolClient.ReadJsonAsync(response);

        Assert.Equal(
            [AcrLevels.Password, AcrLevels.MultiFactor, AcrLevels.PhishingResistant],
            json.RootElement.GetProperty("acr_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("acr", json.RootElement.GetProperty("claims_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("urn:other:level", null)]
    [InlineData("garbage %% {} 0", null)]
    [InlineData("", null)]
    [InlineData("x urn:ciba:acr:phr urn:ciba:acr:mfa urn:ciba:acr:phr", "urn:ciba:acr:phr urn:ciba:acr:mfa")]
    public async Task Backchannel_AnyAcrValues_AreAcceptedAndOnlySupportedOnesKeptInOrder(string acrValues, string? stored)
    {
        var (authReqId, _) = await _protocol.StartExternalAsync(adjust: form => form["acr_values"] = acrValues);

        var hash = Application.Common.Security.SecretHashing.HashToken(authReqId);
        var request = await factory.ReadAsync(db => db.BackchannelRequests.AsNoTracking().SingleAsync(r => r.AuthReqIdHash == hash));
        Assert.Equal(stored, request.RequestedAcrValues);
    }

    [Fact]
    public async Task SignIn_WithAnAuthenticatorApp_AsksForTheCode_RefusesAWrongOne_AndSignsInWithTheRightOne()
    {
        using var carol = ConsoleSession.Anonymous(factory);
        using var password = await carol.PostFormAsync("/t/demo/login", [new("Login", "carol"), new("Password", CarolPassword), new("ReturnUrl", "/t/demo/account/applications")]);

        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Equal("/t/demo/login/code?returnUrl=" + Uri.EscapeDataString("/t/demo/account/applications"), password.Headers.Location?.OriginalString);
        Assert.DoesNotContain(carol.Cookies.GetAllCookies(), c => c.Name.StartsWith(".ciba.session", StringComparison.Ordinal));
        using (var stillSignedOut = await carol.GetAsync("/t/demo/account/applications"))
        {
            Assert.Equal(HttpStatusCode.Redirect, stillSignedOut.StatusCode);
        }

        using var codePage = await carol.GetAsync("/t/demo/login/code?returnUrl=%2Ft%2Fdemo%2Faccount%2Fapplications");
        Assert.Equal(HttpStatusCode.OK, codePage.StatusCode);
        Assert.Contains("no-store", codePage.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var wrong = await carol.PostFormAsync(
            "/t/demo/login/code", [new("Code", Totp.WrongCode(DemoDataSeeder.AuthenticatorKey, Now)), new("ReturnUrl", "/t/demo/account/applications")], CodePage);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The code is not right", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(carol.Cookies.GetAllCookies(), c => c.Name.StartsWith(".ciba.session", StringComparison.Ordinal));

        using var right = await carol.PostFormAsync(
            "/t/demo/login/code", [new("Code", Totp.Code(DemoDataSeeder.AuthenticatorKey, Now)), new("ReturnUrl", "/t/demo/account/applications")], CodePage);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/t/demo/account/applications", right.Headers.Location?.OriginalString);
        using var signedIn = await carol.GetAsync("/t/demo/account/applications");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        var carolId = await _protocol.UserIdAsync("carol");
        var events = await factory.ReadAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.UserId == carolId).Select(e => new { e.Action, e.Detail }).ToListAsync());
        Assert.Contains(events, e => e.Action == AuditActions.SignInFailed && e.Detail == "Wrong authenticator code.");
        Assert.Contains(events, e => e.Action == AuditActions.SignInSucceeded && e.Detail == "Second factor: authenticator app.");
    }

    [Fact]
    public async Task CodeStep_WithoutAPasswordFirst_SendsToSignIn()
    {
        using var nobody = ConsoleSession.Anonymous(factory);

        using var response = await nobody.GetAsync("/t/demo/login/code?returnUrl=%2Ft%2Fdemo%2Faccount%2Fapplications");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/t/demo/login?returnUrl=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrolment_ShowsRecoveryCodesOnce_AndARecoveryCodeSignsInOnlyOnce()
    {
        var userName = await CreateUserAsync("erin");
        string[] recoveryCodes;
        using (var erin = await ConsoleSession.SignInAsync(factory, userName, Password))
        {
            var (key, codes) = await EnrolAsync(erin, Now);
            recoveryCodes = codes;
            Assert.Equal(10, recoveryCodes.Length);
            var after = await erin.GetPageAsync(AuthenticatorPage);
            Assert.Contains("Your authenticator app is on", after, StringComparison.Ordinal);
            Assert.DoesNotContain(recoveryCodes[0], after, StringComparison.Ordinal);
            Assert.DoesNotContain(key, after, StringComparison.Ordinal);
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var session = ConsoleSession.Anonymous(factory);
            using var password = await session.PostFormAsync("/t/demo/login", [new("Login", userName), new("Password", Password), new("ReturnUrl", AuthenticatorPage)]);
            Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
            using var recovery = await session.PostFormAsync(
                "/t/demo/login/code",
                [new("Code", recoveryCodes[3].ToLowerInvariant()), new("Recovery", "true"), new("ReturnUrl", AuthenticatorPage)],
                CodePage + "&recovery=true");
            Assert.Equal(attempt == 0 ? HttpStatusCode.Redirect : HttpStatusCode.BadRequest, recovery.StatusCode);
        }
    }

    [Fact]
    public async Task StepUp_RequestAskingForMfa_ForAPasswordOnlySession_AsksForTheCode_AndTheIdTokenSaysMfa()
    {
        var userName = await CreateUserAsync("dana");
        using var dana = await ConsoleSession.SignInAsync(factory, userName, Password);
        var (key, _) = await EnrolAsync(dana, Now);

        // Enrolling did not make this password session stronger.
        var (authReqId, linkKey) = await _protocol.StartExternalAsync(loginHint: userName, adjust: form => form["acr_values"] = "urn:ciba:acr:mfa");
        var link = AuthRequests.LinkPath(linkKey);
        using var consent = await dana.GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        Assert.Equal("/t/demo/login/code?returnUrl=" + Uri.EscapeDataString(link), consent.Headers.Location?.OriginalString);

        // Enrolment used this step's code, which is accepted once (ADR 0032): the app shows the next one.
        using var code = await dana.PostFormAsync("/t/demo/login/code", [new("Code", Totp.Code(key, Now.AddSeconds(30))), new("ReturnUrl", link)], "/t/demo/login/code?returnUrl=" + Uri.EscapeDataString(link));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal(link, code.Headers.Location?.OriginalString);

        using var approve = await dana.PostFormAsync("/t/demo/oauth2/ciba_authorize/approve", [new("authCodeKey", linkKey)], link);
        Assert.Equal("/t/demo/oauth2/ciba_authorize/done?outcome=approved", approve.Headers.Location?.OriginalString);

        var claims = await IdTokenClaimsAsync(authReqId);
        Assert.Equal(AcrLevels.MultiFactor, claims.GetProperty("acr").GetString());
        Assert.Equal(["pwd", "otp"], claims.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task AcrValuesMfa_ForAPersonWithoutASecondFactor_ProceedsAndTheIdTokenSaysPwd()
    {
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");
        var (authReqId, linkKey) = await _protocol.StartExternalAsync(adjust: form => form["acr_values"] = "urn:ciba:acr:phr urn:ciba:acr:mfa");

        using var consent = await alice.GetAsync(AuthRequests.LinkPath(linkKey));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        using var approve = await alice.PostFormAsync("/t/demo/oauth2/ciba_authorize/approve", [new("authCodeKey", linkKey)], AuthRequests.LinkPath(linkKey));
        Assert.Equal("/t/demo/oauth2/ciba_authorize/done?outcome=approved", approve.Headers.Location?.OriginalString);

        var claims = await IdTokenClaimsAsync(authReqId);
        Assert.Equal(AcrLevels.Password, claims.GetProperty("acr").GetString());
        Assert.Equal(["pwd"], claims.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ApplicationMinimum_WithoutTheFactor_CannotBeApproved_ButCanBeDenied()
    {
        await SetMinimumAsync("demo-kiosk", AcrLevels.MultiFactor);
        using var bob = await ConsoleSession.SignInAsync(factory, "bob", "Bob-Passw0rd!");
        var (_, linkKey) = await _protocol.StartExternalAsync("demo-kiosk", "bob");
        var link = AuthRequests.LinkPath(linkKey);

        var page = await bob.GetPageAsync(link);
        Assert.Contains("id=\"stronger-sign-in-needed\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/approve", page, StringComparison.Ordinal);

        using var forced = await bob.PostFormAsync("/t/demo/oauth2/ciba_authorize/approve", [new("authCodeKey", linkKey)], link);
        Assert.Equal(HttpStatusCode.Redirect, forced.StatusCode);
        Assert.Equal(link, forced.Headers.Location?.OriginalString);
        Assert.Equal(BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(factory.Services, linkKey));

        using var deny = await bob.PostFormAsync("/t/demo/oauth2/ciba_authorize/deny", [new("authCodeKey", linkKey)], link);
        Assert.Equal("/t/demo/oauth2/ciba_authorize/done?outcome=denied", deny.Headers.Location?.OriginalString);
        Assert.Equal(BackchannelRequestStatus.Denied, await AuthRequests.StatusAsync(factory.Services, linkKey));
    }

    [Fact]
    public async Task ApplicationMinimum_MetWithTheCodeAtSignIn_IsApproved_AndRefreshedIdTokensKeepAcrAndAmr()
    {
        // A person of this test's own: carol's code for this step is the other sign-in test's (ADR 0032: each code once).
        var (userName, key) = await AuthenticatorUsers.CreateWithAppAsync(factory, "fay", Password);
        await SetMinimumAsync("demo-kiosk", AcrLevels.MultiFactor);
        var (authReqId, linkKey) = await _protocol.StartExternalAsync("demo-kiosk", userName, form => form["scope"] = "openid offline_access");
        var link = AuthRequests.LinkPath(linkKey);
        using var person = ConsoleSession.Anonymous(factory);
        using (var password = await person.PostFormAsync("/t/demo/login", [new("Login", userName), new("Password", Password), new("ReturnUrl", link)]))
        {
            Assert.Equal("/t/demo/login/code?returnUrl=" + Uri.EscapeDataString(link), password.Headers.Location?.OriginalString);
        }

        using (var code = await person.PostFormAsync("/t/demo/login/code", [new("Code", Totp.Code(key, Now)), new("ReturnUrl", link)], "/t/demo/login/code?returnUrl=" + Uri.EscapeDataString(link)))
        {
            Assert.Equal(link, code.Headers.Location?.OriginalString);
        }

        using var approve = await person.PostFormAsync("/t/demo/oauth2/ciba_authorize/approve", [new("authCodeKey", linkKey)], link);
        Assert.Equal("/t/demo/oauth2/ciba_authorize/done?outcome=approved", approve.Headers.Location?.OriginalString);

        using var tokens = await _protocol.PollAsync(authReqId, "demo-kiosk");
        await ProtocolClient.AssertOkAsync(tokens);
        using var json = await ProtocolClient.ReadJsonAsync(tokens);
        Assert.Equal(AcrLevels.MultiFactor, Claims(json.RootElement.GetProperty("id_token").GetString()!).GetProperty("acr").GetString());

        using var refreshed = await _protocol.PostFormAsync(
            ProtocolClient.TokenPath,
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = json.RootElement.GetProperty("refresh_token").GetString()! },
            "demo-kiosk");
        await ProtocolClient.AssertOkAsync(refreshed);
        using var refreshedJson = await ProtocolClient.ReadJsonAsync(refreshed);
        var claims = Claims(refreshedJson.RootElement.GetProperty("id_token").GetString()!);
        Assert.Equal(AcrLevels.MultiFactor, claims.GetProperty("acr").GetString());
        Assert.Equal(["pwd", "otp"], claims.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Console_MinimumAcr_IsSavedFromTheProtocolTab_AndAudited()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var application = await factory.ApplicationAsync("demo-web");
        var tab = $"/t/demo/console/applications/{application.Id}/protocol";

        using var saved = await admin.PostFormAsync(tab + "/minimum-acr", [new("MinimumAcr", AcrLevels.PhishingResistant)], tab);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(AcrLevels.PhishingResistant, (await factory.ApplicationAsync("demo-web")).MinimumAcr);
        Assert.True(await factory.ReadAsync(db => db.AuditEvents.AnyAsync(e => e.ApplicationId == application.Id && e.Detail != null && e.Detail.Contains("MinimumAcr"))));

        using var invalid = await admin.PostFormAsync(tab + "/minimum-acr", [new("MinimumAcr", "urn:made-up")], tab);
        Assert.Equal(HttpStatusCode.Redirect, invalid.StatusCode);
        Assert.Equal(AcrLevels.PhishingResistant, (await factory.ApplicationAsync("demo-web")).MinimumAcr);

        using var cleared = await admin.PostFormAsync(tab + "/minimum-acr", [new("MinimumAcr", string.Empty)], tab);
        Assert.Null((await factory.ApplicationAsync("demo-web")).MinimumAcr);
    }

    private const string AuthenticatorPage = "/t/demo/account/authenticator";

    private const string CodePage = "/t/demo/login/code?returnUrl=%2Ft%2Fdemo%2Faccount%2Fapplications";

    /// <summary>Turns the authenticator app on from the account page and returns its key and the recovery codes shown.</summary>
    internal static async Task<(string Key, string[] RecoveryCodes)> EnrolAsync(ConsoleSession session, DateTimeOffset now)
    {
        var page = await session.GetPageAsync(AuthenticatorPage);
        var key = KeyPattern().Match(page).Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Contains("src=\"data:image/png;base64,", page, StringComparison.Ordinal);

        using var wrong = await session.PostFormAsync(AuthenticatorPage, [new("Code", Totp.WrongCode(key, now))]);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        using var confirmed = await session.PostFormAsync(AuthenticatorPage, [new("Code", Totp.Code(key, now))]);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var body = await confirmed.Content.ReadAsStringAsync();
        Assert.Contains("Save your recovery codes", body, StringComparison.Ordinal);
        var codes = RecoveryCodePattern().Matches(body).Select(m => m.Groups[1].Value).ToArray();
        return (key, codes);
    }

    private Task<string> CreateUserAsync(string prefix) => AuthenticatorUsers.CreateAsync(factory, prefix, Password);

    private async Task SetMinimumAsync(string clientId, string? level)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Persistence.CibaDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
        application.SetMinimumAcr(level, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    private async Task<JsonElement> IdTokenClaimsAsync(string authReqId)
    {
        using var response = await _protocol.PollAsync(authReqId);
        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        return Claims(json.RootElement.GetProperty("id_token").GetString()!);
    }

    private static JsonElement Claims(string jwt) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]))).RootElement.Clone();

    [GeneratedRegex("id=\"authenticator-key\"[^>]*>([^<]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>")]
    private static partial Regex RecoveryCodePattern();
}
