using System.Net;
using Ciba.Domain.Applications;

namespace Ciba.Web.Tests.Protocol.Fapi;

/// <summary>
/// product.md §10 private_key_jwt (RFC 7523, CIBA Core §7.1) over HTTP against PostgreSQL. At the
/// token endpoint an unknown auth_req_id is answered invalid_grant only after the client is
/// authenticated, so invalid_grant means "authenticated" and 401 invalid_client means "refused".
/// </summary>
public sealed class PrivateKeyJwtTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    [Theory]
    [InlineData("PS256")]
    [InlineData("ES256")]
    public async Task Token_DemoBankAssertionSignedWithItsKey_Authenticates(string alg)
    {
        var assertion = ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now), ClientJwts.For(alg));

        using var response = await PollAsync(ClientJwts.AssertionForm(assertion));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Token_Rs256AssertionOfAClientWithAnRsaKey_Authenticates()
    {
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.PrivateKeyJwt, ClientJwts.RsaTestJwks());
        var assertion = ClientJwts.Sign(ClientJwts.AssertionClaims(clientId, Now), ClientJwts.Rs256);

        using var response = await PollAsync(ClientJwts.AssertionForm(assertion));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    /// <summary>
    /// CIBA Core §7.1: the issuer, the token endpoint and the backchannel endpoint are all valid
    /// audiences (Ciba's issuer is its token endpoint URL, so one value covers both).
    /// </summary>
    [Theory]
    [InlineData(ClientJwts.Issuer)]
    [InlineData(ClientJwts.BackchannelEndpoint)]
    public async Task Token_EachAcceptedAudience_Authenticates(string aud)
    {
        var assertion = ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now, aud), ClientJwts.DemoBankEs256);

        using var response = await PollAsync(ClientJwts.AssertionForm(assertion));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData(ClientJwts.BackchannelEndpoint)]
    [InlineData(ClientJwts.Issuer)]
    public async Task Backchannel_AssertionForEitherAudience_Authenticates(string aud)
    {
        var assertion = ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now, aud), ClientJwts.DemoBankPs256);
        var form = ClientJwts.AssertionForm(assertion);
        form["request"] = ClientJwts.Sign(ClientJwts.RequestClaims(ClientJwts.DemoBank, Now), ClientJwts.DemoBankEs256);

        using var response = await _client.BackchannelAsync(form, clientId: null);

        await ProtocolClient.AssertOkAsync(response);
    }

    [Theory]
    [InlineData("https://ciba.test/t/other/oauth2/token")]
    [InlineData("https://ciba.test/t/demo/oauth2/userinfo")]
    [InlineData("demo-bank")]
    public async Task Token_OtherAudience_IsInvalidClient(string aud)
    {
        var assertion = ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now, aud), ClientJwts.DemoBankEs256);

        await AssertRefusedAsync(ClientJwts.AssertionForm(assertion));
    }

    [Fact]
    public async Task Token_AlgNone_IsInvalidClient()
    {
        await AssertRefusedAsync(ClientJwts.AssertionForm(ClientJwts.AlgNone(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now))));
    }

    [Fact]
    public async Task Token_Hs256WithTheClientSecret_IsInvalidClient()
    {
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.PrivateKeyJwt, ClientJwts.DemoPublicJwks(), secret: "a-secret-an-attacker-knows");

        await AssertRefusedAsync(ClientJwts.AssertionForm(ClientJwts.Hs256(ClientJwts.AssertionClaims(clientId, Now), "a-secret-an-attacker-knows")));
    }

    [Fact]
    public async Task Token_SignedWithAnotherKeyUnderTheClientsKid_IsInvalidClient()
    {
        var assertion = ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now), ClientJwts.WrongKeyWithDemoKid);

        await AssertRefusedAsync(ClientJwts.AssertionForm(assertion));
    }

    [Fact]
    public async Task Token_Rs256WithAKeyRegisteredForPs256_IsInvalidClient()
    {
        // demo-bank's RSA key says alg PS256: an RS256 signature by the very same key does not fit it.
        var claims = ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now);
        var assertion = ClientJwts.Sign(claims, new Microsoft.IdentityModel.Tokens.SigningCredentials(ClientJwts.DemoBankPs256.Key, "RS256"));

        await AssertRefusedAsync(ClientJwts.AssertionForm(assertion));
    }

    [Fact]
    public async Task Token_ExpiredAssertion_IsInvalidClient()
    {
        var claims = ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now.AddMinutes(-10));

        await AssertRefusedAsync(ClientJwts.AssertionForm(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256)));
    }

    [Fact]
    public async Task Token_ExpiryMoreThanFiveMinutesAhead_IsInvalidClient()
    {
        var claims = ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now);
        claims["exp"] = Now.AddMinutes(10).ToUnixTimeSeconds();

        await AssertRefusedAsync(ClientJwts.AssertionForm(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256)));
    }

    [Theory]
    [InlineData("iat")]
    [InlineData("nbf")]
    public async Task Token_IssuedOrValidOnlyBeyondTheSkew_IsInvalidClient(string claim)
    {
        var claims = ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now);
        claims[claim] = Now.AddSeconds(90).ToUnixTimeSeconds();

        await AssertRefusedAsync(ClientJwts.AssertionForm(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256)));
    }

    [Fact]
    public async Task Token_IatWithinTheSkew_Authenticates()
    {
        var claims = ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now);
        claims["iat"] = Now.AddSeconds(30).ToUnixTimeSeconds();

        using var response = await PollAsync(ClientJwts.AssertionForm(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256)));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("iss")]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("jti")]
    public async Task Token_MissingClaim_IsInvalidClient(string claim)
    {
        var claims = ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now);
        claims.Remove(claim);
        var form = ClientJwts.AssertionForm(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));
        form["client_id"] = ClientJwts.DemoBank;

        await AssertRefusedAsync(form);
    }

    [Fact]
    public async Task Token_ReplayedJti_IsInvalidClient()
    {
        var assertion = ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now), ClientJwts.DemoBankEs256);
        using var first = await PollAsync(ClientJwts.AssertionForm(assertion));
        await ProtocolClient.AssertOAuthErrorAsync(first, HttpStatusCode.BadRequest, "invalid_grant");

        using var again = await PollAsync(ClientJwts.AssertionForm(assertion), path: ProtocolClient.BackchannelPath);

        await ProtocolClient.AssertOAuthErrorAsync(again, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Token_ClientIdThatIsNotTheAssertionsIssuer_IsInvalidClient()
    {
        var form = ClientJwts.AssertionForm(ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now), ClientJwts.DemoBankEs256));
        form["client_id"] = "demo-tv";

        await AssertRefusedAsync(form);
    }

    [Fact]
    public async Task Token_WrongAssertionType_IsInvalidClient()
    {
        var form = ClientJwts.AssertionForm(ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now), ClientJwts.DemoBankEs256));
        form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer";

        // No method Ciba knows was used: the 401 carries the Basic challenge, as with no credentials.
        using var response = await PollAsync(form);
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Token_AssertionAndClientSecretTogether_IsInvalidRequest()
    {
        var form = ClientJwts.AssertionForm(ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now), ClientJwts.DemoBankEs256));
        form["client_secret"] = "x";

        using var response = await PollAsync(form);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    /// <summary>product.md §10: a client registered for one method that uses another gets 401 invalid_client.</summary>
    [Fact]
    public async Task MethodMismatch_PrivateKeyJwtClientWithASecret_IsInvalidClient()
    {
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.PrivateKeyJwt, ClientJwts.DemoPublicJwks(), secret: "known-secret");

        using var basic = await _client.PostFormAsync(ProtocolClient.TokenPath, PollForm(), clientId, "known-secret");
        await ProtocolClient.AssertOAuthErrorAsync(basic, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", Assert.Single(basic.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task MethodMismatch_SecretClientWithAnAssertion_IsInvalidClient()
    {
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic, ClientJwts.DemoPublicJwks());

        await AssertRefusedAsync(ClientJwts.AssertionForm(ClientJwts.Sign(ClientJwts.AssertionClaims(clientId, Now), ClientJwts.DemoBankEs256)));
    }

    [Fact]
    public async Task MethodMismatch_BasicClientUsingPostAndPostClientUsingBasic_AreInvalidClient()
    {
        var basicClient = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic);
        var postClient = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretPost);

        var form = PollForm();
        form["client_id"] = basicClient;
        form["client_secret"] = basicClient + "-secret";
        using var post = await _client.PostFormAsync(ProtocolClient.TokenPath, form, clientId: null);
        using var basic = await _client.PostFormAsync(ProtocolClient.TokenPath, PollForm(), postClient);
        using var basicOk = await _client.PostFormAsync(ProtocolClient.TokenPath, PollForm(), basicClient);

        await ProtocolClient.AssertOAuthErrorAsync(post, HttpStatusCode.Unauthorized, "invalid_client");
        await ProtocolClient.AssertOAuthErrorAsync(basic, HttpStatusCode.Unauthorized, "invalid_client");
        await ProtocolClient.AssertOAuthErrorAsync(basicOk, HttpStatusCode.BadRequest, "invalid_grant");
    }

    /// <summary>The whole poll flow with private_key_jwt at both endpoints and a signed request.</summary>
    [Fact]
    public async Task DemoBank_SignedRequestApprovedAndPolled_GetsTokens()
    {
        var form = ClientJwts.AssertionForm(ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now, ClientJwts.BackchannelEndpoint), ClientJwts.DemoBankPs256));
        form["request"] = ClientJwts.Sign(ClientJwts.RequestClaims(ClientJwts.DemoBank, Now), ClientJwts.DemoBankPs256, typ: "oauth-authz-req+jwt");
        using var ack = await _client.BackchannelAsync(form, clientId: null);
        await ProtocolClient.AssertOkAsync(ack);
        using var json = await ProtocolClient.ReadJsonAsync(ack);
        var authReqId = json.RootElement.GetProperty("auth_req_id").GetString()!;
        var authUrl = new Uri(json.RootElement.GetProperty("auth_url").GetString()!);
        Assert.True((await _client.ApproveAsync(Uri.UnescapeDataString(authUrl.Query["?authCodeKey=".Length..]))).IsSuccess);

        var poll = ClientJwts.AssertionForm(ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now), ClientJwts.DemoBankEs256));
        poll["grant_type"] = ProtocolClient.CibaGrant;
        poll["auth_req_id"] = authReqId;
        using var tokens = await _client.PostFormAsync(ProtocolClient.TokenPath, poll, clientId: null);

        await ProtocolClient.AssertOkAsync(tokens);
        using var body = await ProtocolClient.ReadJsonAsync(tokens);
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("id_token").GetString()));
    }

    public void Dispose() => _client.Dispose();

    private static Dictionary<string, string> PollForm() => new() { ["grant_type"] = ProtocolClient.CibaGrant, ["auth_req_id"] = "unknown-auth-req-id" };

    private Task<HttpResponseMessage> PollAsync(Dictionary<string, string> form, string path = ProtocolClient.TokenPath)
    {
        foreach (var (name, value) in PollForm())
        {
            form.TryAdd(name, value);
        }

        return _client.PostFormAsync(path, form, clientId: null);
    }

    private async Task AssertRefusedAsync(Dictionary<string, string> form)
    {
        using var response = await PollAsync(form);
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");

        // A body-based method sent no Authorization header: no Basic challenge.
        Assert.Empty(response.Headers.WwwAuthenticate);
    }
}
