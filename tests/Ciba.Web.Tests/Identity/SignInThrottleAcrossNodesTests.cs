using System.Net;
using System.Text.RegularExpressions;
using Ciba.Application.Accounts.SignIn;
using Ciba.Web.Tests.ScaleOut;

namespace Ciba.Web.Tests.Identity;

/// <summary>Issue 9 item 5: the sign-in throttle is kept in PostgreSQL, so spreading attempts over nodes gains nothing.</summary>
public sealed partial class SignInThrottleAcrossNodesTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    [Fact]
    public async Task FailuresOnBothNodes_AddUp()
    {
        for (var attempt = 0; attempt < SignInBackoff.FreeAttempts; attempt++)
        {
            var node = attempt % 2 == 0 ? cluster.First : cluster.Second;
            Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(node, "bob", "Guess-" + attempt));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(cluster.Second, "bob", "Bob-Passw0rd!"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(cluster.First, "bob", "Bob-Passw0rd!"));
        cluster.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(cluster.Second, "bob", "Bob-Passw0rd!"));
    }

    private static async Task<HttpStatusCode> SignInAsync(ServiceNode node, string login, string password)
    {
        using var client = node.CreateClient(new CookieContainer());
        var page = await client.GetStringAsync("/t/demo/login");
        var token = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
        using var form = new FormUrlEncodedContent([new("Login", login), new("Password", password), new("__RequestVerificationToken", token)]);
        using var response = await client.PostAsync("/t/demo/login", form);
        return response.StatusCode;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
