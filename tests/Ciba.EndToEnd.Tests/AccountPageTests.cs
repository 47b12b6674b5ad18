using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>The person's account home and user-code page at phone size (issue 15 items 1 and 5): GOV.UK errors, axe clean, recent requests listed.</summary>
public class AccountPageTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Fact]
    public Task AccountHome_ListsRecentRequests_AndSetsAUserCode_WithEveryErrorShownFirst() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            using (var kiosk = BackchannelClient.Kiosk(server))
            {
                await kiosk.StartAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "bob", ["binding_message"] = "Kiosk 42" });
            }

            await page.GotoAsync("/t/demo/login?returnUrl=%2Ft%2Fdemo%2Faccount");
            await page.GetByLabel("Username or email").FillAsync("bob");
            await page.GetByLabel("Password").FillAsync("Bob-Passw0rd!");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/t/demo/account");

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-recent-requests] li").First).ToContainTextAsync("Demo Kiosk");
            await Assertions.Expect(page.Locator("[data-account-sections] li")).ToHaveCountAsync(4);
            foreach (var section in new[] { "Signed-in applications", "User code", "Authenticator app", "Passkeys" })
            {
                await Assertions.Expect(page.Locator("[data-account-sections]").GetByRole(AriaRole.Link, new() { Name = section, Exact = true })).ToBeVisibleAsync();
            }

            await page.AssertAccessibleAsync("the account home");

            await page.GetByRole(AriaRole.Link, new() { Name = "User code" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save user code" }).ClickAsync();

            var summary = page.GetByRole(AriaRole.Alert);
            await Assertions.Expect(summary).ToContainTextAsync("Enter a user code");
            await Assertions.Expect(summary).ToContainTextAsync("Enter your user code again");
            await Assertions.Expect(summary).ToBeFocusedAsync();
            await Assertions.Expect(page.GetByLabel("New user code")).ToHaveAttributeAsync("aria-invalid", "true");
            await page.AssertAccessibleAsync("the user-code errors");

            await page.GetByLabel("New user code").FillAsync("1357");
            await page.GetByLabel("Enter it again").FillAsync("1358");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save user code" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The two user codes do not match");
            await Assertions.Expect(page.GetByLabel("New user code")).ToHaveValueAsync(string.Empty);

            await page.GetByLabel("New user code").FillAsync("1357");
            await page.GetByLabel("Enter it again").FillAsync("1357");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save user code" }).ClickAsync();
            await page.WaitForURLAsync("**/t/demo/account");
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your user code is set");

            using var tv = BackchannelClient.Tv(server);
            var wrong = await tv.TryStartAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "bob", ["notification_channel"] = "external", ["user_code"] = "7531" });
            Assert.Equal((400, "invalid_user_code"), wrong);
            await tv.StartAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "bob", ["notification_channel"] = "external", ["user_code"] = "1357" });
        });
}
