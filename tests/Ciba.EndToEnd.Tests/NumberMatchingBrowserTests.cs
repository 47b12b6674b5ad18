using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Protection;
using Ciba.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>product.md §14 at phone size: number matching (right pick approves) and "This wasn't me" (report, admin email, cooldown).</summary>
public class NumberMatchingBrowserTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Fact]
    public Task NumberMatching_RightPick_ShowsTheApprovedPage() =>
        BrowserTest.RunAsync(server.NewContextAsync(360), async page =>
        {
            await SetNumberMatchingAsync("demo-kiosk", true);
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "7Q4K", clientId: "demo-kiosk");
            await SignInAsync(page, key);

            var choices = page.Locator("button[name=chosen]");
            await Assertions.Expect(choices).ToHaveCountAsync(3);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
            await page.AssertAccessibleAsync("number matching");
            await page.GetByRole(AriaRole.Button, new() { Name = "7Q4K", Exact = true }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You approved the sign-in");
            Assert.Equal(BackchannelRequestStatus.Approved, await AuthRequests.StatusAsync(server.Services, key));
        });

    [Fact]
    public Task ThisWasntMe_RecordsAReport_EmailsTheAdmins_AndTheApplicationIsCooledDown() =>
        BrowserTest.RunAsync(server.NewContextAsync(360), async page =>
        {
            var key = await AuthRequests.CreatePendingAsync(server.Services, "alice", "Please authenticate to My App");
            await SignInAsync(page, key);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "This wasn't me" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Thank you for telling us");
            await page.AssertAccessibleAsync("reported");
            Assert.Equal(BackchannelRequestStatus.Denied, await AuthRequests.StatusAsync(server.Services, key));
            await using (var scope = server.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
                Assert.True(await db.RequestReports.AnyAsync(r => r.Reason == ReportReason.NotMe));
                Assert.True(await db.OutgoingMessages.AnyAsync(m => m.Recipient == "admin@demo.test" && m.BackchannelRequestId == null));
            }

            using var tv = BackchannelClient.Tv(server);
            var (status, error) = await tv.TryStartAsync(new Dictionary<string, string>
            {
                ["scope"] = "openid",
                ["login_hint"] = "alice",
                ["notification_channel"] = "external",
            });
            Assert.Equal(403, status);
            Assert.Equal("access_denied", error);
        });

    private async Task SetNumberMatchingAsync(string clientId, bool on)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
        application.SetProtection(on, application.RateLimitPerMinute, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync(AuthRequests.LinkPath(key));
        await page.GetByLabel("Username or email").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("Alice-Passw0rd!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Sign in to");
    }
}
