using System.Text.RegularExpressions;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Backchannel;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Seeding;
using Ciba.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// The authenticator app in a phone browser (product.md §16, ADR 0029): enrolment with the typed
/// key, the recovery codes, and the code step of a sign-in, with codes computed here (RFC 6238) for
/// the server's clock.
/// Every page state is audited with axe.
/// </summary>
public class AuthenticatorBrowserTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    private const string Password = "Test-Passw0rd!";

    [Fact]
    public async Task Enrolment_ThenSignIn_AsksForTheCode_RefusesAWrongOne_AndAcceptsTheRightOne()
    {
        var userName = await CreateUserAsync();
        var key = string.Empty;
        await BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            await page.GotoAsync("/t/demo/account/authenticator");
            await SignInAsync(page, userName, Password);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Authenticator app");
            await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of the key for your authenticator app" })).ToBeVisibleAsync();
            key = (await page.Locator("#authenticator-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

            await page.GetByLabel("Code from your authenticator app").FillAsync(Totp.WrongCode(key, server.Time.GetUtcNow()));
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The code is not right");

            await page.GetByLabel("Code from your authenticator app").FillAsync(Totp.Code(key, server.Time.GetUtcNow()));
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Save your recovery codes");
            await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
            await page.GetByRole(AriaRole.Link, new() { Name = "I have saved them" }).ClickAsync();
            await Assertions.Expect(page.Locator("#authenticator-on")).ToBeVisibleAsync();
        });

        await BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            await page.GotoAsync("/t/demo/account/applications");
            await SignInAsync(page, userName, Password);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/t/demo/login/code\\?returnUrl="));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enter your code");

            await page.GetByLabel("Code from your authenticator app").FillAsync(Totp.WrongCode(key, server.Time.GetUtcNow()));
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The code is not right");

            // Half a minute after enrolment: the code that turned the app on is spent (ADR 0032), the app shows the next.
            server.Time.Advance(TimeSpan.FromSeconds(30));
            await page.GetByLabel("Code from your authenticator app").FillAsync(Totp.Code(key, server.Time.GetUtcNow()));
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(server.BaseUrl + "/t/demo/account/applications");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Signed-in applications");
        });
    }

    [Fact]
    public Task Carol_SigningInFromALink_GivesHerCodeAfterThePassword_AndApprovesAtMfa() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, DemoDataSeeder.AuthenticatorUserName, "Code 2468");

            await page.GotoAsync(AuthRequests.LinkPath(key));
            await SignInAsync(page, DemoDataSeeder.AuthenticatorUserName, "Carol-Passw0rd!");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enter your code");
            await page.GetByRole(AriaRole.Link, new() { Name = "Use a recovery code" }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Recovery code")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Use your authenticator app" }).ClickAsync();
            await page.GetByLabel("Code from your authenticator app").FillAsync(Totp.Code(DemoDataSeeder.AuthenticatorKey, server.Time.GetUtcNow()));
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(server.BaseUrl + AuthRequests.LinkPath(key));
            await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(server.BaseUrl + "/t/demo/oauth2/ciba_authorize/done?outcome=approved");

            await using var scope = server.Services.CreateAsyncScope();
            var hash = Application.Common.Security.SecretHashing.HashToken(key);
            var request = await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().BackchannelRequests.AsNoTracking().SingleAsync(r => r.LinkKeyHash == hash);
            Assert.Equal(BackchannelRequestStatus.Approved, request.Status);
            Assert.Equal("urn:ciba:acr:mfa", request.Acr);
            Assert.Equal("pwd otp", request.Amr);
        });

    private static async Task SignInAsync(IPage page, string login, string password)
    {
        await page.GetByLabel("Username or email").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private async Task<string> CreateUserAsync()
    {
        var userName = "erin-" + Guid.NewGuid().ToString("N")[..8];
        await using var scope = server.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var organization = await provider.GetRequiredService<IApplicationDbContext>().Organizations.AsNoTracking().SingleAsync(o => o.Handle == "demo");
        provider.GetRequiredService<IOrganizationContext>().Enter(organization.Id, organization.Handle);
        var result = await provider.GetRequiredService<UserManager<CibaUser>>()
            .CreateAsync(new CibaUser { OrganizationId = organization.Id, UserName = userName }, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return userName;
    }
}
