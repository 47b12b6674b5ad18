using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Ciba.Web.Tests.Protocol;

/// <summary>product.md §3: client_secret_basic and client_secret_post at both endpoints; failures are 401 invalid_client.</summary>
public sealed class ClientAuthenticationTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    public static TheoryData<string> Endpoints => new() { ProtocolClient.BackchannelPath, ProtocolClient.TokenPath };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ClientAuth_WrongSecretWithBasic_Is401WithBasicChallenge(string path)
    {
        using var response = await _client.PostFormAsync(path, FormFor(path), "demo-tv", "wrong-secret");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ClientAuth_UnknownClientWithBasic_Is401WithBasicChallenge(string path)
    {
        using var response = await _client.PostFormAsync(path, FormFor(path), "no-such-client", "secret");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ClientAuth_WrongSecretWithPost_Is401WithoutBasicChallenge(string path)
    {
        var form = FormFor(path);
        form["client_id"] = "demo-tv";
        form["client_secret"] = "wrong-secret";

        using var response = await _client.PostFormAsync(path, form, clientId: null);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ClientAuth_NoCredentials_Is401InvalidClient(string path)
    {
        using var response = await _client.PostFormAsync(path, FormFor(path), clientId: null);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ClientAuth_ClientIdWithoutSecret_Is401InvalidClient(string path)
    {
        var form = FormFor(path);
        form["client_id"] = "demo-tv";

        using var response = await _client.PostFormAsync(path, form, clientId: null);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ClientAuth_BasicAndPostTogether_IsInvalidRequest(string path)
    {
        var form = FormFor(path);
        form["client_id"] = "demo-tv";
        form["client_secret"] = "demo-tv-secret";

        using var response = await _client.PostFormAsync(path, form, "demo-tv");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("ZGVtby10dg==")]
    [InlineData("")]
    public async Task ClientAuth_MalformedBasic_Is401WithBasicChallenge(string parameter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ProtocolClient.BackchannelPath)
        {
            Content = new FormUrlEncodedContent(ProtocolClient.SeedRequest()),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + parameter);

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task ClientAuth_BasicWithFormEncodedCredentials_Succeeds()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ProtocolClient.BackchannelPath)
        {
            Content = new FormUrlEncodedContent(ProtocolClient.SeedRequest()),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo%2Dtv:demo-tv-secret")));

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task ClientAuth_ClientOfAnotherOrganizationPath_IsNotFound()
    {
        using var response = await _client.PostFormAsync("/t/other-org/oauth2/ciba", ProtocolClient.SeedRequest());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public void Dispose() => _client.Dispose();

    private static Dictionary<string, string> FormFor(string path) => path == ProtocolClient.TokenPath
        ? new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant, ["auth_req_id"] = "unknown" }
        : ProtocolClient.SeedRequest();
}
