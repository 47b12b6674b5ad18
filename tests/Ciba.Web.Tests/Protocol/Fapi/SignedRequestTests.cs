using System.Net;
using Ciba.Domain.Applications;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Protocol.Fapi;

/// <summary>
/// product.md §10 signed authentication requests (CIBA Core §7.1.1, FAPI-CIBA) over HTTP against
/// PostgreSQL: demo-bank (private_key_jwt, signed requests required) and clients made here.
/// Every failure of a signed request is 400 invalid_request.
/// </summary>
public sealed class SignedRequestTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    private DateTimeOffset Now => factory.Time.GetUtcNow();

    [Theory]
    [InlineData("PS256")]
    [InlineData("ES256")]
    public async Task Signed_ByDemoBankKey_IsAccepted(string alg)
    {
        using var response = await SendAsync(ClientJwts.Sign(Claims(), ClientJwts.For(alg)));

        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task Signed_Rs256ByAClientsRsaKey_IsAccepted()
    {
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic, ClientJwts.RsaTestJwks());
        var form = new Dictionary<string, string> { ["request"] = ClientJwts.Sign(ClientJwts.RequestClaims(clientId, Now), ClientJwts.Rs256) };

        using var response = await _client.BackchannelAsync(form, clientId);

        await ProtocolClient.AssertOkAsync(response);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("oauth-authz-req+jwt")]
    [InlineData("OautH-auThZ-REQ+jWt")]
    [InlineData("jwt")]
    public async Task Signed_AcceptedTyp_IsAccepted(string typ)
    {
        using var response = await SendAsync(ClientJwts.Sign(Claims(), ClientJwts.DemoBankEs256, typ));

        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task Signed_WithoutTyp_IsAccepted()
    {
        using var response = await SendAsync(ClientJwts.Es256WithoutTyp(Claims()));

        await ProtocolClient.AssertOkAsync(response);
    }

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("JOSE")]
    public async Task Signed_OtherTyp_IsInvalidRequest(string typ)
    {
        await AssertInvalidRequestAsync(ClientJwts.Sign(Claims(), ClientJwts.DemoBankEs256, typ));
    }

    /// <summary>CIBA Core §7.1.1: requested_expiry may be a JSON string or a JSON number.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Signed_RequestedExpiryAsStringOrNumber_IsHonoured(bool asString)
    {
        var claims = Claims();
        claims["requested_expiry"] = asString ? "30" : 30;

        using var response = await SendAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        Assert.Equal(30, json.RootElement.GetProperty("expires_in").GetInt32());
    }

    /// <summary>
    /// demo-bank pings (product.md §18): its client_notification_token is a request parameter, so it
    /// comes from the signed request; without it the request is invalid, and beside the JWT in the form
    /// it is a parameter outside the signed request.
    /// </summary>
    [Fact]
    public async Task Signed_PingClient_TakesClientNotificationTokenFromTheJwtOnly()
    {
        var withoutToken = Claims();
        withoutToken.Remove("client_notification_token");
        await AssertInvalidRequestAsync(ClientJwts.Sign(withoutToken, ClientJwts.DemoBankEs256));

        var form = AuthenticatedForm(ClientJwts.Sign(withoutToken, ClientJwts.DemoBankEs256));
        form["client_notification_token"] = "in-the-form";
        using (var outside = await _client.BackchannelAsync(form, clientId: null))
        {
            await ProtocolClient.AssertOAuthErrorAsync(outside, HttpStatusCode.BadRequest, "invalid_request");
        }

        using var signed = await SendAsync(ClientJwts.Sign(Claims(), ClientJwts.DemoBankEs256));
        await ProtocolClient.AssertOkAsync(signed);
    }

    /// <summary>The bug of issue 11: an unsigned request for bob with a form login_hint for alice was issued for alice.</summary>
    [Fact]
    public async Task Unsigned_AlgNoneForBobWithFormLoginHintAlice_IsRefused()
    {
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic, ClientJwts.DemoPublicJwks());
        var form = new Dictionary<string, string>
        {
            ["request"] = ClientJwts.AlgNone(ClientJwts.RequestClaims(clientId, Now, loginHint: "bob")),
            ["login_hint"] = "alice",
        };

        using var response = await _client.BackchannelAsync(form, clientId);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        var application = await Console.ConsoleDatabase.ApplicationAsync(factory, clientId);
        Assert.Equal(0, await RequestCountAsync(application.Id));
    }

    [Fact]
    public async Task Unsigned_AlgNoneAlone_IsInvalidRequest()
    {
        await AssertInvalidRequestAsync(ClientJwts.AlgNone(Claims()));
    }

    [Fact]
    public async Task Signed_Hs256WithTheClientSecret_IsInvalidRequest()
    {
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic, ClientJwts.DemoPublicJwks());
        var form = new Dictionary<string, string> { ["request"] = ClientJwts.Hs256(ClientJwts.RequestClaims(clientId, Now), clientId + "-secret") };

        using var response = await _client.BackchannelAsync(form, clientId);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Encrypted_JweRequest_IsInvalidRequest()
    {
        await AssertInvalidRequestAsync(ClientJwts.JweShaped());
    }

    [Fact]
    public async Task Signed_WithAnotherKeyUnderTheClientsKid_IsInvalidRequest()
    {
        await AssertInvalidRequestAsync(ClientJwts.Sign(Claims(), ClientJwts.WrongKeyWithDemoKid));
    }

    [Theory]
    [InlineData("aud")]
    [InlineData("iss")]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("nbf")]
    [InlineData("jti")]
    public async Task Signed_MissingClaim_IsInvalidRequest(string claim)
    {
        var claims = Claims();
        claims.Remove(claim);

        await AssertInvalidRequestAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));
    }

    [Theory]
    [InlineData(ClientJwts.BackchannelEndpoint)]
    [InlineData("https://ciba.test/t/other/oauth2/token")]
    public async Task Signed_AudienceWithoutTheIssuer_IsInvalidRequest(string aud)
    {
        var claims = Claims();
        claims["aud"] = aud;

        await AssertInvalidRequestAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));
    }

    [Fact]
    public async Task Signed_AudienceArrayContainingTheIssuer_IsAccepted()
    {
        var claims = Claims();
        claims["aud"] = new[] { ClientJwts.BackchannelEndpoint, ClientJwts.Issuer };

        using var response = await SendAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));

        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task Signed_IssuerThatIsAnotherClient_IsInvalidRequest()
    {
        var claims = Claims();
        claims["iss"] = "demo-tv";

        await AssertInvalidRequestAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));
    }

    [Fact]
    public async Task Signed_Expired_IsInvalidRequest()
    {
        var claims = ClientJwts.RequestClaims(ClientJwts.DemoBank, Now.AddMinutes(-20));

        await AssertInvalidRequestAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));
    }

    [Fact]
    public async Task Signed_LifetimeOverSixtyMinutes_IsInvalidRequest()
    {
        var claims = Claims();
        claims["exp"] = Now.AddMinutes(61).ToUnixTimeSeconds();

        await AssertInvalidRequestAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));
    }

    [Fact]
    public async Task Signed_ReplayedJti_IsInvalidRequest()
    {
        var request = ClientJwts.Sign(Claims(), ClientJwts.DemoBankEs256);
        using var first = await SendAsync(request);
        await ProtocolClient.AssertOkAsync(first);

        await AssertInvalidRequestAsync(request);
    }

    [Theory]
    [InlineData("login_hint", "alice")]
    [InlineData("scope", "openid")]
    [InlineData("binding_message", "1234")]
    [InlineData("requested_expiry", "30")]
    [InlineData("something_else", "x")]
    public async Task Signed_WithAParameterOutsideTheJwt_IsInvalidRequest(string name, string value)
    {
        var form = AuthenticatedForm(ClientJwts.Sign(Claims(), ClientJwts.DemoBankEs256));
        form[name] = value;

        using var response = await _client.BackchannelAsync(form, clientId: null);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("scope", 1)]
    [InlineData("login_hint", true)]
    [InlineData("requested_expiry", 1.5)]
    public async Task Signed_ParameterThatIsNotAString_IsInvalidRequest(string claim, object value)
    {
        var claims = Claims();
        claims[claim] = value;

        await AssertInvalidRequestAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));
    }

    [Fact]
    public async Task Signed_LoginHintWithANul_IsInvalidRequestNotAServerError()
    {
        var claims = Claims();
        claims["login_hint"] = "ali\0ce";

        await AssertInvalidRequestAsync(ClientJwts.Sign(claims, ClientJwts.DemoBankEs256));
    }

    /// <summary>FAPI: a client set to require signed requests sends nothing unsigned.</summary>
    [Fact]
    public async Task Unsigned_FromAClientThatMustSign_IsInvalidRequest()
    {
        var form = AuthenticatedForm(request: null);
        foreach (var (name, value) in ProtocolClient.ExternalRequest())
        {
            form[name] = value;
        }

        using var response = await _client.BackchannelAsync(form, clientId: null);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Signed_FromAClientWithoutKeys_IsInvalidRequest()
    {
        var form = new Dictionary<string, string> { ["request"] = ClientJwts.Sign(ClientJwts.RequestClaims("demo-tv", Now), ClientJwts.DemoBankEs256) };

        using var response = await _client.BackchannelAsync(form, "demo-tv");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Signed_ByAClientWhoseAuthenticationFails_IsInvalidClientFirst()
    {
        var form = new Dictionary<string, string> { ["request"] = ClientJwts.AlgNone(Claims()) };

        using var response = await _client.BackchannelAsync(form, "demo-tv", "wrong-secret");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    public void Dispose() => _client.Dispose();

    private Dictionary<string, object> Claims() => ClientJwts.RequestClaims(ClientJwts.DemoBank, Now);

    private Dictionary<string, string> AuthenticatedForm(string? request)
    {
        var form = ClientJwts.AssertionForm(ClientJwts.Sign(ClientJwts.AssertionClaims(ClientJwts.DemoBank, Now), ClientJwts.DemoBankEs256));
        if (request is not null)
        {
            form["request"] = request;
        }

        return form;
    }

    private Task<HttpResponseMessage> SendAsync(string request) => _client.BackchannelAsync(AuthenticatedForm(request), clientId: null);

    private async Task AssertInvalidRequestAsync(string request)
    {
        using var response = await SendAsync(request);
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    private Task<int> RequestCountAsync(Guid applicationId) =>
        Console.ConsoleDatabase.ReadAsync(factory, db => db.BackchannelRequests.CountAsync(r => r.ApplicationId == applicationId));
}
