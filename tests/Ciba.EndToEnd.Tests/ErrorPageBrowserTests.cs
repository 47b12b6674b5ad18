using System.Text.RegularExpressions;
using Ciba.Domain.Backchannel;
using Ciba.Testing;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>product.md §17 and issue 9 item 14 in the browser: no bare error pages, at phone and laptop width.</summary>
public class ErrorPageBrowserTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task Console_ForNonAdministrator_NamesTheUserAndSignsOutToUseAnotherAccount(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            await page.GotoAsync("/t/demo/console/users");
            await SignInAsync(page, "alice", "Alice-Passw0rd!");

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You do not have access to this page");
            await Assertions.Expect(page.GetByText("You are signed in as alice.")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out and use another account" }).ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/t/demo/login\\?returnUrl=%2Ft%2Fdemo%2Fconsole%2Fusers$"));
            await SignInAsync(page, "admin", "Admin-Passw0rd!");
            await Assertions.Expect(page).ToHaveURLAsync(server.BaseUrl + "/t/demo/console/users");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Users");
        });

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task UnknownPage_IsAFriendlyNotFoundPage(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            var response = await page.GotoAsync("/t/demo/no-such-page");

            Assert.Equal(404, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        });

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task ConsentDecision_AfterTheSessionEndedOnAnOpenPage_SaysSoAndReloadsTheRequest(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "Stale 2");
            await page.GotoAsync(AuthRequests.LinkPath(key));
            await SignInAsync(page, "alice", "Alice-Passw0rd!");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeVisibleAsync();
            await page.Context.ClearCookiesAsync();

            var response = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync(), r => r.Url.EndsWith("/approve", StringComparison.Ordinal));

            Assert.Equal(400, response.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This page was open too long");
            await Assertions.Expect(page.GetByText("Nothing was changed.")).ToBeVisibleAsync();
            Assert.Equal(BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(server.Services, key));
            await page.GetByRole(AriaRole.Link, new() { Name = "Reload the page" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/t/demo/login\\?returnUrl="));
            await SignInAsync(page, "alice", "Alice-Passw0rd!");
            await Assertions.Expect(page.Locator(".binding-message")).ToHaveTextAsync("Stale 2");
        });

    private static async Task SignInAsync(IPage page, string login, string password)
    {
        await page.GetByLabel("Username or email").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
