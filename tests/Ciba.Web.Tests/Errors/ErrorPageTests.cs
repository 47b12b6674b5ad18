using System.Net;
using System.Text.RegularExpressions;
using Ciba.Testing;
using Ciba.Web.Tests.Console;

namespace Ciba.Web.Tests.Errors;

/// <summary>Issue 9 items 13 and 14: every HTML error is a page in words; protocol endpoints keep OAuth JSON.</summary>
public partial class ErrorPageTests(ErrorPagesFactory factory) : IClassFixture<ErrorPagesFactory>
{
    [Theory]
    [InlineData("GET", "/error")]
    [InlineData("POST", "/error")]
    [InlineData("GET", "/error/500")]
    [InlineData("POST", "/error/503")]
    [InlineData("PUT", "/error/403")]
    public async Task ErrorAddress_OpenedDirectly_IsTheNotFoundPage(string method, string path)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new FormUrlEncodedContent([new("a", "b")]) };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1 id=\"error-title\">Page not found</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no-such-page", "Page not found")]
    [InlineData("/t/no-such-org/console", "Page not found")]
    [InlineData("/t/demo/no-such-page", "Page not found")]
    [InlineData("/t/demo/test-errors/status/400", "This request could not be read")]
    [InlineData("/t/demo/test-errors/status/405", "This page cannot be used that way")]
    [InlineData("/t/demo/test-errors/status/500", "Something went wrong")]
    [InlineData("/t/demo/test-errors/status/503", "Ciba is busy right now")]
    [InlineData("/t/demo/test-errors/throw", "Something went wrong")]
    public async Task EmptyErrorOrException_OnAPage_IsAFriendlyPageWithTheSameStatus(string path, string title)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        var html = await AssertErrorPageAsync(response, title);
        Assert.DoesNotContain("secret-detail-of-a-bug", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Sign out", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLargeBody_OnAPage_Is413Page()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/t/demo/test-errors/too-large", new FormUrlEncodedContent([new("a", "b")]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertErrorPageAsync(response, "What you sent is too large");
    }

    [Fact]
    public async Task WrongMethod_OnAConsolePage_Is405Page()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.Client.DeleteAsync("/t/demo/console/applications/new");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await AssertErrorPageAsync(response, "This page cannot be used that way");
    }

    [Fact]
    public async Task ConsolePage_ForNonAdministrator_Is403PageNamingTheUserWithSignOut()
    {
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        using var response = await alice.GetAsync("/t/demo/console/users?search=x");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await AssertErrorPageAsync(response, "You do not have access to this page");
        Assert.Contains("You are signed in as <strong>alice</strong>", html, StringComparison.Ordinal);
        Assert.Matches(SignOutForm(), html);
        Assert.Contains("name=\"returnUrl\" value=\"/t/demo/console/users?search=x\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOutAndUseAnotherAccount_From403Page_LeadsToSignInAndBack()
    {
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        using var forbidden = await alice.GetAsync("/t/demo/console/users");
        var token = AntiforgeryToken().Match(await forbidden.Content.ReadAsStringAsync()).Groups[1].Value;
        using var signOut = await alice.PostWithoutTokenAsync(
            "/t/demo/logout", [new("returnUrl", "/t/demo/console/users"), new("__RequestVerificationToken", System.Net.WebUtility.HtmlDecode(token))]);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/t/demo/login?returnUrl=%2Ft%2Fdemo%2Fconsole%2Fusers", signOut.Headers.Location!.OriginalString);
        using var after = await alice.GetAsync("/t/demo/console/users");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task UnknownApplication_ForAdministrator_Is404PageNamingTheUser()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.GetAsync($"/t/demo/console/applications/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await AssertErrorPageAsync(response, "Page not found");
        Assert.Contains("You are signed in as <strong>admin</strong>", html, StringComparison.Ordinal);
        Assert.Matches(SignOutForm(), html);
    }

    [Fact]
    public async Task Exception_OnAProtocolEndpoint_IsServerErrorJson()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/t/demo/oauth2/test-errors/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"error\":\"server_error\",\"error_description\":\"The server could not answer the request.\"}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/t/demo/oauth2/test-errors/status/404")]
    [InlineData("/t/demo/oauth2/test-errors/status/503")]
    [InlineData("/t/demo/oauth2/token")]
    [InlineData("/t/demo/oauth2/ciba")]
    public async Task EmptyError_OnAProtocolEndpoint_StaysWithoutAnHtmlOrProblemBody(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.True((int)response.StatusCode >= 400, $"{path} answered {(int)response.StatusCode}");
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConsentDecision_WithStaleAntiforgeryToken_SaysSoAndLinksBackToTheRequest()
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice", "Stale 1");
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        using var response = await alice.PostWithoutTokenAsync("/t/demo/oauth2/ciba_authorize/approve", [new("authCodeKey", key)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("This page was open too long", html, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/t/demo/oauth2/ciba_authorize?authCodeKey={Uri.EscapeDataString(key)}\"", html, StringComparison.Ordinal);
        Assert.Equal(Ciba.Domain.Backchannel.BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(factory.Services, key));
    }

    [Theory]
    [InlineData("/t/demo/console/applications/new", "/t/demo/console/applications/new")]
    [InlineData("/t/demo/console/providers/email", "/t/demo/console/providers")]
    [InlineData("/t/demo/logout", "/t/demo/console")]
    public async Task ConsoleForm_WithStaleAntiforgeryToken_LinksToThePageOfTheForm(string path, string reloadUrl)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostWithoutTokenAsync(path, [new("Name", "x")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("This page was open too long", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{reloadUrl}\"", html, StringComparison.Ordinal);
    }

    private static async Task<string> AssertErrorPageAsync(HttpResponseMessage response, string title)
    {
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<h1 id=\"error-title\">{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"Error {(int)response.StatusCode}", html, StringComparison.Ordinal);
        return html;
    }

    [GeneratedRegex("<form method=\"post\" action=\"/t/demo/logout\">.*Sign out and use another account", RegexOptions.Singleline)]
    private static partial Regex SignOutForm();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
