using System.Net;
using System.Text.RegularExpressions;
using Ciba.Web.Tests.Protocol;

namespace Ciba.Web.Tests.Console;

/// <summary>
/// The test message, deliveries and development inbox pages against the notification use cases,
/// with the app's hosted dispatcher sending to the demo organization's development inbox.
/// </summary>
public sealed class MessagesConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(10);

    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task TestMessage_ThroughTheDevelopmentInbox_ShowsSentOnceTheDispatcherRuns()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostFormAsync(
            "/t/demo/console/providers/test", [new("Test.Channel", "Email"), new("Test.Recipient", "alice@demo.test")], "/t/demo/console/providers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/t/demo/console/providers\\?test=[0-9a-f-]{36}$", location);
        var page = await PollAsync(admin, location, html => html.Contains("<strong>Sent</strong>", StringComparison.Ordinal));
        Assert.Contains("Test message to a•••@demo.test", page, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@demo.test", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestMessage_WithoutRecipient_ShowsTheFieldErrorAndQueuesNothing()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostFormAsync(
            "/t/demo/console/providers/test", [new("Test.Channel", "Sms"), new("Test.Recipient", "")], "/t/demo/console/providers");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("data-valmsg-for=\"Test.Recipient\"[^>]*>Enter a recipient.<", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeliveriesAndInbox_AfterASmsSignInRequest_ListTheMessageWithTheRecipientMasked()
    {
        var code = "SMS-" + Guid.NewGuid().ToString("N")[..6];
        using var backchannel = await _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["login_hint"] = "alice",
            ["notification_channel"] = "sms",
            ["binding_message"] = code,
        });
        await ProtocolClient.AssertOkAsync(backchannel);
        using var admin = await ConsoleSession.AdminAsync(factory);

        var inbox = await PollAsync(admin, "/t/demo/console/activity/inbox", html => html.Contains(code, StringComparison.Ordinal));
        var deliveries = WebUtility.HtmlDecode(await admin.GetPageAsync("/t/demo/console/activity/deliveries"));

        var message = Regex.Match(inbox, "<article class=\"card inbox-message\">((?:(?!</article>).)*" + code + "(?:(?!</article>).)*)</article>", RegexOptions.Singleline);
        Assert.True(message.Success, "The message is not in the inbox.");
        Assert.Contains("SMS to +1555•••0001", message.Value, StringComparison.Ordinal);
        var link = Regex.Match(message.Value, "<a href=\"([^\"]+)\">");
        Assert.True(link.Success, "The message has no link.");
        Assert.StartsWith($"{CibaWebFactory.PublicOrigin}/t/demo/oauth2/ciba_authorize?authCodeKey=", WebUtility.HtmlDecode(link.Groups[1].Value), StringComparison.Ordinal);
        Assert.Contains("<td>+1555•••0001</td>", deliveries, StringComparison.Ordinal);
        foreach (var page in new[] { inbox, deliveries })
        {
            Assert.DoesNotContain("+15550100001", page, StringComparison.Ordinal);
            Assert.DoesNotContain("5550100001", page, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Reloads <paramref name="path"/> until the dispatcher's work shows on it (HTML decoded), or fails after <see cref="DispatchTimeout"/>.</summary>
    private static async Task<string> PollAsync(ConsoleSession session, string path, Func<string, bool> shows)
    {
        var deadline = DateTime.UtcNow + DispatchTimeout;
        while (true)
        {
            var page = WebUtility.HtmlDecode(await session.GetPageAsync(path));
            if (shows(page))
            {
                return page;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{path} did not show the dispatched message within {DispatchTimeout.TotalSeconds} s.");
            }

            await Task.Delay(100);
        }
    }
}
