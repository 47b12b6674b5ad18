using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciba.Infrastructure.Persistence;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Keys;

/// <summary>
/// Issue 11 items 3 and 4 over HTTP (product.md §10, ADR 0023): the JWKS publishes a key per
/// algorithm, ID tokens are signed with the application's algorithm and verify with the published
/// JWKS (checked here with the platform's RSA and ECDSA, not the library that signed them), an ID
/// token of each algorithm is accepted as <c>id_token_hint</c>, and the console's select saves and
/// refuses what it does not offer.
/// </summary>
public sealed class SigningAlgorithmEndpointTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private const string Issuer = CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token";
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Jwks_PublishesOneKeyPerAlgorithm_WithKidAlgUse_AndNoPrivateParts()
    {
        using var response = await _client.Http.GetAsync(new Uri("/t/demo/oauth2/jwks", UriKind.Relative));

        await ProtocolClient.AssertOkAsync(response);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var keys = json.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["RS256", "PS256", "ES256"], keys.Select(k => k.GetProperty("alg").GetString()));
        Assert.Equal(3, keys.Select(k => k.GetProperty("kid").GetString()).Distinct().Count());
        Assert.All(keys, k =>
        {
            Assert.Equal("sig", k.GetProperty("use").GetString());
            Assert.False(string.IsNullOrEmpty(k.GetProperty("kid").GetString()));
            Assert.All(PrivateMembers, member => Assert.False(k.TryGetProperty(member, out _), $"A JWK carries the private member '{member}'."));
        });
        var rsa = keys.Where(k => k.GetProperty("alg").GetString() != "ES256").ToList();
        Assert.All(rsa, k =>
        {
            Assert.Equal("RSA", k.GetProperty("kty").GetString());
            Assert.Equal(256, Convert.FromBase64String(Pad(k.GetProperty("n").GetString()!)).Length);
            Assert.False(k.TryGetProperty("crv", out _));
        });
        Assert.NotEqual(rsa[0].GetProperty("n").GetString(), rsa[1].GetProperty("n").GetString());
        var ec = keys.Single(k => k.GetProperty("alg").GetString() == "ES256");
        Assert.Equal("EC", ec.GetProperty("kty").GetString());
        Assert.Equal("P-256", ec.GetProperty("crv").GetString());
        Assert.Equal(32, Convert.FromBase64String(Pad(ec.GetProperty("x").GetString()!)).Length);
        Assert.Equal(32, Convert.FromBase64String(Pad(ec.GetProperty("y").GetString()!)).Length);
        Assert.False(ec.TryGetProperty("n", out _));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    [InlineData("ES256")]
    public async Task IdToken_IsSignedWithTheApplicationsAlgorithm_VerifiesWithThePublishedKey_AndIsAcceptedAsHint(string algorithm)
    {
        await SetAlgorithmAsync("demo-tv", algorithm);
        try
        {
            var (idToken, accessToken) = await TokensAsync();
            var jwks = await JwksAsync();

            var header = Header(idToken);
            Assert.Equal(algorithm, header.GetProperty("alg").GetString());
            var kid = header.GetProperty("kid").GetString()!;
            var key = jwks.Single(k => k.GetProperty("kid").GetString() == kid);
            Assert.Equal(algorithm, key.GetProperty("alg").GetString());
            Assert.True(Verifies(idToken, key), "The ID token's signature does not verify with its published key.");
            var payload = Payload(idToken);
            Assert.Equal(Issuer, payload.GetProperty("iss").GetString());
            Assert.Equal("demo-tv", payload.GetProperty("aud").GetString());

            // Access tokens stay RS256 whatever the ID token algorithm (ADR 0023).
            var accessHeader = Header(accessToken);
            Assert.Equal("RS256", accessHeader.GetProperty("alg").GetString());
            Assert.True(Verifies(accessToken, jwks.Single(k => k.GetProperty("kid").GetString() == accessHeader.GetProperty("kid").GetString())));

            // A signature made by another key of the same JWKS does not verify: the kid matters.
            Assert.All(jwks.Where(k => k.GetProperty("kid").GetString() != kid), other => Assert.False(Verifies(idToken, other)));

            using var hint = await _client.BackchannelAsync(new Dictionary<string, string>
            {
                ["scope"] = "openid",
                ["id_token_hint"] = idToken,
                ["notification_channel"] = "external",
            });
            await ProtocolClient.AssertOkAsync(hint);
        }
        finally
        {
            await SetAlgorithmAsync("demo-tv", "RS256");
        }
    }

    [Fact]
    public async Task ConsoleSelect_SavesTheAlgorithm_AndTheNextIdTokenUsesIt()
    {
        var id = await ApplicationIdAsync("demo-tv");
        using var admin = await ConsoleSession.AdminAsync(factory);
        var protocol = $"/t/demo/console/applications/{id}/protocol";
        try
        {
            var before = await admin.GetPageAsync(protocol);
            Assert.Contains("ID token signing algorithm", before, StringComparison.Ordinal);
            Assert.Contains("<option value=\"RS256\" selected", before, StringComparison.Ordinal);

            using var saved = await admin.PostFormAsync(protocol + "/id-token-signing", [new("IdTokenSigningAlgorithm", "ES256")], protocol);

            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal(protocol, saved.Headers.Location?.OriginalString);
            Assert.Equal("ES256", await StoredAlgorithmAsync("demo-tv"));
            Assert.Contains("<option value=\"ES256\" selected", await admin.GetPageAsync(protocol), StringComparison.Ordinal);
            var (idToken, _) = await TokensAsync();
            Assert.Equal("ES256", Header(idToken).GetProperty("alg").GetString());
        }
        finally
        {
            await SetAlgorithmAsync("demo-tv", "RS256");
        }
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("es256")]
    [InlineData("")]
    [InlineData("RS256 ")]
    [InlineData("RS256\u0000")]
    [InlineData("<script>alert(1)</script>")]
    public async Task ConsoleSelect_ValueNotOffered_IsAFieldError_AndNothingChanges(string value)
    {
        var id = await ApplicationIdAsync("demo-tv");
        using var admin = await ConsoleSession.AdminAsync(factory);
        var protocol = $"/t/demo/console/applications/{id}/protocol";

        using var response = await admin.PostFormAsync(protocol + "/id-token-signing", [new("IdTokenSigningAlgorithm", value)], protocol);

        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"Expected the tab again or the friendly 400 page, got {(int)response.StatusCode}.");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Contains("Choose RS256, PS256, ES256.", page, StringComparison.Ordinal);
            Assert.Contains("There is a problem", page, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
        Assert.Equal("RS256", await StoredAlgorithmAsync("demo-tv"));
    }

    [Fact]
    public async Task ConsoleSelect_OfAnotherOrganizationsApplication_IsNotFound()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var protocol = $"/t/demo/console/applications/{await ApplicationIdAsync("demo-tv")}/protocol";

        using var response = await admin.PostFormAsync($"/t/demo/console/applications/{Guid.NewGuid()}/protocol/id-token-signing", [new("IdTokenSigningAlgorithm", "PS256")], protocol);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public void Dispose() => _client.Dispose();

    private async Task<(string IdToken, string AccessToken)> TokensAsync()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        using var response = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        return (json.RootElement.GetProperty("id_token").GetString()!, json.RootElement.GetProperty("access_token").GetString()!);
    }

    private async Task<List<JsonElement>> JwksAsync()
    {
        using var response = await _client.Http.GetAsync(new Uri("/t/demo/oauth2/jwks", UriKind.Relative));
        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        return json.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.Clone()).ToList();
    }

    /// <summary>RFC 7515 §5.2 with the platform's primitives: RS256 PKCS#1 v1.5, PS256 PSS, ES256 r||s (RFC 7518 §3.4).</summary>
    private static bool Verifies(string jws, JsonElement jwk)
    {
        var parts = jws.Split('.');
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = Convert.FromBase64String(Pad(parts[2]));
        string Member(string name) => jwk.GetProperty(name).GetString()!;
        byte[] Bytes(string name) => Convert.FromBase64String(Pad(Member(name)));
        switch (Member("kty"))
        {
            case "RSA":
            {
                using var rsa = RSA.Create(new RSAParameters { Modulus = Bytes("n"), Exponent = Bytes("e") });
                var padding = Member("alg") == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, padding);
            }

            case "EC":
            {
                using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Bytes("x"), Y = Bytes("y") } });
                return ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }

            default:
                return false;
        }
    }

    private static JsonElement Header(string jws) => Part(jws, 0);

    private static JsonElement Payload(string jws) => Part(jws, 1);

    private static JsonElement Part(string jws, int index)
    {
        using var json = JsonDocument.Parse(Convert.FromBase64String(Pad(jws.Split('.')[index])));
        return json.RootElement.Clone();
    }

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }

    private async Task<Guid> ApplicationIdAsync(string clientId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CibaDbContext>().Applications.Where(a => a.ClientId == clientId).Select(a => a.Id).SingleAsync();
    }

    private async Task<string> StoredAlgorithmAsync(string clientId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CibaDbContext>().Applications.Where(a => a.ClientId == clientId).Select(a => a.IdTokenSigningAlgorithm).SingleAsync();
    }

    private async Task SetAlgorithmAsync(string clientId, string algorithm)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
        application.ChangeIdTokenSigningAlgorithm(algorithm, factory.Time.GetUtcNow());
        await db.SaveChangesAsync();
    }
}
