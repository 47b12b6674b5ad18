using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Ciba.Domain.Applications;
using Ciba.Web.Tests.Protocol.Fapi;

namespace Ciba.Web.Tests.Console;

/// <summary>product.md §10 on the Protocol tab: the client authentication block, its JWKS checks and what it saves.</summary>
public sealed class ClientAuthenticationConsoleTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task ProtocolTab_ShowsTheBlockWithTheRegisteredMethod()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var bank = await factory.ApplicationAsync("demo-bank");

        var page = await admin.GetPageAsync($"/t/demo/console/applications/{bank.Id}/protocol");

        Assert.Contains("Client authentication", page, StringComparison.Ordinal);
        Assert.Matches("value=\"private_key_jwt\" checked", page);
        Assert.Contains(bank.Jwks!.Split('"')[3], page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtocolTab_LegacyClient_ShowsEitherSecretMethodChecked()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var tv = await factory.ApplicationAsync("demo-tv");

        var page = await admin.GetPageAsync($"/t/demo/console/applications/{tv.Id}/protocol");

        Assert.Matches("value=\"client_secret_basic_or_post\" checked", page);
    }

    [Fact]
    public async Task Save_PrivateKeyJwtWithPublicJwks_IsStored()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic);
        var application = await factory.ApplicationAsync(clientId);

        using var response = await PostAsync(admin, application.Id, "private_key_jwt", ClientJwts.DemoPublicJwks(), requireSigned: true);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await factory.ApplicationAsync(clientId);
        Assert.Equal(TokenEndpointAuthMethod.PrivateKeyJwt, saved.TokenEndpointAuthMethod);
        Assert.True(saved.RequireSignedRequests);
        Assert.NotNull(saved.Jwks);
    }

    [Fact]
    public async Task Save_PrivateKeyPastedByMistake_IsRefusedWithAMessageSayingSo()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic);
        var application = await factory.ApplicationAsync(clientId);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(true);
        var privateJwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "EC", kid = "k1", crv = "P-256", x = B64(p.Q.X!), y = B64(p.Q.Y!), d = B64(p.D!) } } });

        using var response = await PostAsync(admin, application.Id, "private_key_jwt", privateJwks);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is a private key", page, StringComparison.Ordinal);
        var unchanged = await factory.ApplicationAsync(clientId);
        Assert.Equal(TokenEndpointAuthMethod.ClientSecretBasic, unchanged.TokenEndpointAuthMethod);
        Assert.Null(unchanged.Jwks);
    }

    [Fact]
    public async Task Save_PrivateKeyJwtWithoutKeys_IsRefused()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic);
        var application = await factory.ApplicationAsync(clientId);

        using var response = await PostAsync(admin, application.Id, "private_key_jwt", jwks: "");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("need the client&#x27;s public keys", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://keys.example.com/jwks")]
    [InlineData("not a url")]
    public async Task Save_JwksUriThatIsNotHttps_IsRefused(string uri)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic);
        var application = await factory.ApplicationAsync(clientId);

        using var response = await PostAsync(admin, application.Id, "private_key_jwt", jwks: "", jwksUri: uri);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await factory.ApplicationAsync(clientId)).JwksUri);
    }

    [Fact]
    public async Task Save_UnknownMethod_IsRefused()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var clientId = await ClientJwts.CreateApplicationAsync(factory, TokenEndpointAuthMethod.ClientSecretBasic);
        var application = await factory.ApplicationAsync(clientId);

        using var response = await PostAsync(admin, application.Id, "none", jwks: "");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(
        ConsoleSession admin, Guid id, string method, string jwks, string jwksUri = "", bool requireSigned = false)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("TokenEndpointAuthMethod", method),
            new("Jwks", jwks),
            new("JwksUri", jwksUri),
        };
        if (requireSigned)
        {
            fields.Add(new("RequireSignedRequests", "true"));
        }

        return admin.PostFormAsync($"/t/demo/console/applications/{id}/client-authentication", fields, formPage: $"/t/demo/console/applications/{id}/protocol");
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
