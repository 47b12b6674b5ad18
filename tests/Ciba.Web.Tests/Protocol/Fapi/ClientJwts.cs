using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Web.Tests.Protocol.Fapi;

/// <summary>
/// Client-side JOSE for the tests: client assertions and request objects signed with real keys
/// (the published demo-bank keys, or keys made here), plus the unsigned and HMAC shapes an
/// attacker would send.
/// </summary>
public static class ClientJwts
{
    public const string Issuer = CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token";
    public const string TokenEndpoint = CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token";
    public const string BackchannelEndpoint = CibaWebFactory.PublicOrigin + "/t/demo/oauth2/ciba";
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public const string DemoBank = "demo-bank";

    private static readonly Lazy<JsonWebKeySet> DemoPrivateKeys = new(() =>
        new JsonWebKeySet(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocol", "Fapi", "demo-bank.private.jwks.json"))));

    /// <summary>An RSA key made for the tests, registered for RS256 on an application the tests create.</summary>
    public static RsaSecurityKey RsaTestKey { get; } = new(RSA.Create(2048)) { KeyId = "rs256-test" };

    public static SigningCredentials DemoBankPs256 => new(DemoKey("RSA"), SecurityAlgorithms.RsaSsaPssSha256);

    public static SigningCredentials DemoBankEs256 => new(DemoKey("EC"), SecurityAlgorithms.EcdsaSha256);

    public static SigningCredentials Rs256 => new(RsaTestKey, SecurityAlgorithms.RsaSha256);

    /// <summary>A fresh EC key presented under demo-bank's ES256 kid: the signature cannot verify.</summary>
    public static SigningCredentials WrongKeyWithDemoKid => new(
        new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = DemoKey("EC").KeyId },
        SecurityAlgorithms.EcdsaSha256);

    public static SigningCredentials For(string alg) => alg switch
    {
        "PS256" => DemoBankPs256,
        "ES256" => DemoBankEs256,
        "RS256" => Rs256,
        _ => throw new ArgumentOutOfRangeException(nameof(alg)),
    };

    /// <summary>The public JWK Set of <see cref="RsaTestKey"/> with alg RS256.</summary>
    public static string RsaTestJwks()
    {
        var parameters = RsaTestKey.Rsa.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", kid = RsaTestKey.KeyId, alg = "RS256", use = "sig", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        });
    }

    public static Dictionary<string, object> AssertionClaims(string clientId, DateTimeOffset now, string? aud = Issuer) => new()
    {
        ["iss"] = clientId,
        ["sub"] = clientId,
        ["aud"] = aud!,
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddMinutes(2).ToUnixTimeSeconds(),
    };

    public static Dictionary<string, object> RequestClaims(string clientId, DateTimeOffset now, string loginHint = "alice") => new()
    {
        ["iss"] = clientId,
        ["aud"] = Issuer,
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
        ["scope"] = "openid profile",
        ["login_hint"] = loginHint,
        ["binding_message"] = "1234",

        // demo-bank pings (product.md §18); poll clients ignore it.
        ["client_notification_token"] = "demo-bank-notification-token",
    };

    /// <summary>Signs <paramref name="claims"/> as they are (no default times added).</summary>
    public static string Sign(IDictionary<string, object> claims, SigningCredentials credentials, string? typ = null)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var header = typ is null ? null : new Dictionary<string, object> { ["typ"] = typ };
        var payload = JsonSerializer.Serialize(claims);
        return header is null
            ? handler.CreateToken(payload, credentials)
            : handler.CreateToken(payload, credentials, header);
    }

    /// <summary>An ES256 JWT by demo-bank's key whose header has no <c>typ</c> at all.</summary>
    public static string Es256WithoutTyp(IDictionary<string, object> claims)
    {
        var key = DemoKey("EC");
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Base64UrlEncoder.DecodeBytes(key.D),
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(key.X), Y = Base64UrlEncoder.DecodeBytes(key.Y) },
        });
        var signingInput = Encode(new Dictionary<string, object> { ["alg"] = "ES256", ["kid"] = key.Kid }) + "." + Encode(claims);
        var signature = ecdsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>A JWT with <c>alg: none</c> and no signature.</summary>
    public static string AlgNone(IDictionary<string, object> claims) =>
        Encode(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Encode(claims) + ".";

    /// <summary>An HS256 JWT keyed with <paramref name="secret"/> (a client secret, as an attacker would try).</summary>
    public static string Hs256(IDictionary<string, object> claims, string secret)
    {
        var signingInput = Encode(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" }) + "." + Encode(claims);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>A JWE-shaped value (five parts): CIBA has no encrypted requests.</summary>
    public static string JweShaped() =>
        Encode(new Dictionary<string, object> { ["alg"] = "RSA-OAEP", ["enc"] = "A256GCM" }) + ".AAAA.AAAA.AAAA.AAAA";

    public static Dictionary<string, string> AssertionForm(string assertion) => new()
    {
        ["client_assertion_type"] = AssertionType,
        ["client_assertion"] = assertion,
    };

    /// <summary>Creates an application of the demo organization registered with the given method and keys.</summary>
    public static async Task<string> CreateApplicationAsync(
        CibaWebFactory factory, TokenEndpointAuthMethod method, string? jwks = null, string? jwksUri = null, bool requireSigned = false, string? secret = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var organization = (await scope.ServiceProvider.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None))!;
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var clientId = "fapi-" + Guid.NewGuid().ToString("N")[..12];
        var now = factory.Time.GetUtcNow();
        var application = ClientApplication.Create(
            organization.Id, clientId, clientId, SecretHashing.HashClientSecret(secret ?? clientId + "-secret"), [GrantTypes.Ciba],
            CibaSettings.Create(CibaSettings.DefaultExpirySeconds, NotificationChannels.External, CibaSettings.DefaultPollingIntervalSeconds), now);
        application.UpdateClientAuthentication(method, jwks, jwksUri, requireSigned, now);
        db.Applications.Add(application);
        await db.SaveChangesAsync();
        return clientId;
    }

    public static string DemoPublicJwks() => JsonSerializer.Serialize(new
    {
        keys = DemoPrivateKeys.Value.Keys.Select(k => k.Kty == "RSA"
            ? (object)new { kty = k.Kty, kid = k.Kid, alg = k.Alg, use = "sig", n = k.N, e = k.E }
            : new { kty = k.Kty, kid = k.Kid, alg = k.Alg, use = "sig", crv = k.Crv, x = k.X, y = k.Y }),
    });

    private static JsonWebKey DemoKey(string kty) => DemoPrivateKeys.Value.Keys.Single(k => k.Kty == kty);

    private static string Encode(IDictionary<string, object> value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));
}
