using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

public class ConsoleTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Fact]
    public Task ProtocolTab_SetExpiryAndUntickSms_PersistsForTheApplication() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            await ConsolePages.OpenProtocolTabAsync(page, "Demo TV");
            await Assertions.Expect(page.GetByLabel("CIBA", new() { Exact = true })).ToBeCheckedAsync();

            await ConsolePages.UpdateProtocolAsync(page, expirySeconds: "300", sms: false);

            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByLabel("Expiry Time (seconds)")).ToHaveValueAsync("300");
            await Assertions.Expect(page.Locator("#channel-sms")).Not.ToBeCheckedAsync();
            await Assertions.Expect(page.Locator("#channel-email")).ToBeCheckedAsync();
            var settings = (await ApplicationAsync("demo-tv")).CibaSettings;
            Assert.Equal(300, settings.ExpirySeconds);
            Assert.Equal(NotificationChannels.Email | NotificationChannels.External, settings.Channels);
            Assert.Equal(2, settings.PollingIntervalSeconds);
        });

    [Fact]
    public Task ProtocolTab_InvalidExpiry_ShowsFieldErrorAndChangesNothing() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            var (clientId, _) = await ConsolePages.CreateApplicationAsync(page, "Expiry check");
            var before = await ApplicationAsync(clientId);
            await ConsolePages.OpenProtocolTabAsync(page, "Expiry check");

            await ConsolePages.UpdateProtocolAsync(page, expirySeconds: "0", sms: false);

            await Assertions.Expect(page.Locator("[data-valmsg-for=ExpirySeconds]"))
                .ToHaveTextAsync("Enter a whole number of seconds from 1 to 86400.");
            await Assertions.Expect(page.Locator("#channel-sms")).Not.ToBeCheckedAsync();
            var after = await ApplicationAsync(clientId);
            Assert.Equal(before.CibaSettings, after.CibaSettings);
            Assert.Equal(before.UpdatedAt, after.UpdatedAt);
            await page.GotoAsync(page.Url);
            await Assertions.Expect(page.GetByLabel("Expiry Time (seconds)")).ToHaveValueAsync("120");
            await Assertions.Expect(page.Locator("#channel-sms")).ToBeCheckedAsync();
        });

    [Fact]
    public Task ProtocolTab_UntickingCiba_HidesTheCibaSettings() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            await ConsolePages.CreateApplicationAsync(page, "Toggle check");
            await ConsolePages.OpenProtocolTabAsync(page, "Toggle check");
            await Assertions.Expect(page.GetByLabel("Expiry Time (seconds)")).ToBeVisibleAsync();

            await page.GetByLabel("CIBA", new() { Exact = true }).UncheckAsync();

            await Assertions.Expect(page.GetByLabel("Expiry Time (seconds)")).Not.ToBeVisibleAsync();
        });

    [Fact]
    public Task CreateApplication_ShowsOneTimeSecretMatchingTheStoredHash() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);

            var (clientId, secret) = await ConsolePages.CreateApplicationAsync(page, "Hotel TV");

            var application = await ApplicationAsync(clientId);
            Assert.Equal("Hotel TV", application.Name);
            Assert.True(SecretHashing.VerifyClientSecret(secret, application.ClientSecretHash));
            Assert.True(application.AllowsCiba);
            await page.GetByRole(AriaRole.Link, new() { Name = "Open the application" }).ClickAsync();
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        });

    [Fact]
    public Task Console_AtPhoneWidth_TablesScrollInsideTheirWrapper() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);

            var pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

            Assert.True(pageWidth <= 360, $"The page is {pageWidth}px wide.");
            await Assertions.Expect(page.Locator(".table-wrap table")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        });

    private async Task<ClientApplication> ApplicationAsync(string clientId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        return await db.Applications.AsNoTracking().SingleAsync(a => a.ClientId == clientId);
    }
}
