using System.Net;
using Ciba.Domain.Applications;
using Ciba.Testing;

namespace Ciba.Web.Tests.Protocol.Fapi;

/// <summary>
/// product.md §10: a client's keys at its jwks_uri, fetched with the outbound rules (ADR 0016; the
/// tests allow 127.0.0.1) and cached, so one fetch serves many authentications.
/// </summary>
public sealed class JwksUriTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task PrivateKeyJwt_KeysAtJwksUri_AreFetchedOnceAndAuthenticate()
    {
        await using var server = RecordingHttpServer.Start();
        server.DefaultResponse = new ScriptedResponse(200, ClientJwts.DemoPublicJwks());
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.PrivateKeyJwt, jwksUri: server.BaseUrl + "/client/jwks.json");

        using var first = await PollAsync(clientId);
        using var second = await PollAsync(clientId);

        await ProtocolClient.AssertOAuthErrorAsync(first, HttpStatusCode.BadRequest, "invalid_grant");
        await ProtocolClient.AssertOAuthErrorAsync(second, HttpStatusCode.BadRequest, "invalid_grant");
        var fetch = Assert.Single(server.Requests);
        Assert.Equal("GET", fetch.Method);
        Assert.Equal("/client/jwks.json", fetch.Path);
    }

    [Fact]
    public async Task PrivateKeyJwt_JwksUriOnARefusedAddress_IsInvalidClientWithoutAConnection()
    {
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.PrivateKeyJwt, jwksUri: "http://10.1.2.3/jwks.json");

        using var response = await PollAsync(clientId);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task PrivateKeyJwt_JwksUriAnsweringAnError_IsInvalidClient()
    {
        await using var server = RecordingHttpServer.Start();
        server.DefaultResponse = new ScriptedResponse(500, "{}");
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.PrivateKeyJwt, jwksUri: server.BaseUrl + "/jwks");

        using var response = await PollAsync(clientId);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    public void Dispose() => _client.Dispose();

    private Task<HttpResponseMessage> PollAsync(string clientId)
    {
        var now = factory.Time.GetUtcNow();
        var form = ClientJwts.AssertionForm(ClientJwts.Sign(ClientJwts.AssertionClaims(clientId, now), ClientJwts.DemoBankEs256));
        form["grant_type"] = ProtocolClient.CibaGrant;
        form["auth_req_id"] = "unknown";
        return _client.PostFormAsync(ProtocolClient.TokenPath, form, clientId: null);
    }
}
