using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// Issue 5 end to end: a backchannel request on the email channel, the hosted dispatcher delivering
/// it to the demo organization's development inbox, the link opened on a phone, approval, tokens.
/// </summary>
public class NotificationFlowTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public Task EmailChannel_LinkFromTheDevelopmentInbox_ApprovedOnAPhoneYieldsTokens() =>
        BrowserTest.RunAsync(server.NewLaptopContextAsync(), async console =>
        {
            var code = "Inbox " + Guid.NewGuid().ToString("N")[..6];
            server.Time.Advance(TimeSpan.FromSeconds(1));
            using var tv = BackchannelClient.Tv(server);
            var ack = await tv.StartAsync(new Dictionary<string, string>
            {
                ["scope"] = "openid profile email",
                ["login_hint"] = "alice",
                ["notification_channel"] = "email",
                ["binding_message"] = code,
            });
            Assert.Null(ack.AuthUrl);

            await ConsolePages.SignInAsAdminAsync(console);
            var message = await NewestInboxMessageAsync(console, code);
            await Assertions.Expect(message).ToContainTextAsync("Email to a•••@demo.test");
            var link = await message.GetByRole(AriaRole.Link).GetAttributeAsync("href");
            Assert.StartsWith(server.BaseUrl + "/t/demo/oauth2/ciba_authorize?authCodeKey=", link, StringComparison.Ordinal);
            var pending = await tv.PollAsync(ack.AuthReqId);
            Assert.Equal((HttpStatusCode.BadRequest, "authorization_pending"), (pending.Status, pending.Error));

            await BrowserTest.RunAsync(
                server.NewPhoneContextAsync(),
                async phone =>
                {
                    await phone.GotoAsync(link!);
                    await phone.GetByLabel("Username or email").FillAsync("alice");
                    await phone.GetByLabel("Password").FillAsync("Alice-Passw0rd!");
                    await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                    await Assertions.Expect(phone.Locator(".binding-message")).ToHaveTextAsync(code);
                    await phone.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
                    await phone.WaitForURLAsync("**/done?outcome=approved");
                },
                nameof(EmailChannel_LinkFromTheDevelopmentInbox_ApprovedOnAPhoneYieldsTokens) + "_phone");
            server.Time.Advance(TimeSpan.FromSeconds(ack.Interval));

            var tokens = await tv.PollAsync(ack.AuthReqId);

            Assert.True(tokens.Status == HttpStatusCode.OK, $"The token endpoint answered {(int)tokens.Status}: {tokens.Body}");
            Assert.Equal("Bearer", tokens.Body.GetProperty("token_type").GetString());
            Assert.Equal("openid profile email", tokens.Body.GetProperty("scope").GetString());
            Assert.False(string.IsNullOrEmpty(tokens.Body.GetProperty("access_token").GetString()));
            Assert.False(string.IsNullOrEmpty(tokens.Body.GetProperty("id_token").GetString()));
        });

    /// <summary>Reloads the development inbox until the message carrying <paramref name="code"/> arrives, and checks it is listed first.</summary>
    private static async Task<ILocator> NewestInboxMessageAsync(IPage console, string code)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await console.GotoAsync($"/t/{ConsolePages.Organization}/console/activity/inbox");
            var newest = console.Locator("article.inbox-message").First;
            if (await console.Locator("article.inbox-message", new() { HasText = code }).CountAsync() > 0)
            {
                await Assertions.Expect(newest).ToContainTextAsync(code);
                return newest;
            }

            Assert.True(waited.Elapsed < DeliveryTimeout, $"The message did not reach the development inbox within {DeliveryTimeout.TotalSeconds} s.");
            await Task.Delay(250);
        }
    }
}
