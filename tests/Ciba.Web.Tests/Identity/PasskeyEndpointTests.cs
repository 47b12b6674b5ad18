using System.Net;
using Ciba.Application.Accounts.SignIn;
using Ciba.Web.Tests.Console;

namespace Ciba.Web.Tests.Identity;

/// <summary>
/// Issue 15 item 3 (passkeys) over HTTP: the options endpoints answer JSON that is never cached,
/// and whatever arrives where a passkey answer belongs is refused with 400 (or 413 when too big),
/// never a 500; a step-up's return address stays inside the organization.
/// </summary>
public sealed class PasskeyEndpointTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    public static TheoryData<string> GarbageCredentials => new()
    {
        "",
        "{",
        "not json",
        "null",
        "[]",
        "{}",
        "{\"id\":\"AAAA\",\"rawId\":\"AAAA\",\"type\":\"public-key\",\"response\":{}}",
        "{\"id\":\"@@@\",\"rawId\":\"@@@\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"e30\",\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\"}}",
        "{\"id\":1,\"rawId\":[1,2],\"type\":7,\"response\":\"x\"}",
        new string('[', 5000),
        "\"\u0000\"",
        new string('x', 20_000),
    };

    [Fact]
    public async Task RequestOptions_ForAnyone_AreJsonWithAChallenge_NeverCached()
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var response = await session.PostFormAsync("/t/demo/passkeys/request-options", [], formPage: "/t/demo/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"challenge\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".ciba.passkey.demo=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RequestOptions_WithoutTheAntiforgeryToken_AreRefused()
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var response = await session.PostWithoutTokenAsync("/t/demo/passkeys/request-options", []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(GarbageCredentials))]
    public async Task SignIn_WithAGarbageAnswer_Is400_Never500(string credential)
    {
        ForgetEarlierAttempts();
        using var session = ConsoleSession.Anonymous(factory);
        using var options = await session.PostFormAsync("/t/demo/passkeys/request-options", [], formPage: "/t/demo/login");

        using var response = await session.PostFormAsync("/t/demo/passkeys/sign-in", [new("Credential", credential)], formPage: "/t/demo/login");

        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"Answered {(int)response.StatusCode}.");
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(".ciba.session", StringComparison.Ordinal) && !v.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignIn_WithNoCeremonyBegun_Is400()
    {
        ForgetEarlierAttempts();
        using var session = ConsoleSession.Anonymous(factory);

        using var response = await session.PostFormAsync("/t/demo/passkeys/sign-in", [new("Credential", "{\"id\":\"AAAA\"}")], formPage: "/t/demo/login");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("That passkey could not sign you in", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_AfterFiveRefusedAnswers_IsThrottledLikeThePasswordStep()
    {
        ForgetEarlierAttempts();
        using var session = ConsoleSession.Anonymous(factory);
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var options = await session.PostFormAsync("/t/demo/passkeys/request-options", [], formPage: "/t/demo/login");
            using var response = await session.PostFormAsync("/t/demo/passkeys/sign-in", [new("Credential", "{}")], formPage: "/t/demo/login");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[5]);
        ForgetEarlierAttempts();
    }

    [Theory]
    [MemberData(nameof(GarbageCredentials))]
    public async Task AddPasskey_WithAGarbageAnswer_Is400_Never500(string credential)
    {
        using var session = await ConsoleSession.SignInAsync(factory, "bob", "Bob-Passw0rd!");
        using var options = await session.PostFormAsync("/t/demo/account/passkeys/creation-options", [], formPage: "/t/demo/account/passkeys");

        using var response = await session.PostFormAsync("/t/demo/account/passkeys", [new("Credential", credential), new("Name", "Mine")], formPage: "/t/demo/account/passkeys");

        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.Contains("\"challenge\"", await options.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"Answered {(int)response.StatusCode}.");
    }

    [Fact]
    public async Task CreationOptions_WhenSignedOut_Are401()
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var response = await session.PostFormAsync("/t/demo/account/passkeys/creation-options", [], formPage: "/t/demo/login");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AccountPasskeys_WhenSignedOut_GoesToSignIn()
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var response = await session.GetAsync("/t/demo/account/passkeys");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/t/demo/login?returnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AAAA")]
    [InlineData("not-base64url!")]
    [InlineData("%00")]
    public async Task RenameOrRemove_OfAPasskeyThePersonDoesNotHave_IsNotFoundOrSaysSo(string id)
    {
        using var session = await ConsoleSession.SignInAsync(factory, "bob", "Bob-Passw0rd!");
        var path = "/t/demo/account/passkeys/" + Uri.EscapeDataString(id);

        using var renamePage = await session.GetAsync(path + "/rename");
        using var rename = await session.PostFormAsync(path + "/rename", [new("Name", "New name")], formPage: "/t/demo/account/passkeys");
        using var remove = await session.PostFormAsync(path + "/remove", [], formPage: "/t/demo/account/passkeys");

        Assert.True(renamePage.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"Answered {(int)renamePage.StatusCode}.");
        Assert.True(rename.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"Answered {(int)rename.StatusCode}.");
        Assert.True(remove.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"Answered {(int)remove.StatusCode}.");
    }

    /// <summary>The sign-in throttle counts every passkey attempt from one address, and forgets the count after 12 quiet hours.</summary>
    private void ForgetEarlierAttempts() => factory.Time.Advance(SignInBackoff.ForgetAfter + TimeSpan.FromMinutes(1));

    [Theory]
    [InlineData("https://evil.example/t/demo/console")]
    [InlineData("//evil.example")]
    [InlineData("/t/other/console")]
    public async Task StepUp_WithAForeignReturnUrl_ReturnsInsideTheOrganization(string returnUrl)
    {
        using var session = await ConsoleSession.SignInAsync(factory, "bob", "Bob-Passw0rd!");

        var page = await session.GetPageAsync("/t/demo/passkeys/step-up?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Contains("name=\"ReturnUrl\" value=\"/t/demo/console\"", page, StringComparison.Ordinal);
        Assert.Contains("Confirm it is you", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepUp_WhenSignedOut_GoesToSignInFirst()
    {
        using var session = ConsoleSession.Anonymous(factory);

        using var response = await session.GetAsync("/t/demo/passkeys/step-up?returnUrl=%2Ft%2Fdemo%2Faccount%2Fpasskeys");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/t/demo/login?returnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
