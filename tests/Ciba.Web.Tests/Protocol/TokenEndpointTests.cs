using System.Net;
using System.Text;
using System.Text.Json;
using Ciba.Application.Common.Security;
using Ciba.Domain.Backchannel;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protocol;

/// <summary>product.md §6: the CIBA grant at the token endpoint, in the order of its checks.</summary>
public sealed class TokenEndpointTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Token_MissingAuthReqId_IsInvalidRequest()
    {
        using var response = await _client.PostFormAsync(ProtocolClient.TokenPath, new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_MissingGrantType_IsInvalidRequest()
    {
        using var response = await _client.PostFormAsync(ProtocolClient.TokenPath, new Dictionary<string, string> { ["auth_req_id"] = "x" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("authorization_code")]
    [InlineData("client_credentials")]
    [InlineData("password")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    public async Task Token_OtherGrantType_IsUnsupportedGrantType(string grantType)
    {
        using var response = await _client.PostFormAsync(ProtocolClient.TokenPath, new Dictionary<string, string> { ["grant_type"] = grantType, ["code"] = "x" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task Token_ClientWithoutCiba_IsUnauthorizedClient()
    {
        using var response = await _client.PollAsync("anything", "demo-web");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task Token_UnknownAuthReqId_IsInvalidGrant()
    {
        using var response = await _client.PollAsync(RandomTokens.Create());

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_FirstPollRightAfterAck_IsAuthorizationPending()
    {
        var (authReqId, _) = await _client.StartExternalAsync();

        using var response = await _client.PollAsync(authReqId);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "authorization_pending");
    }

    [Fact]
    public async Task Token_PollSoonerThanInterval_IsSlowDownAndIntervalGrowsByFive()
    {
        var (authReqId, _) = await _client.StartExternalAsync();
        using (await _client.PollAsync(authReqId))
        {
        }

        factory.Time.Advance(TimeSpan.FromSeconds(1));
        using var tooSoon = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOAuthErrorAsync(tooSoon, HttpStatusCode.BadRequest, "slow_down");
        Assert.Equal(7, (await StoredAsync(authReqId)).IntervalSeconds);

        factory.Time.Advance(TimeSpan.FromSeconds(5));
        using var stillTooSoon = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOAuthErrorAsync(stillTooSoon, HttpStatusCode.BadRequest, "slow_down");
        Assert.Equal(12, (await StoredAsync(authReqId)).IntervalSeconds);

        factory.Time.Advance(TimeSpan.FromSeconds(12));
        using var patient = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOAuthErrorAsync(patient, HttpStatusCode.BadRequest, "authorization_pending");
    }

    [Fact]
    public async Task Token_AfterExpiry_IsExpiredToken()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync(adjust: form => form["requested_expiry"] = "10");
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);

        factory.Time.Advance(TimeSpan.FromSeconds(10));
        using var response = await _client.PollAsync(authReqId);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "expired_token");
    }

    [Fact]
    public async Task Token_Denied_IsAccessDenied400()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.DenyAsync(linkKey)).IsSuccess);

        using var response = await _client.PollAsync(authReqId);

        // CIBA Core §11: token endpoint errors are 400 (403 is the backchannel endpoint's access_denied).
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "access_denied");
    }

    [Fact]
    public async Task Token_AnotherClientsAuthReqId_IsInvalidGrantAndLeavesTheRequestAlone()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync("demo-kiosk");
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        var before = await StoredAsync(authReqId);

        using var stolen = await _client.PollAsync(authReqId, "demo-tv");

        await ProtocolClient.AssertOAuthErrorAsync(stolen, HttpStatusCode.BadRequest, "invalid_grant");
        var after = await StoredAsync(authReqId);
        Assert.Equal(before.LastPolledAt, after.LastPolledAt);
        Assert.Equal(BackchannelRequestStatus.Approved, after.Status);
        using var rightful = await _client.PollAsync(authReqId, "demo-kiosk");
        await ProtocolClient.AssertOkAsync(rightful);
    }

    [Fact]
    public async Task Token_WrongSecretWithTheClientsOwnApprovedAuthReqId_IsInvalidClientAndLeavesTheRequestAlone()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync("demo-kiosk");
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        var form = new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant, ["auth_req_id"] = authReqId };

        using var response = await _client.PostFormAsync(ProtocolClient.TokenPath, form, "demo-kiosk", "wrong-secret");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        var after = await StoredAsync(authReqId);
        Assert.Null(after.LastPolledAt);
        Assert.Equal(BackchannelRequestStatus.Approved, after.Status);
    }

    [Fact]
    public async Task Token_ClientWithoutCibaAndNoAuthReqId_IsUnauthorizedClientFirst()
    {
        using var response = await _client.PostFormAsync(ProtocolClient.TokenPath, new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant }, "demo-web");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task Token_Approved_IssuesTokensOnceThenInvalidGrant()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        using (var pending = await _client.PollAsync(authReqId))
        {
            await ProtocolClient.AssertOAuthErrorAsync(pending, HttpStatusCode.BadRequest, "authorization_pending");
        }

        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        factory.Time.Advance(TimeSpan.FromSeconds(2));
        using var response = await _client.PollAsync(authReqId);

        await ProtocolClient.AssertOkAsync(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var root = json.RootElement;
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(3600, root.GetProperty("expires_in").GetInt32());
        Assert.Equal("openid profile email phone", root.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("access_token").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("id_token").GetString()));

        factory.Time.Advance(TimeSpan.FromSeconds(30));
        using var reuse = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOAuthErrorAsync(reuse, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_IdAndAccessTokens_CarryTheSpecifiedHeadersAndClaims()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        var aliceId = await _client.UserIdAsync("alice");
        var now = factory.Time.GetUtcNow().ToUnixTimeSeconds();

        using var response = await _client.PollAsync(authReqId);
        using var json = await ProtocolClient.ReadJsonAsync(response);

        var (idHeader, idClaims) = Decode(json.RootElement.GetProperty("id_token").GetString()!);
        Assert.Equal("RS256", idHeader.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(idHeader.GetProperty("kid").GetString()));
        Assert.Equal($"{CibaWebFactory.PublicOrigin}/t/demo/oauth2/token", idClaims.GetProperty("iss").GetString());
        Assert.Equal(aliceId.ToString(), idClaims.GetProperty("sub").GetString());
        Assert.Equal("demo-tv", idClaims.GetProperty("aud").GetString());
        Assert.Equal(now, idClaims.GetProperty("iat").GetInt64());
        Assert.True(idClaims.GetProperty("exp").GetInt64() > now);
        Assert.Equal(now, idClaims.GetProperty("auth_time").GetInt64());
        Assert.Equal(["pwd"], idClaims.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
        Assert.False(idClaims.TryGetProperty("nonce", out _));
        Assert.False(idClaims.TryGetProperty("c_hash", out _));
        Assert.False(idClaims.TryGetProperty("s_hash", out _));

        // RFC 9068 §2.1, §2.2
        var (atHeader, atClaims) = Decode(json.RootElement.GetProperty("access_token").GetString()!);
        Assert.Equal("at+jwt", atHeader.GetProperty("typ").GetString());
        Assert.Equal(idHeader.GetProperty("kid").GetString(), atHeader.GetProperty("kid").GetString());
        Assert.Equal($"{CibaWebFactory.PublicOrigin}/t/demo/oauth2/token", atClaims.GetProperty("iss").GetString());
        Assert.Equal(aliceId.ToString(), atClaims.GetProperty("sub").GetString());
        Assert.Equal("demo-tv", atClaims.GetProperty("client_id").GetString());
        Assert.Equal("openid profile email phone", atClaims.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(atClaims.GetProperty("aud").GetString()));
        Assert.False(string.IsNullOrEmpty(atClaims.GetProperty("jti").GetString()));
        Assert.Equal(now + 3600, atClaims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Token_TwoPollsRacingOnApprovedRequest_IssueTokensExactlyOnce()
    {
        for (var round = 0; round < 5; round++)
        {
            var (authReqId, linkKey) = await _client.StartExternalAsync();
            Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
            using var start = new Barrier(2);

            var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                using var response = await _client.PollAsync(authReqId);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            })));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.BadRequest, loser.StatusCode);
            using var error = JsonDocument.Parse(loser.Body);
            Assert.Equal("invalid_grant", error.RootElement.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Token_ClientSecretPost_Works()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);

        using var response = await _client.PostFormAsync(
            ProtocolClient.TokenPath,
            new Dictionary<string, string>
            {
                ["grant_type"] = ProtocolClient.CibaGrant,
                ["auth_req_id"] = authReqId,
                ["client_id"] = "demo-tv",
                ["client_secret"] = "demo-tv-secret",
            },
            clientId: null);

        await ProtocolClient.AssertOkAsync(response);
    }

    public void Dispose() => _client.Dispose();

    private static (JsonElement Header, JsonElement Claims) Decode(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        return (Part(parts[0]), Part(parts[1]));

        static JsonElement Part(string part) => JsonDocument.Parse(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(part))).RootElement.Clone();
    }

    private async Task<BackchannelAuthenticationRequest> StoredAsync(string authReqId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var hash = SecretHashing.HashToken(authReqId);
        return await db.BackchannelRequests.AsNoTracking().SingleAsync(r => r.AuthReqIdHash == hash);
    }
}
