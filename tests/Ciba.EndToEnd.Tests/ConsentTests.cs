using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Backchannel;
using Ciba.Infrastructure.Identity;
using Ciba.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// product.md §5 in a phone browser. Each test makes its own auth request and signs in in its own
/// browser context. The fixture's clock is shared and only moves forward, so requests here live an
/// hour unless a test is about expiry.
/// </summary>
public class ConsentTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    private const string AlicePassword = "Alice-Passw0rd!";
    private const string BobPassword = "Bob-Passw0rd!";

    [Fact]
    public Task ConsentLink_WhenSignedOut_SignsInAndReturnsToTheConsentPage() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "Code 1234", "openid profile email phone", expiresInSeconds: 100);

            await page.GotoAsync(AuthRequests.LinkPath(key));
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/t/demo/login\\?returnUrl="));
            await SignInAsync(page, "alice", AlicePassword);

            await Assertions.Expect(page).ToHaveURLAsync(server.BaseUrl + AuthRequests.LinkPath(key));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in to Demo TV?");
            await Assertions.Expect(page.GetByText("Check that it matches the code on your other device")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".binding-message")).ToHaveTextAsync("Code 1234");
            await Assertions.Expect(page.Locator(".scopes li")).ToHaveTextAsync(
                ["confirm who you are", "see your name and username", "see your email address", "see your phone number"]);
            await Assertions.Expect(page.Locator(".consent .expiry")).ToHaveTextAsync(new Regex("^Expires in 1 minute (40|3[0-9]) seconds$"));
            await Assertions.Expect(ApproveButton(page)).ToBeVisibleAsync();
            await Assertions.Expect(DenyButton(page)).ToBeVisibleAsync();
        });

    [Fact]
    public Task ConsentPage_WithoutBindingMessage_SaysThereIsNoCodeToCompare() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice");

            await OpenSignedInAsync(page, key, "alice", AlicePassword);

            await Assertions.Expect(page.Locator(".binding-message")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByText("Demo TV did not send a code to compare")).ToBeVisibleAsync();
        });

    [Fact]
    public Task Approve_AsTheNamedUser_RecordsTheApprovalAndShowsTheDonePage() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4711", "openid email");
            await OpenSignedInAsync(page, key, "alice", AlicePassword);

            await ApproveButton(page).ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(server.BaseUrl + "/t/demo/oauth2/ciba_authorize/done?outcome=approved");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You approved the sign-in");
            await Assertions.Expect(page.GetByText("You can return to your TV")).ToBeVisibleAsync();
            Assert.Equal(BackchannelRequestStatus.Approved, await AuthRequests.StatusAsync(server.Services, key));
        });

    [Fact]
    public Task Deny_AsTheNamedUser_RecordsTheDenialAndShowsTheDonePage() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4712");
            await OpenSignedInAsync(page, key, "alice", AlicePassword);

            await DenyButton(page).ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(server.BaseUrl + "/t/demo/oauth2/ciba_authorize/done?outcome=denied");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You denied the sign-in");
            Assert.Equal(BackchannelRequestStatus.Denied, await AuthRequests.StatusAsync(server.Services, key));
        });

    [Fact]
    public Task ConsentLink_SignedInAsAnotherUser_OffersToSwitchAccountAndNoApproval() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4713");

            await page.GotoAsync(AuthRequests.LinkPath(key));
            await SignInAsync(page, "bob", BobPassword);

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This request is for another account");
            await Assertions.Expect(ApproveButton(page)).ToHaveCountAsync(0);
            await Assertions.Expect(DenyButton(page)).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("form[action*='approve'], form[action*='deny']")).ToHaveCountAsync(0);
            var reload = await page.ReloadAsync();
            Assert.Equal(403, reload!.Status);

            await page.GetByRole(AriaRole.Button, new() { Name = "Switch account" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/t/demo/login\\?returnUrl="));
            await SignInAsync(page, "alice", AlicePassword);

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in to Demo TV?");
            await Assertions.Expect(page.GetByText("You are signed in as alice")).ToBeVisibleAsync();
            Assert.Equal(BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(server.Services, key));
        });

    [Fact]
    public Task ConsentLink_AfterItExpired_ShowsTheExpiredPage() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4714", expiresInSeconds: 60);
            server.Time.Advance(TimeSpan.FromMinutes(10));

            var response = await page.GotoAsync(AuthRequests.LinkPath(key));

            Assert.Equal(410, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link has expired");
            await Assertions.Expect(ApproveButton(page)).ToHaveCountAsync(0);
            Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        });

    [Fact]
    public Task Approve_AfterTheRequestExpiredOnAnOpenPage_ShowsTheExpiredPageAndRecordsNothing() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4715", expiresInSeconds: 60);
            await OpenSignedInAsync(page, key, "alice", AlicePassword);
            server.Time.Advance(TimeSpan.FromMinutes(10));

            var response = await page.RunAndWaitForResponseAsync(() => ApproveButton(page).ClickAsync(), r => r.Url.EndsWith("/approve", StringComparison.Ordinal));

            Assert.Equal(410, response.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link has expired");
            Assert.Equal(BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(server.Services, key));
        });

    [Fact]
    public Task ConsentLink_ReopenedAfterApproval_ShowsTheAlreadyAnsweredPage() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "4716");
            await OpenSignedInAsync(page, key, "alice", AlicePassword);
            await ApproveButton(page).ClickAsync();
            await page.WaitForURLAsync("**/done?outcome=approved");

            var response = await page.GotoAsync(AuthRequests.LinkPath(key));

            Assert.Equal(410, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This request has already been answered");
            await Assertions.Expect(ApproveButton(page)).ToHaveCountAsync(0);
        });

    [Fact]
    public Task ConsentLink_WithUnknownKey_ShowsTheNotFoundPage() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            const string key = "no-such-key-x7Q2";

            var response = await page.GotoAsync(AuthRequests.LinkPath(key));

            Assert.Equal(404, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link does not work");
            var html = await page.ContentAsync();
            Assert.DoesNotContain(key, html, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        });

    [Fact]
    public Task SignIn_FromALinkAfterFiveWrongPasswords_AsksToWaitThenLetsTheRightPasswordIn() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var userName = await CreateUserAsync("Carol-Passw0rd!");
            var key = await AuthRequests.CreatePendingAsync(server.Services, userName, "4717");
            await page.GotoAsync(AuthRequests.LinkPath(key));

            for (var attempt = 1; attempt <= 5; attempt++)
            {
                await SignInAsync(page, userName, "wrong-password-" + attempt);
                await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
            }

            var response = await page.RunAndWaitForResponseAsync(() => SignInAsync(page, userName, "Carol-Passw0rd!"), r => r.Request.Method == "POST");

            Assert.Equal(429, response.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many attempts. Wait 2 seconds, then try again.");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/t/demo/login"));
            Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name.StartsWith(".ciba.session", StringComparison.Ordinal));

            server.Time.Advance(TimeSpan.FromSeconds(2));
            await SignInAsync(page, userName, "Carol-Passw0rd!");
            await Assertions.Expect(ApproveButton(page)).ToBeVisibleAsync();
        });

    [Fact]
    public Task ConsentPage_AtPhoneWidth_FitsWithLargeButtonsAndSendsSecurityHeaders() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "Please authenticate to My App", "openid profile email");
            await page.GotoAsync(AuthRequests.LinkPath(key));
            var response = await page.RunAndWaitForResponseAsync(
                () => SignInAsync(page, "alice", AlicePassword),
                r => r.Url.Contains("/oauth2/ciba_authorize?", StringComparison.Ordinal));

            await Assertions.Expect(ApproveButton(page)).ToBeVisibleAsync();
            foreach (var button in new[] { ApproveButton(page), DenyButton(page) })
            {
                var box = await button.BoundingBoxAsync();
                Assert.True(box!.Height >= 44, $"button height {box.Height}");
                Assert.True(box.X >= 0 && box.X + box.Width <= 360, $"button spans {box.X}..{box.X + box.Width}");
            }

            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
            Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
            var headers = await response.AllHeadersAsync();
            Assert.Equal(200, response.Status);
            Assert.Contains("no-store", headers["cache-control"], StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
            Assert.Equal("no-referrer", headers["referrer-policy"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
        });

    [Fact]
    public Task Approve_OnTheAuthUrlOfAKioskRequest_TokenEndpointReturnsTokens() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            using var kiosk = BackchannelClient.Kiosk(server);
            var ack = await kiosk.StartAsync(new Dictionary<string, string>
            {
                ["scope"] = "openid profile",
                ["login_hint"] = "alice",
                ["binding_message"] = "Kiosk 5521",
            });
            Assert.StartsWith(server.BaseUrl + "/t/demo/oauth2/ciba_authorize?authCodeKey=", ack.AuthUrl, StringComparison.Ordinal);
            var pending = await kiosk.PollAsync(ack.AuthReqId);
            Assert.Equal((HttpStatusCode.BadRequest, "authorization_pending"), (pending.Status, pending.Error));

            await page.GotoAsync(ack.AuthUrl!);
            await SignInAsync(page, "alice", AlicePassword);
            await Assertions.Expect(page.Locator(".binding-message")).ToHaveTextAsync("Kiosk 5521");
            await ApproveButton(page).ClickAsync();
            await page.WaitForURLAsync("**/done?outcome=approved");
            server.Time.Advance(TimeSpan.FromSeconds(ack.Interval));

            var tokens = await kiosk.PollAsync(ack.AuthReqId);

            Assert.True(tokens.Status == HttpStatusCode.OK, $"The token endpoint answered {(int)tokens.Status}: {tokens.Body}");
            Assert.True(tokens.NoStore);
            Assert.Equal("Bearer", tokens.Body.GetProperty("token_type").GetString());
            Assert.Equal("openid profile", tokens.Body.GetProperty("scope").GetString());
            Assert.True(tokens.Body.GetProperty("expires_in").GetInt32() > 0);
            Assert.Equal(3, tokens.Body.GetProperty("access_token").GetString()!.Split('.').Length);
            var idToken = JwtPayload(tokens.Body.GetProperty("id_token").GetString()!);
            Assert.Equal(server.BaseUrl + "/t/demo/oauth2/token", idToken.GetProperty("iss").GetString());
            Assert.Equal("demo-kiosk", idToken.GetProperty("aud").GetString());
            server.Time.Advance(TimeSpan.FromSeconds(ack.Interval));
            var again = await kiosk.PollAsync(ack.AuthReqId);
            Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (again.Status, again.Error));
        });

    [Fact]
    public Task Deny_OnTheAuthUrlOfAnExternalTvRequest_TokenEndpointAnswersAccessDenied() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            using var tv = BackchannelClient.Tv(server);
            var ack = await tv.StartAsync(new Dictionary<string, string>
            {
                ["scope"] = "openid",
                ["login_hint"] = "alice",
                ["notification_channel"] = "external",
                ["binding_message"] = "TV 6632",
            });

            await page.GotoAsync(ack.AuthUrl!);
            await SignInAsync(page, "alice", AlicePassword);
            await Assertions.Expect(page.Locator(".binding-message")).ToHaveTextAsync("TV 6632");
            await DenyButton(page).ClickAsync();
            await page.WaitForURLAsync("**/done?outcome=denied");

            var answer = await tv.PollAsync(ack.AuthReqId);

            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal("access_denied", answer.Error);
            Assert.True(answer.NoStore);
            Assert.Equal(["error", "error_description"], answer.Body.EnumerateObject().Select(p => p.Name));
        });

    private static JsonElement JwtPayload(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')));
        return json.RootElement.Clone();
    }

    private static ILocator ApproveButton(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true });

    private static ILocator DenyButton(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Deny", Exact = true });

    private static async Task SignInAsync(IPage page, string login, string password)
    {
        await page.GetByLabel("Username or email").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static async Task OpenSignedInAsync(IPage page, string key, string login, string password)
    {
        await page.GotoAsync(AuthRequests.LinkPath(key));
        await SignInAsync(page, login, password);
        await Assertions.Expect(ApproveButton(page)).ToBeVisibleAsync();
    }

    private async Task<string> CreateUserAsync(string password)
    {
        var userName = "carol-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = server.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var organization = await provider.GetRequiredService<IApplicationDbContext>().Organizations.AsNoTracking().SingleAsync(o => o.Handle == "demo");
        provider.GetRequiredService<IOrganizationContext>().Enter(organization.Id, organization.Handle);
        var result = await provider.GetRequiredService<UserManager<CibaUser>>()
            .CreateAsync(new CibaUser { OrganizationId = organization.Id, UserName = userName }, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return userName;
    }
}
