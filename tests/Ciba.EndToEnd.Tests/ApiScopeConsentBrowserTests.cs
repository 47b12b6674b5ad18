using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace Ciba.EndToEnd.Tests;

/// <summary>
/// Issue 13 in the browser, at phone size: a request for an API scope shows the scope's description
/// and, with <c>offline_access</c>, "stay signed in on" the application; once approved, the access
/// token is for the API and carries the scope.
/// </summary>
public class ApiScopeConsentBrowserTests(CibaServerFixture server) : IClassFixture<CibaServerFixture>
{
    [Fact]
    public Task ApiScope_ConsentShowsItsDescriptionAndStaySignedIn_TokenIsForTheApi() =>
        BrowserTest.RunAsync(server.NewPhoneContextAsync(), async page =>
        {
            using var kiosk = BackchannelClient.Kiosk(server);
            var ack = await kiosk.StartAsync(new Dictionary<string, string>
            {
                ["scope"] = "openid photos.read offline_access",
                ["login_hint"] = "alice",
                ["binding_message"] = "Kiosk photos",
            });
            Assert.NotNull(ack.AuthUrl);

            await page.GotoAsync(ack.AuthUrl!);
            await page.GetByLabel("Username or email").FillAsync("alice");
            await page.GetByLabel("Password").FillAsync("Alice-Passw0rd!");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            await Assertions.Expect(page.GetByText("See your photos and albums (Demo Photos)").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("stay signed in on Demo Kiosk").First).ToBeVisibleAsync();
            await page.AssertAccessibleAsync("API scope and offline access");
            await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
            await page.WaitForURLAsync("**/done?outcome=approved");
            server.Time.Advance(TimeSpan.FromSeconds(ack.Interval));

            var tokens = await kiosk.PollAsync(ack.AuthReqId);

            Assert.True(tokens.Status == HttpStatusCode.OK, $"The token endpoint answered {(int)tokens.Status}: {tokens.Body}");
            Assert.Contains("photos.read", tokens.Body.GetProperty("scope").GetString()!.Split(' '));
            Assert.False(string.IsNullOrEmpty(tokens.Body.GetProperty("refresh_token").GetString()));
            var payload = Payload(tokens.Body.GetProperty("access_token").GetString()!);
            Assert.Equal("https://photos.demo.test", payload.GetProperty("aud").GetString());
            Assert.Contains("photos.read", payload.GetProperty("scope").GetString()!.Split(' '));
        });

    private static JsonElement Payload(string jwt)
    {
        using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        return json.RootElement.Clone();
    }
}
