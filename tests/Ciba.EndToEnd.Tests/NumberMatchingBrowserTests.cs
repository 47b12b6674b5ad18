using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Audit;
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

            // The administrators' email, as the development inbox shows it: what happened, no secret.
            await BrowserTest.RunAsync(
                server.NewLaptopContextAsync(),
                async console =>
                {
                    await ConsolePages.SignInAsAdminAsync(console);
                    var email = await InboxMessageAsync(console, "alice reported a sign-in request from Demo TV");
                    await Assertions.Expect(email).ToContainTextAsync("this wasn't me");
                    await Assertions.Expect(email).ToContainTextAsync("cannot send them requests for 60 minutes");
                    var text = await email.InnerTextAsync();
                    Assert.DoesNotContain(key, text, StringComparison.Ordinal);
                    Assert.DoesNotContain("authCodeKey", text, StringComparison.Ordinal);
                    Assert.DoesNotContain("Alice-Passw0rd!", text, StringComparison.Ordinal);
                    Assert.All(
                        await email.GetByRole(AriaRole.Link).EvaluateAllAsync<string[]>("links => links.map(l => l.href)"),
                        href => Assert.DoesNotContain("authCodeKey", href, StringComparison.Ordinal));
                },
                nameof(ThisWasntMe_RecordsAReport_EmailsTheAdmins_AndTheApplicationIsCooledDown) + "_inbox");
        });

    [Fact]
    public Task ConsoleProtocolTab_NumberMatchingBlock_TickingAndUntickingSaves_AndIsAudited() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await SetNumberMatchingAsync("demo-web", false);
            await ConsolePages.SignInAsAdminAsync(page);
            await ConsolePages.OpenProtocolTabAsync(page, "Demo Web");
            var box = page.GetByLabel("Ask people to pick the code");
            await Assertions.Expect(box).Not.ToBeCheckedAsync();

            await box.CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save number matching" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Number matching is on");
            await Assertions.Expect(page.GetByLabel("Ask people to pick the code")).ToBeCheckedAsync();
            Assert.True(await NumberMatchingAsync("demo-web"));

            await page.GetByLabel("Ask people to pick the code").UncheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save number matching" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Number matching is off");
            await Assertions.Expect(page.GetByLabel("Ask people to pick the code")).Not.ToBeCheckedAsync();
            Assert.False(await NumberMatchingAsync("demo-web"));
            await using var scope = server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            var webId = await db.Applications.Where(a => a.ClientId == "demo-web").Select(a => a.Id).SingleAsync();
            var changes = await db.AuditEvents.AsNoTracking()
                .Where(e => e.ApplicationId == webId && e.Action == "console.application.updated" && e.Detail!.Contains("NumberMatching"))
                .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
                .ToListAsync();
            Assert.Equal(2, changes.Count);
            Assert.All(changes, e => Assert.Equal((AuditActorKind.Administrator, "admin"), (e.ActorKind, e.Actor)));

            // Both saves can fall in the same instant of the server's clock: the order of the two rows is not asserted.
            Assert.Single(changes, e => e.Detail!.Contains("NumberMatching: 'False' → 'True'", StringComparison.Ordinal));
            Assert.Single(changes, e => e.Detail!.Contains("NumberMatching: 'True' → 'False'", StringComparison.Ordinal));
        });

    private async Task SetNumberMatchingAsync(string clientId, bool on)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
        application.SetProtection(on, application.RateLimitPerMinute, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<bool> NumberMatchingAsync(string clientId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        return await db.Applications.AsNoTracking().Where(a => a.ClientId == clientId).Select(a => a.NumberMatching).SingleAsync();
    }

    /// <summary>Reloads the development inbox until a message containing <paramref name="text"/> arrives.</summary>
    private static async Task<ILocator> InboxMessageAsync(IPage console, string text)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await console.GotoAsync($"/t/{ConsolePages.Organization}/console/activity/inbox");
            var message = console.Locator("article.inbox-message", new() { HasText = text });
            if (await message.CountAsync() > 0)
            {
                return message.First;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "The administrators' email did not reach the development inbox within 15 s.");
            await Task.Delay(250);
        }
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
