using Ciba.Application.Console.Organizations;
using Ciba.Infrastructure.Persistence;
using Ciba.Testing;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// Issue 15 item 3 (passkeys) in Chromium at phone size, with Chromium's virtual authenticator
/// (DevTools WebAuthn domain, ctap2, internal transport, resident keys, user verification).
/// WebAuthn refuses IP-address origins, so these pages are opened at <c>localhost</c>, the same server.
/// </summary>
public sealed class PasskeyBrowserTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    private string LocalhostUrl => server.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    [Fact]
    public Task DeviceBoundPasskey_AddedOnTheAccountPage_SignsInWithoutAPassword_AsHwk() =>
        BrowserTest.RunAsync(NewPhoneContextAsync(), async page =>
        {
            await AddAuthenticatorAsync(page, synced: false);
            await SignInWithPasswordAsync(page, "demo", "alice", "Alice-Passw0rd!", "/t/demo/account/passkeys");
            Assert.DoesNotContain("hwk", await SessionMethodsAsync(page, "demo"));

            await AddPasskeyAsync(page, "Alice's phone");
            var passkeys = page.GetByRole(AriaRole.List, new() { Name = "Your passkeys" });
            await Assertions.Expect(passkeys).ToContainTextAsync("Alice's phone");
            await Assertions.Expect(passkeys).ToContainTextAsync("Not used yet.");
            await Assertions.Expect(passkeys).ToContainTextAsync("Kept on one device.");
            Assert.True(await AuditedAsync("passkey.added", "alice"));

            await page.Context.ClearCookiesAsync();
            await SignInWithPasskeyAsync(page, "demo", "/t/demo/account/passkeys");

            await page.WaitForURLAsync("**/t/demo/account/passkeys");
            await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Your passkeys" })).ToContainTextAsync("Last used");
            Assert.Equal(["hwk"], await SessionMethodsAsync(page, "demo"));
        });

    [Fact]
    public Task SyncedPasskey_SignsIn_AsSwk() =>
        BrowserTest.RunAsync(NewPhoneContextAsync(), async page =>
        {
            await AddAuthenticatorAsync(page, synced: true);
            await SignInWithPasswordAsync(page, "demo", "bob", "Bob-Passw0rd!", "/t/demo/account/passkeys");
            await AddPasskeyAsync(page, null);
            await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Your passkeys" })).ToContainTextAsync("Can be synced to your other devices.");

            await page.Context.ClearCookiesAsync();
            await SignInWithPasskeyAsync(page, "demo", "/t/demo/account/passkeys");

            await page.WaitForURLAsync("**/t/demo/account/passkeys");
            Assert.Equal(["swk"], await SessionMethodsAsync(page, "demo"));
        });

    [Fact]
    public Task Passkey_StepsUpRenamesAndIsRemoved_ThenCanNoLongerSignIn() =>
        BrowserTest.RunAsync(NewPhoneContextAsync(), async page =>
        {
            await AddAuthenticatorAsync(page, synced: false);
            await SignInWithPasswordAsync(page, "demo", "admin", "Admin-Passw0rd!", "/t/demo/account/passkeys");
            await AddPasskeyAsync(page, "Laptop");

            // The step-up hook: the signed-in person proves a passkey and goes back where they were.
            await page.GotoAsync("/t/demo/passkeys/step-up?returnUrl=%2Ft%2Fdemo%2Faccount%2Fpasskeys");
            await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
            await page.WaitForURLAsync("**/t/demo/account/passkeys");
            Assert.Contains("hwk", await SessionMethodsAsync(page, "demo"));

            await page.GetByRole(AriaRole.Link, new() { Name = "Rename Laptop" }).ClickAsync();
            await page.GetByLabel("Name").FillAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter a name for the passkey.");
            await page.GetByLabel("Name").FillAsync("Work laptop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await page.WaitForURLAsync("**/t/demo/account/passkeys");
            await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Your passkeys" })).ToContainTextAsync("Work laptop");

            await page.GetByRole(AriaRole.Button, new() { Name = "Remove Work laptop" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Passkey removed.");
            await Assertions.Expect(page.GetByText("You have no passkeys yet.")).ToBeVisibleAsync();
            Assert.True(await AuditedAsync("passkey.removed", "admin"));

            await page.Context.ClearCookiesAsync();
            await SignInWithPasskeyAsync(page, "demo", "/t/demo/account/passkeys");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("That passkey could not sign you in");
            Assert.Empty(await SessionMethodsAsync(page, "demo"));
        });

    /// <summary>
    /// product.md §16: a request that needs a phishing-resistant sign-in, opened by a person signed in
    /// with a password who has a passkey, asks for the passkey first (the consent link's step-up),
    /// and the approval is recorded at that level.
    /// </summary>
    [Fact]
    public Task ConsentLink_NeedingPhishingResistance_StepsUpWithThePasskey_ThenApprovesAtPhr() =>
        BrowserTest.RunAsync(NewPhoneContextAsync(), async page =>
        {
            await AddAuthenticatorAsync(page, synced: false);
            await SignInWithPasswordAsync(page, "demo", "bob", "Bob-Passw0rd!", "/t/demo/account/passkeys");
            await AddPasskeyAsync(page, "Bob's phone");
            var key = await AuthRequests.CreatePendingAsync(server.Services, "bob", "Code 7731");
            var hash = Application.Common.Security.SecretHashing.HashToken(key);
            await using (var scope = server.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
                var pending = await db.BackchannelRequests.SingleAsync(r => r.LinkKeyHash == hash);
                pending.RequireAcr(Domain.Authentication.AcrLevels.PhishingResistant, []);
                await db.SaveChangesAsync();
            }

            await page.GotoAsync(AuthRequests.LinkPath(key));

            await page.WaitForURLAsync("**/t/demo/passkeys/step-up?*");
            await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
            await page.WaitForURLAsync("**" + AuthRequests.LinkPath(key));
            await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await page.WaitForURLAsync("**/t/demo/oauth2/ciba_authorize/done?outcome=approved");

            await using var read = server.Services.CreateAsyncScope();
            var request = await read.ServiceProvider.GetRequiredService<CibaDbContext>().BackchannelRequests.AsNoTracking().SingleAsync(r => r.LinkKeyHash == hash);
            Assert.Equal(Domain.Backchannel.BackchannelRequestStatus.Approved, request.Status);
            Assert.Equal(Domain.Authentication.AcrLevels.PhishingResistant, request.Acr);
            Assert.Contains("hwk", request.Amr!.Split(' '));
        });

    [Fact]
    public Task AnotherOrganizationsPasskey_IsRefused() =>
        BrowserTest.RunAsync(NewPhoneContextAsync(), async page =>
        {
            await using (var scope = server.Services.CreateAsyncScope())
            {
                var created = await scope.ServiceProvider.GetRequiredService<IOrganizationProvisioning>().CreateAsync(
                    new NewOrganization("pk-other", "Other Org", "olga", "olga@other.test", "Olga-Passw0rd!2026"), CancellationToken.None);
                Assert.True(created.IsSuccess);
            }

            await AddAuthenticatorAsync(page, synced: false);
            await SignInWithPasswordAsync(page, "pk-other", "olga", "Olga-Passw0rd!2026", "/t/pk-other/account/passkeys");
            await AddPasskeyAsync(page, "Olga's phone");

            await SignInWithPasskeyAsync(page, "demo", "/t/demo/account/passkeys");

            await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("That passkey could not sign you in");
            Assert.Empty(await SessionMethodsAsync(page, "demo"));
        });

    [Fact]
    public Task AccountPasskeys_WithoutJavaScript_SaysPlainlyAPasskeyCannotBeAddedHere() =>
        BrowserTest.RunWithoutJavaScriptAsync(NewPhoneContextAsync(javaScript: false), async page =>
        {
            await SignInWithPasswordAsync(page, "demo", "bob", "Bob-Passw0rd!", "/t/demo/account/passkeys");

            await Assertions.Expect(page.GetByText("This browser cannot create passkeys")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" })).ToBeHiddenAsync();
        });

    private Task<IBrowserContext> NewPhoneContextAsync(bool javaScript = true) =>
        server.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
            BaseURL = LocalhostUrl,
            Locale = "en-US",
            JavaScriptEnabled = javaScript,
        });

    private static async Task AddAuthenticatorAsync(IPage page, bool synced)
    {
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
                ["defaultBackupEligibility"] = synced,
                ["defaultBackupState"] = synced,
            },
        });
    }

    private static async Task SignInWithPasswordAsync(IPage page, string organization, string login, string password, string returnUrl)
    {
        await page.GotoAsync($"/t/{organization}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.GetByLabel("Username or email").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**" + returnUrl);
    }

    private static async Task SignInWithPasskeyAsync(IPage page, string organization, string returnUrl)
    {
        await page.GotoAsync($"/t/{organization}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    private static async Task AddPasskeyAsync(IPage page, string? name)
    {
        if (name is not null)
        {
            await page.GetByLabel("Name (optional)").FillAsync(name);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("added");
    }

    /// <summary>The <c>amr</c> claims of the browser's session cookie, read with the app's own cookie protection.</summary>
    private async Task<List<string>> SessionMethodsAsync(IPage page, string organization)
    {
        var cookie = (await page.Context.CookiesAsync()).FirstOrDefault(c => c.Name == ".ciba.session." + organization);
        if (cookie is null)
        {
            return [];
        }

        var options = server.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = options.TicketDataFormat.Unprotect(cookie.Value) ?? throw new InvalidOperationException("The session cookie did not unprotect.");
        return [.. ticket.Principal.FindAll("amr").Select(c => c.Value)];
    }

    private async Task<bool> AuditedAsync(string action, string actor)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        return await db.AuditEvents.AnyAsync(e => e.Action == action && e.Actor == actor);
    }
}
