using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>product.md §17 and issue 16 in the console, at phone and laptop width, every state audited by axe-core.</summary>
public class ConsoleTrustTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task NewUserForm_WithSeveralErrors_ShowsEveryErrorInAFocusedSummaryLinkedToItsField(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            await page.GotoAsync("/t/demo/console/users/new");
            await Assertions.Expect(page.GetByLabel("Email address verified (needed for the Email channel)")).Not.ToBeCheckedAsync();
            await page.GetByLabel("Username").FillAsync("has space");
            await page.GetByLabel("Email (optional)").FillAsync("not-an-email");
            await page.GetByLabel("Mobile number (optional, international format)").FillAsync("call me");
            await page.GetByLabel("Password").FillAsync("short");

            await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

            var summary = page.Locator("[data-error-summary]");
            await Assertions.Expect(summary).ToBeFocusedAsync();
            await Assertions.Expect(summary.GetByRole(AriaRole.Link)).ToHaveTextAsync(
            [
                "A username has no spaces.",
                "Enter a valid email address, or leave it blank.",
                "Enter a mobile number in international format, such as +15550100001, or leave it blank.",
                "A password needs at least 10 characters, with upper and lower case letters, a digit and a symbol.",
            ]);
            foreach (var (field, label) in new[] { ("UserName", "Username"), ("Email", "Email (optional)"), ("Mobile", "Mobile number (optional, international format)"), ("Password", "Password") })
            {
                var input = page.GetByLabel(label, new() { Exact = true });
                await Assertions.Expect(input).ToHaveAttributeAsync("aria-invalid", "true");
                await Assertions.Expect(input).ToHaveAttributeAsync("aria-describedby", new Regex($"^{field}-error"));
                await Assertions.Expect(page.Locator($"#{field}-error")).Not.ToBeEmptyAsync();
                await Assertions.Expect(summary.Locator($"a[href='#{field}']")).ToHaveCountAsync(1);
            }

            await Assertions.Expect(page.GetByLabel("Username")).ToHaveValueAsync("has space");
            await Assertions.Expect(page.GetByLabel("Email (optional)")).ToHaveValueAsync("not-an-email");
            await Assertions.Expect(page.GetByLabel("Password")).ToHaveValueAsync(string.Empty);
            await summary.GetByRole(AriaRole.Link, new() { Name = "Enter a valid email address, or leave it blank." }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Email (optional)")).ToBeFocusedAsync();
            var contrast = await page.GetByLabel("Username").EvaluateAsync<double>(ContrastWithPageScript);
            Assert.True(contrast >= 3, $"input border contrast {contrast:0.00}:1");
        });

    [Fact]
    public Task ApplicationPage_EndpointsPanel_GivesACurlThatStartsARequest() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            var (clientId, secret) = await ConsolePages.CreateApplicationAsync(page, "Curl check");
            await page.GetByRole(AriaRole.Link, new() { Name = "Open the application" }).ClickAsync();

            await Assertions.Expect(page.Locator("[data-endpoint=issuer]")).ToHaveTextAsync(server.BaseUrl + "/t/demo/oauth2/token");
            await Assertions.Expect(page.Locator("[data-endpoint=discovery]")).ToHaveTextAsync(server.BaseUrl + "/t/demo/oauth2/token/.well-known/openid-configuration");
            await Assertions.Expect(page.Locator("[data-endpoint=backchannel]")).ToHaveTextAsync(server.BaseUrl + "/t/demo/oauth2/ciba");
            await Assertions.Expect(page.Locator("[data-endpoint=token]")).ToHaveTextAsync(server.BaseUrl + "/t/demo/oauth2/token");
            var start = await page.Locator("#curl-backchannel").TextContentAsync();
            var poll = await page.Locator("#curl-token").TextContentAsync();
            Assert.Contains(clientId, start, StringComparison.Ordinal);

            using var ack = JsonDocument.Parse(await BashAsync(start!, ("CLIENT_SECRET", secret)));
            var authReqId = ack.RootElement.GetProperty("auth_req_id").GetString()!;
            using var pending = JsonDocument.Parse(await BashAsync(poll!, ("CLIENT_SECRET", secret), ("AUTH_REQ_ID", authReqId)));
            Assert.Equal("authorization_pending", pending.RootElement.GetProperty("error").GetString());
        });

    [Fact]
    public Task ProtocolTab_GrantListAndChannelReadiness_MatchWhatTheServerDoes() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            using var http = server.CreateHttpClient();
            using var discovery = JsonDocument.Parse(await http.GetStringAsync("/t/demo/oauth2/token/.well-known/openid-configuration"));
            var served = discovery.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToList();
            await ConsolePages.SignInAsAdminAsync(page);
            await ConsolePages.OpenProtocolTabAsync(page, "Demo TV");

            var offered = await page.Locator("input[name=GrantTypes]").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
            Assert.Equal(served, offered);
            Assert.Equal(GrantTypes.Served, offered);
            var (verifiedEmails, mobiles) = await ReachableUsersAsync();
            await Assertions.Expect(page.Locator("[data-readiness=Email]")).ToHaveTextAsync(
                $"Ready: development inbox; reaches {verifiedEmails} users with a verified email address.");
            await Assertions.Expect(page.Locator("[data-readiness=Sms]")).ToHaveTextAsync($"Ready: development inbox; reaches {mobiles} user{(mobiles == 1 ? string.Empty : "s")} with a mobile number.");
            await Assertions.Expect(page.Locator("#channel-email")).ToHaveAttributeAsync("aria-describedby", "channel-email-readiness");

            await SetSmsProviderAsync(SmsProviderKind.None);
            try
            {
                await page.ReloadAsync();
                await Assertions.Expect(page.Locator("[data-readiness=Sms]")).ToHaveTextAsync("Not ready: no SMS provider is set up (Providers).");
                using var tv = BackchannelClient.Tv(server);
                var (status, error) = await tv.TryStartAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "alice", ["notification_channel"] = "sms" });
                Assert.Equal((400, "invalid_request"), (status, error));
            }
            finally
            {
                await SetSmsProviderAsync(SmsProviderKind.DevelopmentInbox);
            }
        });

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task ProvidersPage_ShowsOnlyTheChosenProvidersFields(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            await page.GotoAsync("/t/demo/console/providers");
            var sendGridKey = page.GetByLabel("API key", new() { Exact = true }).First;

            await Assertions.Expect(page.Locator("#email-inbox")).ToBeCheckedAsync();
            await Assertions.Expect(sendGridKey).Not.ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-provider=vonage]")).Not.ToBeVisibleAsync();

            await page.Locator("#email-sendgrid").CheckAsync();
            await Assertions.Expect(sendGridKey).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-provider=vonage]")).Not.ToBeVisibleAsync();
            await page.AssertAccessibleAsync("SendGrid chosen");
            await page.Locator("#sms-vonage").CheckAsync();
            await Assertions.Expect(page.Locator("[data-provider=vonage]")).ToBeVisibleAsync();
        });

    [Fact]
    public Task SecretPage_CopiesTheSecretAndAReloadCreatesNoSecondApplication() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = server.BaseUrl });
            await ConsolePages.SignInAsAdminAsync(page);
            var before = await ApplicationCountAsync();
            var (_, secret) = await ConsolePages.CreateApplicationAsync(page, "Reload check");
            Assert.Matches("/console/applications/[0-9a-f-]{36}/secret$", page.Url);

            await page.GetByRole(AriaRole.Button, new() { Name = "Copy client secret" }).ClickAsync();
            await Assertions.Expect(page.Locator("#client-secret-copied")).ToHaveTextAsync("Copied.");
            Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

            var reload = await page.ReloadAsync();
            Assert.Equal(200, reload!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("The client secret was shown once");
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(before + 1, await ApplicationCountAsync());
        });

    [Fact]
    public Task Console_AtPhoneWidth_TopBarFitsAndTheSkipLinkLeadsToTheContent() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);

            var bar = await page.Locator(".topbar").BoundingBoxAsync();
            Assert.True(bar!.Height <= 120, $"the top bar is {bar.Height}px high");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeInViewportAsync();

            await page.Keyboard.PressAsync("Tab");
            var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" });
            await Assertions.Expect(skip).ToBeFocusedAsync();
            await Assertions.Expect(skip).ToBeInViewportAsync();
            await page.AssertAccessibleAsync("skip link focused");
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator("#main")).ToBeFocusedAsync();
        });

    private const string ContrastWithPageScript = """
        input => {
          const rgb = c => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
          const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          let host = input.parentElement, bg = getComputedStyle(host).backgroundColor;
          while (host && (bg === "rgba(0, 0, 0, 0)" || bg === "transparent")) { host = host.parentElement; bg = host ? getComputedStyle(host).backgroundColor : "rgb(255, 255, 255)"; }
          const a = lum(getComputedStyle(input).borderTopColor), b = lum(bg);
          return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }
        """;

    private static async Task<string> BashAsync(string script, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"curl failed: {await process.StandardError.ReadToEndAsync()}");
        return output;
    }

    private async Task<(int VerifiedEmails, int Mobiles)> ReachableUsersAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
        var users = db.Users.Where(u => u.OrganizationId == organization.Id);
        return (await users.CountAsync(u => u.EmailConfirmed && u.Email != null), await users.CountAsync(u => u.PhoneNumber != null));
    }

    private async Task SetSmsProviderAsync(SmsProviderKind kind)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
        await db.NotificationProviders.Where(p => p.OrganizationId == organization.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.SmsProvider, kind));
    }

    private async Task<int> ApplicationCountAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CibaDbContext>().Applications.CountAsync();
    }
}
