using System.Net;
using System.Text.Json;

namespace Ciba.Web.Tests.Protocol;

/// <summary>
/// Issue 11 item 5 (product.md §10): the FAPI discovery fields, and the same metadata at the RFC 8414 §3
/// location: <c>/.well-known/oauth-authorization-server</c> inserted between the host and the issuer's path.
/// </summary>
public sealed class AuthorizationServerMetadataTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private const string OpenIdPath = "/t/demo/oauth2/token/.well-known/openid-configuration";
    private const string Rfc8414Path = "/.well-known/oauth-authorization-server/t/demo/oauth2/token";
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Discovery_HasTheFapiFields()
    {
        using var response = await _client.Http.GetAsync(new Uri(OpenIdPath, UriKind.Relative));

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var root = json.RootElement;
        Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt"], Strings(root, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["PS256", "ES256", "RS256"], Strings(root, "token_endpoint_auth_signing_alg_values_supported"));
        Assert.Equal(["PS256", "ES256", "RS256"], Strings(root, "backchannel_authentication_request_signing_alg_values_supported"));
        Assert.Equal(["RS256", "PS256", "ES256"], Strings(root, "id_token_signing_alg_values_supported"));
        Assert.True(root.GetProperty("request_parameter_supported").GetBoolean());
    }

    [Fact]
    public async Task Rfc8414Location_ServesTheSameMetadata_WithTheIssuerWhosePathItWasBuiltFrom()
    {
        using var openId = await _client.Http.GetAsync(new Uri(OpenIdPath, UriKind.Relative));
        using var rfc8414 = await _client.Http.GetAsync(new Uri(Rfc8414Path, UriKind.Relative));

        await ProtocolClient.AssertOkAsync(openId);
        await ProtocolClient.AssertOkAsync(rfc8414);
        Assert.Equal("application/json", rfc8414.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await openId.Content.ReadAsStringAsync(), await rfc8414.Content.ReadAsStringAsync());
        Assert.Equal(openId.Headers.CacheControl?.ToString(), rfc8414.Headers.CacheControl?.ToString());
        using var json = await ProtocolClient.ReadJsonAsync(rfc8414);
        var issuer = new Uri(json.RootElement.GetProperty("issuer").GetString()!);

        // RFC 8414 §3.1: the metadata URL is the issuer's origin, the well-known suffix, then the issuer's path.
        Assert.Equal(Rfc8414Path, "/.well-known/oauth-authorization-server" + issuer.AbsolutePath);
        Assert.Equal(CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token", issuer.ToString());
    }

    [Theory]
    [InlineData("/.well-known/oauth-authorization-server/t/nope/oauth2/token")]
    [InlineData("/t/nope/oauth2/token/.well-known/openid-configuration")]
    public async Task UnknownOrganization_IsNotFound_AtBothLocations(string path)
    {
        using var response = await _client.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/.well-known/oauth-authorization-server/t/demo/oauth2/ciba")]
    [InlineData("/.well-known/oauth-authorization-server/t/demo")]
    [InlineData("/.well-known/oauth-authorization-server")]
    [InlineData("/.well-known/oauth-authorization-server/t/%01/oauth2/token")]
    [InlineData("/.well-known/oauth-authorization-server/t/..%2F..%2Fdemo/oauth2/token")]
    public async Task Rfc8414Location_ForNoIssuerOfOurs_IsNotFound(string path)
    {
        using var response = await _client.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Rfc8414Location_WithAVeryLongHandle_IsNotFoundNotAServerError()
    {
        using var response = await _client.Http.GetAsync(new Uri($"/.well-known/oauth-authorization-server/t/{new string('a', 300)}/oauth2/token", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public void Dispose() => _client.Dispose();

    private static List<string?> Strings(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(e => e.GetString()).ToList();
}
