using System.Net;
using System.Net.Http.Headers;

namespace Ciba.Web.Tests.Protocol;

/// <summary>
/// Issue 9 item 12: <c>invalid_client</c> carries <c>WWW-Authenticate: Basic</c> whenever the client
/// tried the Authorization header or sent no credentials (RFC 6749 §5.2, RFC 7235 §3.1); a UserInfo
/// request without any token gets a bare Bearer challenge (RFC 6750 §3.1).
/// </summary>
public sealed class ChallengeTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    public static TheoryData<string, string?> HeaderAttempts => new()
    {
        { ProtocolClient.BackchannelPath, null },
        { ProtocolClient.TokenPath, null },
        { ProtocolClient.BackchannelPath, "Bearer abc.def.ghi" },
        { ProtocolClient.TokenPath, "Bearer abc.def.ghi" },
        { ProtocolClient.BackchannelPath, "Digest username=\"demo-tv\", realm=\"ciba\", nonce=\"1\", uri=\"/\", response=\"0\"" },
        { ProtocolClient.TokenPath, "Digest username=\"demo-tv\", realm=\"ciba\", nonce=\"1\", uri=\"/\", response=\"0\"" },
        { ProtocolClient.BackchannelPath, "Basic" },
        { ProtocolClient.TokenPath, "Basic !!!" },
        { ProtocolClient.BackchannelPath, "Basic ZGVtby10dg" },
        { ProtocolClient.TokenPath, "Negotiate abc" },
        { ProtocolClient.BackchannelPath, "basicdemo" },
    };

    [Theory]
    [MemberData(nameof(HeaderAttempts))]
    public async Task InvalidClient_NoCredentialsOrAnotherSchemeOrMalformedBasic_Has401AndBasicChallenge(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(FormFor(path)) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Equal("realm=\"ciba\"", challenge.Parameter);
    }

    [Theory]
    [InlineData(ProtocolClient.BackchannelPath)]
    [InlineData(ProtocolClient.TokenPath)]
    public async Task InvalidClient_PostedSecretWithABearerHeader_HasBasicChallenge(string path)
    {
        var form = FormFor(path);
        form["client_id"] = "demo-tv";
        form["client_secret"] = "wrong";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "token");

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task UserInfo_WithoutAnyToken_HasABareBearerChallenge(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/t/demo/oauth2/userinfo");

        using var response = await _client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.DoesNotContain("error", challenge.Parameter ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInfo_WithABadToken_HasTheInvalidTokenChallenge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/t/demo/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-jwt");

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
    }

    public void Dispose() => _client.Dispose();

    private static Dictionary<string, string> FormFor(string path) => path == ProtocolClient.TokenPath
        ? new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant, ["auth_req_id"] = "unknown" }
        : ProtocolClient.SeedRequest();
}
