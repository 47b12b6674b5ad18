using System.Text.Json;
using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Applications;
using Ciba.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>Issue 12: one browser test per callback mode. The person approves on the phone page; then the callback arrives at the client's receiver.</summary>
public sealed class CallbackFlowTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    private const string NotificationToken = "e2e-Notification.Token_~+/=";

    [Fact]
    public Task Ping_ApproveOnThePhone_ThenThePingArrives_AndTheClientRedeems() =>
        RunAsync(TokenDeliveryMode.Ping, async (receiver, ack, client) =>
        {
            var callback = await WaitForCallbackAsync(receiver);
            Assert.Equal("Bearer " + NotificationToken, callback.Headers["Authorization"]);
            Assert.Equal($$"""{"auth_req_id":"{{ack.AuthReqId}}"}""", callback.Body);
            var tokens = await client.PollAsync(ack.AuthReqId);
            Assert.Equal(System.Net.HttpStatusCode.OK, tokens.Status);
        });

    [Fact]
    public Task Push_ApproveOnThePhone_ThenTheTokensArrive() =>
        RunAsync(TokenDeliveryMode.Push, async (receiver, ack, client) =>
        {
            var callback = await WaitForCallbackAsync(receiver);
            Assert.Equal("Bearer " + NotificationToken, callback.Headers["Authorization"]);
            using var body = JsonDocument.Parse(callback.Body);
            Assert.Equal(ack.AuthReqId, body.RootElement.GetProperty("auth_req_id").GetString());
            Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("access_token").GetString()));
            Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("id_token").GetString()));
            var poll = await client.PollAsync(ack.AuthReqId);
            Assert.Equal("unauthorized_client", poll.Error);
        });

    private async Task RunAsync(TokenDeliveryMode mode, Func<RecordingHttpServer, BackchannelAck, BackchannelClient, Task> then)
    {
        await using var receiver = RecordingHttpServer.Start();
        receiver.DefaultResponse = new ScriptedResponse(204, string.Empty);
        await UseDeliveryAsync(mode, receiver.BaseUrl + "/ciba/callback");
        try
        {
            using var client = BackchannelClient.Kiosk(server);
            var ack = await client.StartAsync(new Dictionary<string, string>
            {
                ["scope"] = "openid",
                ["login_hint"] = "alice",
                ["binding_message"] = "Code 77",
                ["client_notification_token"] = NotificationToken,
            });
            var key = Uri.UnescapeDataString(new Uri(ack.AuthUrl!).Query["?authCodeKey=".Length..]);

            await BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
            {
                await page.GotoAsync(AuthRequests.LinkPath(key));
                await page.GetByLabel("Username or email").FillAsync("alice");
                await page.GetByLabel("Password").FillAsync("Alice-Passw0rd!");
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                Assert.Empty(receiver.Requests);
                await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You approved the sign-in");
            });

            await then(receiver, ack, client);
        }
        finally
        {
            await UseDeliveryAsync(TokenDeliveryMode.Poll, null);
        }
    }

    private static async Task<RecordedRequest> WaitForCallbackAsync(RecordingHttpServer receiver)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (receiver.Requests.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return Assert.Single(receiver.Requests);
    }

    private async Task UseDeliveryAsync(TokenDeliveryMode mode, string? endpoint)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == "demo-kiosk");
        application.UpdateTokenDelivery(mode, endpoint, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
