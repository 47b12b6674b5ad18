using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Ciba.Web.Tests.Protocol;

/// <summary>product.md §7 discovery, the JWKS and the UserInfo endpoint.</summary>
public sealed class DiscoveryAndUserInfoTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private const string Issuer = CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token";
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Discovery_HasEveryRequiredField()
    {
        using var response = await _client.Http.GetAsync("/t/demo/oauth2/token/.well-known/openid-configuration");

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var root = json.RootElement;
        Assert.Equal(Issuer, root.GetProperty("issuer").GetString());
        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/ciba", root.GetProperty("backchannel_authentication_endpoint").GetString());
        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/jwks", root.GetProperty("jwks_uri").GetString());
        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/userinfo", root.GetProperty("userinfo_endpoint").GetString());
        Assert.Contains("urn:openid:params:grant-type:ciba", Strings(root, "grant_types_supported"));
        Assert.Equal(["poll", "ping", "push"], Strings(root, "backchannel_token_delivery_modes_supported"));
        Assert.True(root.GetProperty("backchannel_user_code_parameter_supported").GetBoolean());
        Assert.Equal(["openid", "profile", "email", "phone", "offline_access", "photos.read", "photos.write"], Strings(root, "scopes_supported"));
        Assert.Contains("sub", Strings(root, "claims_supported"));
        Assert.Equal(JsonValueKind.Array, root.GetProperty("response_types_supported").ValueKind);
        Assert.Equal(["public"], Strings(root, "subject_types_supported"));
        Assert.Equal(["RS256", "PS256", "ES256"], Strings(root, "id_token_signing_alg_values_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt"], Strings(root, "token_endpoint_auth_methods_supported"));
    }

    [Fact]
    public async Task Discovery_UnknownOrganization_IsNotFound()
    {
        using var response = await _client.Http.GetAsync("/t/nope/oauth2/token/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Jwks_PublishesTheSigningKeyOfIssuedTokens()
    {
        using var response = await _client.Http.GetAsync("/t/demo/oauth2/jwks");

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var key = json.RootElement.GetProperty("keys").EnumerateArray().First(k => k.GetProperty("alg").GetString() == "RS256");
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.Equal(256, System.Buffers.Text.Base64Url.DecodeFromChars(key.GetProperty("n").GetString()).Length);
        Assert.Equal("AQAB", key.GetProperty("e").GetString());
    }

    [Fact]
    public async Task UserInfo_WithAccessToken_ReturnsClaimsOfGrantedScopes()
    {
        var accessToken = await AccessTokenAsync("openid profile email phone");

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            using var request = new HttpRequestMessage(method, "/t/demo/oauth2/userinfo");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await _client.Http.SendAsync(request);

            await ProtocolClient.AssertOkAsync(response);
            using var json = await ProtocolClient.ReadJsonAsync(response);
            var root = json.RootElement;
            Assert.Equal((await _client.UserIdAsync("alice")).ToString(), root.GetProperty("sub").GetString());
            Assert.Equal("Alice Example", root.GetProperty("name").GetString());
            Assert.Equal("alice", root.GetProperty("preferred_username").GetString());
            Assert.Equal("alice@demo.test", root.GetProperty("email").GetString());
            Assert.True(root.GetProperty("email_verified").GetBoolean());
            Assert.Equal("+15550100001", root.GetProperty("phone_number").GetString());
        }
    }

    [Fact]
    public async Task UserInfo_OpenidOnly_ReturnsOnlySub()
    {
        var accessToken = await AccessTokenAsync("openid");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/t/demo/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        using var response = await _client.Http.SendAsync(request);

        using var json = await ProtocolClient.ReadJsonAsync(response);
        Assert.Equal(["sub"], json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task UserInfo_MissingOrBadToken_Is401InvalidToken(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/t/demo/oauth2/userinfo");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);

        // RFC 6750 §3.1: no error code in the challenge when the request carried no token at all.
        Assert.Equal(token is not null, challenge.Parameter?.Contains("error=\"invalid_token\"", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task UserInfo_ExpiredToken_Is401InvalidToken()
    {
        var accessToken = await AccessTokenAsync("openid");
        factory.Time.Advance(TimeSpan.FromHours(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/t/demo/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task UserInfo_IdTokenInsteadOfAccessToken_Is401InvalidToken()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        using var tokenResponse = await _client.PollAsync(authReqId);
        using var tokens = await ProtocolClient.ReadJsonAsync(tokenResponse);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/t/demo/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.RootElement.GetProperty("id_token").GetString());

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Backchannel_IdTokenHintFromAnEarlierGrant_FindsTheUser()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        using var tokenResponse = await _client.PollAsync(authReqId);
        using var tokens = await ProtocolClient.ReadJsonAsync(tokenResponse);

        using var response = await _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["id_token_hint"] = tokens.RootElement.GetProperty("id_token").GetString()!,
            ["notification_channel"] = "external",
        });
        using var otherClient = await _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["id_token_hint"] = tokens.RootElement.GetProperty("id_token").GetString()!,
        }, "demo-kiosk");

        await ProtocolClient.AssertOkAsync(response);
        // product.md §12: a hint issued to another client (wrong audience) is invalid_request.
        await ProtocolClient.AssertOAuthErrorAsync(otherClient, HttpStatusCode.BadRequest, "invalid_request");
    }

    public void Dispose() => _client.Dispose();

    private static List<string?> Strings(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetString()).ToList();

    private async Task<string> AccessTokenAsync(string scope)
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync(adjust: form => form["scope"] = scope);
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        using var response = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
