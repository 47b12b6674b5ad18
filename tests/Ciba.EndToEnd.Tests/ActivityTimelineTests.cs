using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>Issue 16 item 3: Activity's filters and the timeline of one request, readable at phone width.</summary>
public class ActivityTimelineTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public Task Activity_FilteredToARedeemedRequest_ShowsItsTimelineInOrder(int width) =>
        BrowserTest.RunAsync(server.NewContextAsync(width), async page =>
        {
            using var kiosk = BackchannelClient.Kiosk(server);
            var ack = await kiosk.StartAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "alice", ["binding_message"] = "Timeline " + width });
            using var tv = BackchannelClient.Tv(server);
            await tv.StartAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "alice", ["notification_channel"] = "email" });
            await page.GotoAsync(ack.AuthUrl!);
            await SignInAsync(page, "alice", "Alice-Passw0rd!");
            await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await page.WaitForURLAsync("**/done?outcome=approved");
            server.Time.Advance(TimeSpan.FromSeconds(ack.Interval));
            Assert.Equal(HttpStatusCode.OK, (await kiosk.PollAsync(ack.AuthReqId)).Status);

            await page.GotoAsync("/t/demo/console/activity");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out and use another account" }).ClickAsync();
            await SignInAsync(page, "admin", "Admin-Passw0rd!");
            await page.GetByLabel("Application").SelectOptionAsync(new SelectOptionValue { Label = "Demo Kiosk" });
            await page.GetByLabel("User", new() { Exact = true }).FillAsync("alice");
            await page.GetByLabel("Status").SelectOptionAsync("Redeemed");
            await page.GetByLabel("Created").SelectOptionAsync("1h");
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=Redeemed"));
            var rows = page.Locator("table.stack tbody tr");
            await Assertions.Expect(rows.First).ToContainTextAsync("Demo Kiosk");
            foreach (var row in await rows.AllAsync())
            {
                await Assertions.Expect(row).ToContainTextAsync(new Regex("Demo Kiosk.*alice.*Redeemed", RegexOptions.Singleline));
            }

            AssertNoSidewaysScroll(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
            await rows.First.GetByRole(AriaRole.Link).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Auth request from Demo Kiosk");
            await Assertions.Expect(page.Locator(".timeline li strong")).ToHaveTextAsync(["Created", "Viewed", "Approved", "Redeemed"]);
            AssertNoSidewaysScroll(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));

            await page.GotoAsync("/t/demo/console/activity?status=Pending");
            await page.Locator("table.stack tbody tr").Filter(new() { HasText = "Demo TV" }).First.GetByRole(AriaRole.Link).ClickAsync();
            await Assertions.Expect(page.Locator(".timeline")).ToContainTextAsync("Email queued");
            await Assertions.Expect(page.Locator(".timeline")).ToContainTextAsync("a•••@demo.test");
            Assert.DoesNotContain("alice@demo.test", await page.ContentAsync(), StringComparison.Ordinal);
        });

    private static void AssertNoSidewaysScroll(bool fits) => Assert.True(fits, "the page scrolls sideways");

    private static async Task SignInAsync(IPage page, string login, string password)
    {
        await page.GetByLabel("Username or email").FillAsync(login);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
