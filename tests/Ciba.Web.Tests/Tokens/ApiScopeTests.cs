using System.Net;
using Ciba.Infrastructure.Seeding;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Tokens;

/// <summary>product.md §13 APIs end to end: API scopes and resource in a CIBA request, the token's aud and scope, the consent page, the account page.</summary>
public sealed class ApiScopeTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly TokenLifecycleClient _client = new(factory);

    [Fact]
    public async Task ApiScope_TokenIsForTheApi_AndCarriesTheScope()
    {
        var tokens = await _client.GrantAsync("openid photos.read", "demo-kiosk");

        var payload = TokenLifecycleClient.Payload(tokens.AccessToken);
        Assert.Equal(DemoApis.PhotosIdentifier, payload.GetProperty("aud").GetString());
        Assert.Equal("openid photos.read", payload.GetProperty("scope").GetString());
        Assert.Equal("openid photos.read", tokens.Scope);
    }

    [Fact]
    public async Task ApiScopeWithClaimsScopes_TokenIsForTheApiAndUserInfo()
    {
        var tokens = await _client.GrantAsync("openid profile photos.read offline_access", "demo-kiosk");

        var audiences = TokenLifecycleClient.Payload(tokens.AccessToken).GetProperty("aud").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Equal([DemoApis.PhotosIdentifier, CibaWebFactory.PublicOrigin + "/t/demo/oauth2/userinfo"], audiences);
        Assert.Equal(HttpStatusCode.OK, await _client.UserInfoStatusAsync(tokens.AccessToken));

        // The refreshed token keeps its audiences; narrowed to the API scope, it is for the API alone.
        var narrowed = await _client.RefreshOkAsync(tokens.RefreshToken!, "demo-kiosk", scope: "photos.read");
        Assert.Equal(DemoApis.PhotosIdentifier, TokenLifecycleClient.Payload(narrowed.AccessToken).GetProperty("aud").GetString());
    }

    [Fact]
    public async Task OnlyOpenIdScopes_TokenIsForUserInfo()
    {
        var tokens = await _client.GrantAsync("openid email", "demo-kiosk");

        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/userinfo", TokenLifecycleClient.Payload(tokens.AccessToken).GetProperty("aud").GetString());
    }

    [Theory]
    [InlineData("openid photos.write")]
    [InlineData("openid nobody.defines.this")]
    public async Task ApiScopeTheClientMayNotRequest_IsInvalidScope(string scope)
    {
        var form = ProtocolClient.ExternalRequest();
        form["scope"] = scope;

        using var response = await _client.Protocol.BackchannelAsync(form, "demo-kiosk");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Resource_NamingTheApi_IsTheAudience()
    {
        var tokens = await _client.GrantAsync("openid photos.read", "demo-kiosk", resource: DemoApis.PhotosIdentifier);

        Assert.Equal(DemoApis.PhotosIdentifier, TokenLifecycleClient.Payload(tokens.AccessToken).GetProperty("aud").GetString());
    }

    [Theory]
    [InlineData("https://elsewhere.demo.test")]
    [InlineData("not a uri")]
    public async Task Resource_NotTheApiOfTheScopes_IsInvalidTarget(string resource)
    {
        var form = ProtocolClient.ExternalRequest();
        form["scope"] = "openid photos.read";
        form["resource"] = resource;

        using var response = await _client.Protocol.BackchannelAsync(form, "demo-kiosk");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task ConsentPage_ShowsApiScopeDescriptions_AndStaySignedIn()
    {
        var (_, linkKey) = await _client.Protocol.StartExternalAsync("demo-kiosk", adjust: form => form["scope"] = "openid photos.read offline_access");
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");

        var page = WebUtility.HtmlDecode(await alice.GetPageAsync(Testing.AuthRequests.LinkPath(linkKey)));

        Assert.Contains("See your photos and albums (Demo Photos)", page, StringComparison.Ordinal);
        Assert.Contains("stay signed in on Demo Kiosk", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountPage_ListsApplicationsThatStaySignedIn_AndSignsThemOut()
    {
        var tokens = await _client.GrantAsync("openid offline_access", "demo-kiosk");
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");
        Assert.Contains("Demo Kiosk", await alice.GetPageAsync("/t/demo/account/applications"), StringComparison.Ordinal);
        var kioskId = await factory.ReadAsync(db => db.Applications.Where(a => a.ClientId == "demo-kiosk").Select(a => a.Id).SingleAsync());

        using var signOut = await alice.PostFormAsync($"/t/demo/account/applications/{kioskId}/sign-out", [], "/t/demo/account/applications");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var refresh = await _client.RefreshAsync(tokens.RefreshToken!, "demo-kiosk");
        await ProtocolClient.AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.DoesNotContain("Demo Kiosk", await alice.GetPageAsync("/t/demo/account/applications"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleUserPage_AdministratorSignsAnApplicationOut()
    {
        var tokens = await _client.GrantAsync("openid offline_access");
        using var admin = await ConsoleSession.AdminAsync(factory);
        var aliceId = await _client.Protocol.UserIdAsync("alice");
        var userPath = $"/t/demo/console/users/{aliceId}";
        Assert.Contains("Demo TV", await admin.GetPageAsync(userPath), StringComparison.Ordinal);
        var tvId = await factory.ReadAsync(db => db.Applications.Where(a => a.ClientId == "demo-tv").Select(a => a.Id).SingleAsync());

        using var signOut = await admin.PostFormAsync($"{userPath}/applications/{tvId}/sign-out", [], userPath);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var refresh = await _client.RefreshAsync(tokens.RefreshToken!);
        await ProtocolClient.AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    public void Dispose() => _client.Dispose();
}
