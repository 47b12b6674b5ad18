using System.Net;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// Issue 6's browser tests: what an administrator changes in the console is what the next
/// backchannel request gets. Tests that change demo-tv put its settings back when they end.
/// </summary>
public class ConsoleProtocolTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Fact]
    public Task ProtocolTab_Expiry300WithoutSms_NextRequestExpiresIn300AndSendsOnlyEmail() =>
        WithDemoTvRestoredAsync(() => BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            await ConsolePages.OpenProtocolTabAsync(page, "Demo TV");

            await ConsolePages.UpdateProtocolAsync(page, expirySeconds: "300", sms: false);
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");

            using var tv = BackchannelClient.Tv(server);
            var ack = await tv.StartAsync(AliceWithoutChannel("Console 300"));
            Assert.Equal(300, ack.ExpiresIn);
            Assert.Null(ack.AuthUrl);
            var message = Assert.Single(await MessagesOfAsync(ack.AuthReqId));
            Assert.Equal(MessageChannel.Email, message.Channel);
            Assert.Equal("alice@demo.test", message.Recipient);
        }));

    [Fact]
    public Task ProtocolTab_InvalidExpiry_ShowsTheFieldErrorAndTheNextRequestKeepsTheOldSettings() =>
        WithDemoTvRestoredAsync(() => BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);
            await ConsolePages.OpenProtocolTabAsync(page, "Demo TV");

            await ConsolePages.UpdateProtocolAsync(page, expirySeconds: "0", sms: false);

            await Assertions.Expect(page.Locator("[data-valmsg-for=ExpirySeconds]"))
                .ToHaveTextAsync("Enter a whole number of seconds from 1 to 86400.");
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
            using var tv = BackchannelClient.Tv(server);
            var ack = await tv.StartAsync(AliceWithoutChannel("Console 0"));
            Assert.Equal(CibaSettings.DefaultExpirySeconds, ack.ExpiresIn);
            var messages = await MessagesOfAsync(ack.AuthReqId);
            Assert.Equal([MessageChannel.Email, MessageChannel.Sms], messages.Select(m => m.Channel).Order());
        }));

    [Fact]
    public Task NewApplication_OneTimeSecret_AuthenticatesABackchannelRequest() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async page =>
        {
            await ConsolePages.SignInAsAdminAsync(page);

            var (clientId, secret) = await ConsolePages.CreateApplicationAsync(page, "Lobby kiosk");

            Assert.False(string.IsNullOrWhiteSpace(clientId));
            using var app = new BackchannelClient(server, clientId, secret);
            var ack = await app.StartAsync(new Dictionary<string, string>
            {
                ["scope"] = "openid",
                ["login_hint"] = "alice",
                ["notification_channel"] = "external",
            });
            Assert.Equal(CibaSettings.DefaultExpirySeconds, ack.ExpiresIn);
            Assert.Equal(CibaSettings.DefaultPollingIntervalSeconds, ack.Interval);
            Assert.StartsWith(server.BaseUrl + "/t/demo/oauth2/ciba_authorize?authCodeKey=", ack.AuthUrl, StringComparison.Ordinal);
            var pending = await app.PollAsync(ack.AuthReqId);
            Assert.Equal((HttpStatusCode.BadRequest, "authorization_pending"), (pending.Status, pending.Error));

            using var impostor = new BackchannelClient(server, clientId, secret + "x");
            var refused = await impostor.PollAsync(ack.AuthReqId);
            Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client"), (refused.Status, refused.Error));
        });

    private static Dictionary<string, string> AliceWithoutChannel(string bindingMessage) => new()
    {
        ["scope"] = "openid",
        ["login_hint"] = "alice",
        ["binding_message"] = bindingMessage,
    };

    /// <summary>The outbox messages written for one backchannel request, read through the app's own <see cref="IApplicationDbContext"/>.</summary>
    private async Task<List<OutgoingMessage>> MessagesOfAsync(string authReqId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var hash = SecretHashing.HashToken(authReqId);
        var requestId = await db.BackchannelRequests.AsNoTracking().Where(r => r.AuthReqIdHash == hash).Select(r => r.Id).SingleAsync();
        return await db.OutgoingMessages.AsNoTracking().Where(m => m.BackchannelRequestId == requestId).ToListAsync();
    }

    /// <summary>Runs a scenario that edits demo-tv in the console, then puts its grant types and CIBA settings back.</summary>
    private async Task WithDemoTvRestoredAsync(Func<Task> scenario)
    {
        var (grantTypes, settings) = await DemoTvProtocolAsync(null);
        try
        {
            await scenario();
        }
        finally
        {
            await DemoTvProtocolAsync((grantTypes, settings));
        }
    }

    private async Task<(IReadOnlyList<string> GrantTypes, CibaSettings Settings)> DemoTvProtocolAsync((IReadOnlyList<string> GrantTypes, CibaSettings Settings)? restore)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var tv = await db.Applications.SingleAsync(a => a.ClientId == "demo-tv");
        var current = ((IReadOnlyList<string>)[.. tv.GrantTypes], tv.CibaSettings);
        if (restore is { } wanted)
        {
            tv.UpdateProtocol(wanted.GrantTypes, wanted.Settings, server.Time.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
        }

        return current;
    }
}
