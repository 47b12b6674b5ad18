using System.Net;
using System.Text.Json;
using Ciba.Web.Tests.Protocol;

namespace Ciba.Web.Tests.Tokens;

/// <summary>product.md §13: revocation (RFC 7009) and introspection (RFC 7662) over HTTP.</summary>
public sealed class RevocationAndIntrospectionTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly TokenLifecycleClient _client = new(factory);

    [Fact]
    public async Task Introspect_ActiveAccessToken_ReportsItsClaims()
    {
        var tokens = await _client.GrantAsync("openid profile offline_access");

        var answer = await _client.IntrospectOkAsync(tokens.AccessToken);

        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal("openid profile offline_access", answer.GetProperty("scope").GetString());
        Assert.Equal("demo-tv", answer.GetProperty("client_id").GetString());
        Assert.Equal("alice", answer.GetProperty("username").GetString());
        Assert.Equal("Bearer", answer.GetProperty("token_type").GetString());
        var payload = TokenLifecycleClient.Payload(tokens.AccessToken);
        Assert.Equal(payload.GetProperty("sub").GetString(), answer.GetProperty("sub").GetString());
        Assert.Equal(payload.GetProperty("exp").GetInt64(), answer.GetProperty("exp").GetInt64());
        Assert.Equal(payload.GetProperty("jti").GetString(), answer.GetProperty("jti").GetString());
        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/userinfo", answer.GetProperty("aud")[0].GetString());
        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token", answer.GetProperty("iss").GetString());
    }

    [Fact]
    public async Task Introspect_ActiveRefreshToken_ReportsItsGrant()
    {
        var tokens = await _client.GrantAsync();

        var answer = await _client.IntrospectOkAsync(tokens.RefreshToken!);

        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal("refresh_token", answer.GetProperty("token_type").GetString());
        Assert.Equal("demo-tv", answer.GetProperty("client_id").GetString());
        Assert.Equal("openid profile offline_access", answer.GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("a.b.c")]
    public async Task Introspect_UnknownToken_IsOnlyInactive(string token)
    {
        var answer = await _client.IntrospectOkAsync(token);

        AssertInactive(answer);
    }

    [Fact]
    public async Task Introspect_AnotherClientsTokens_AreInactive()
    {
        var tokens = await _client.GrantAsync();

        AssertInactive(await _client.IntrospectOkAsync(tokens.AccessToken, "demo-kiosk"));
        AssertInactive(await _client.IntrospectOkAsync(tokens.RefreshToken!, "demo-kiosk"));
        Assert.True((await _client.IntrospectOkAsync(tokens.AccessToken)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspect_ExpiredAccessToken_IsInactive()
    {
        var tokens = await _client.GrantAsync();

        factory.Time.Advance(TimeSpan.FromSeconds(3600));

        AssertInactive(await _client.IntrospectOkAsync(tokens.AccessToken));
        Assert.True((await _client.IntrospectOkAsync(tokens.RefreshToken!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Introspect_RotatedRefreshToken_IsInactive()
    {
        var tokens = await _client.GrantAsync();
        await _client.RefreshOkAsync(tokens.RefreshToken!);

        AssertInactive(await _client.IntrospectOkAsync(tokens.RefreshToken!));
    }

    [Fact]
    public async Task Revoke_RefreshToken_StopsItAtOnce()
    {
        var tokens = await _client.GrantAsync();

        using var response = await _client.RevokeAsync(tokens.RefreshToken!, hint: "refresh_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var refresh = await _client.RefreshAsync(tokens.RefreshToken!);
        await ProtocolClient.AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
        AssertInactive(await _client.IntrospectOkAsync(tokens.RefreshToken!));
    }

    [Fact]
    public async Task Revoke_AccessToken_IntrospectionAndUserInfoTreatItsJtiAsInactive()
    {
        var tokens = await _client.GrantAsync();
        Assert.Equal(HttpStatusCode.OK, await _client.UserInfoStatusAsync(tokens.AccessToken));

        using var response = await _client.RevokeAsync(tokens.AccessToken, hint: "access_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertInactive(await _client.IntrospectOkAsync(tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await _client.UserInfoStatusAsync(tokens.AccessToken));
        using var again = await _client.RevokeAsync(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // The refresh token of the grant is another token: it still works.
        await _client.RefreshOkAsync(tokens.RefreshToken!);
    }

    [Fact]
    public async Task Revoke_AnotherClientsTokens_Answers200AndChangesNothing()
    {
        var tokens = await _client.GrantAsync();

        using var access = await _client.RevokeAsync(tokens.AccessToken, "demo-kiosk");
        using var refresh = await _client.RevokeAsync(tokens.RefreshToken!, "demo-kiosk");

        Assert.Equal(HttpStatusCode.OK, access.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.True((await _client.IntrospectOkAsync(tokens.AccessToken)).GetProperty("active").GetBoolean());
        await _client.RefreshOkAsync(tokens.RefreshToken!);
    }

    [Fact]
    public async Task Revoke_UnknownToken_Answers200()
    {
        using var response = await _client.RevokeAsync("never-issued");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(TokenLifecycleClient.RevokePath)]
    [InlineData(TokenLifecycleClient.IntrospectPath)]
    public async Task Endpoints_WithoutToken_AreInvalidRequest(string path)
    {
        using var response = await _client.Protocol.PostFormAsync(path, new Dictionary<string, string> { ["token_type_hint"] = "access_token" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData(TokenLifecycleClient.RevokePath)]
    [InlineData(TokenLifecycleClient.IntrospectPath)]
    public async Task Endpoints_WithoutClientAuthentication_AreInvalidClient(string path)
    {
        using var anonymous = await _client.Protocol.PostFormAsync(path, new Dictionary<string, string> { ["token"] = "x" }, clientId: null);
        using var wrong = await _client.Protocol.PostFormAsync(path, new Dictionary<string, string> { ["token"] = "x" }, "demo-tv", "wrong");

        await ProtocolClient.AssertOAuthErrorAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_client");
        await ProtocolClient.AssertOAuthErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", wrong.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Discovery_ListsRevocationAndIntrospectionWithTheirAuthMethods()
    {
        using var response = await _client.Protocol.Http.GetAsync("/t/demo/oauth2/token/.well-known/openid-configuration");
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var root = json.RootElement;

        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/revoke", root.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/introspect", root.GetProperty("introspection_endpoint").GetString());
        string[] methods = ["client_secret_basic", "client_secret_post", "private_key_jwt"];
        Assert.Equal(methods, root.GetProperty("revocation_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(methods, root.GetProperty("introspection_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("refresh_token", root.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    private static void AssertInactive(JsonElement answer)
    {
        Assert.False(answer.GetProperty("active").GetBoolean());
        Assert.Single(answer.EnumerateObject());
    }

    public void Dispose() => _client.Dispose();
}
