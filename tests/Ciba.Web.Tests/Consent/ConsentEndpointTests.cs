using System.Net;
using System.Text.RegularExpressions;
using Ciba.Application.Backchannel.Decide;
using Ciba.Application.Common.Interfaces;
using Ciba.Testing;
using MediatR;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Consent;

/// <summary>The consent pages over HTTP: statuses, redirects, caching and antiforgery (product.md §5).</summary>
public partial class ConsentEndpointTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task ConsentLink_UnknownKey_Is404WithoutTheKeyAndNotCached()
    {
        using var client = NewClient();

        using var response = await client.GetAsync(AuthRequests.LinkPath("unknown-key-Zq81"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("This link does not work", body, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown-key-Zq81", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/t/demo/oauth2/ciba_authorize")]
    [InlineData("/t/demo/oauth2/ciba_authorize?authCodeKey=")]
    [InlineData("/t/demo/oauth2/ciba_authorize/done?outcome=maybe")]
    public async Task ConsentPages_WithoutAUsableKeyOrOutcome_Are404(string path)
    {
        using var client = NewClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ConsentLink_UnderAnUnknownOrganization_Is404()
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice");
        using var client = NewClient();

        using var response = await client.GetAsync(AuthRequests.LinkPath(key, organizationHandle: "no-such-org"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ConsentLink_WhenSignedOut_RedirectsToSignInWithTheLinkAsReturnUrl()
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice");
        using var client = NewClient();

        using var response = await client.GetAsync(AuthRequests.LinkPath(key));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/t/demo/login?returnUrl=" + Uri.EscapeDataString(AuthRequests.LinkPath(key)), response.Headers.Location?.OriginalString);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentLink_AfterExpiry_Is410()
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice", expiresInSeconds: 30);
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        using var client = NewClient();

        using var response = await client.GetAsync(AuthRequests.LinkPath(key));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("This link has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentLink_AfterDenial_Is410()
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice");
        await DenyAsAliceAsync(key);
        using var client = NewClient();

        using var response = await client.GetAsync(AuthRequests.LinkPath(key));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("already been answered", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("deny")]
    public async Task Decision_WithoutAntiforgeryToken_Is400AndDecidesNothing(string decision)
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice");
        using var client = NewClient();
        await SignInAsync(client, "alice", "Alice-Passw0rd!");

        using var response = await client.PostAsync(
            "/t/demo/oauth2/ciba_authorize/" + decision,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["authCodeKey"] = key }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Domain.Backchannel.BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(factory.Services, key));
    }

    [Fact]
    public async Task Approve_WhenSignedOut_RedirectsToSignInAndDecidesNothing()
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice");
        using var client = NewClient();
        var token = await AntiforgeryTokenAsync(client, "/t/demo/login");

        using var response = await client.PostAsync(
            "/t/demo/oauth2/ciba_authorize/approve",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["authCodeKey"] = key, ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/t/demo/login?returnUrl=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(Domain.Backchannel.BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(factory.Services, key));
    }

    [Fact]
    public async Task Approve_AsAnotherUser_Is403AndDecidesNothing()
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice");
        using var client = NewClient();
        await SignInAsync(client, "bob", "Bob-Passw0rd!");
        var token = await AntiforgeryTokenAsync(client, AuthRequests.LinkPath(key));

        using var response = await client.PostAsync(
            "/t/demo/oauth2/ciba_authorize/approve",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["authCodeKey"] = key, ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("This request is for another account", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Domain.Backchannel.BackchannelRequestStatus.Pending, await AuthRequests.StatusAsync(factory.Services, key));
    }

    [Fact]
    public async Task Approve_AsTheNamedUser_RedirectsToADonePageWithoutTheKey()
    {
        var key = await AuthRequests.CreatePendingAsync(factory.Services, "alice");
        using var client = NewClient();
        await SignInAsync(client, "alice", "Alice-Passw0rd!");
        var token = await AntiforgeryTokenAsync(client, AuthRequests.LinkPath(key));

        using var response = await client.PostAsync(
            "/t/demo/oauth2/ciba_authorize/approve",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["authCodeKey"] = key, ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/t/demo/oauth2/ciba_authorize/done?outcome=approved", response.Headers.Location?.OriginalString);
        Assert.Equal(Domain.Backchannel.BackchannelRequestStatus.Approved, await AuthRequests.StatusAsync(factory.Services, key));
    }

    private HttpClient NewClient() =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(CibaWebFactory.ClientBaseAddress) });

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        using var page = await client.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        return AntiforgeryTokenField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {path}.");
    }

    private static async Task SignInAsync(HttpClient client, string login, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/t/demo/login");
        using var response = await client.PostAsync("/t/demo/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = login,
            ["Password"] = password,
            ["ReturnUrl"] = "/t/demo/login",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task DenyAsAliceAsync(string key)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var organization = Assert.Single(provider.GetRequiredService<IApplicationDbContext>().Organizations.Where(o => o.Handle == "demo"));
        var alice = await provider.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(organization.Id, "alice", CancellationToken.None);
        var result = await provider.GetRequiredService<IMediator>().Send(new DenyBackchannelRequestCommand(organization.Id, key, alice!.Id));
        Assert.True(result.IsSuccess);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryTokenField();
}
