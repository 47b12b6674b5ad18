using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Persistence;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protection;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.UserCodes;

/// <summary>product.md §12 <c>login_hint_token</c> over HTTP: trusted, untrusted and expired tokens, <c>alg: none</c>, each RFC 9493 format.</summary>
public sealed class LoginHintTokenTests(CibaWebFactoryWithoutDispatcher factory) : IClassFixture<CibaWebFactoryWithoutDispatcher>, IDisposable
{
    private const string TrustedIssuer = "https://hints.bank.test";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _stranger = RSA.Create(2048);

    [Fact]
    public async Task SignedByTrustedKey_EachSubjectFormat_FindsThePerson()
    {
        await TrustAsync();
        var aliceId = await ProtectionTestData.ReadAsync(factory.Services, db => db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync());
        object[] subjects =
        [
            new { format = "email", email = "ALICE@demo.test" },
            new { format = "phone_number", phone_number = "+15550100001" },
            new { format = "iss_sub", iss = CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token", sub = aliceId.ToString() },
            new { format = "opaque", id = "alice" },
        ];
        using var client = new ProtocolClient(factory);
        foreach (var subject in subjects)
        {
            foreach (var alg in new[] { "RS256", "PS256", "ES256" })
            {
                using var response = await client.BackchannelAsync(Request(Token(alg, Claims(subject))));
                await ProtocolClient.AssertOkAsync(response);
            }
        }

        Assert.True(await ProtectionTestData.RequestCountAsync(factory.Services, "alice") >= 12);
    }

    [Fact]
    public async Task NoSuchPerson_IsUnknownUserId()
    {
        await TrustAsync();
        object[] subjects =
        [
            new { format = "email", email = "nobody@demo.test" },
            new { format = "phone_number", phone_number = "+15559999999" },
            new { format = "iss_sub", iss = CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token", sub = Guid.NewGuid().ToString() },
            new { format = "iss_sub", iss = "https://elsewhere.test", sub = "alice" },
            new { format = "opaque", id = "nobody" },
            new { format = "opaque", id = "alice@demo.test" },
        ];
        using var client = new ProtocolClient(factory);
        foreach (var subject in subjects)
        {
            using var response = await client.BackchannelAsync(Request(Token("RS256", Claims(subject))));
            await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unknown_user_id");
        }
    }

    [Fact]
    public async Task Expired_IsExpiredLoginHintToken_OnlyWhenTheSignatureHolds()
    {
        await TrustAsync();
        var now = factory.Time.GetUtcNow().ToUnixTimeSeconds();
        var expired = Claims(new { format = "opaque", id = "alice" }, exp: now - 120);
        var withinSkew = Claims(new { format = "opaque", id = "alice" }, exp: now - 30);
        using var client = new ProtocolClient(factory);

        using var expiredResponse = await client.BackchannelAsync(Request(Token("PS256", expired)));
        using var skewResponse = await client.BackchannelAsync(Request(Token("PS256", withinSkew)));
        using var expiredForged = await client.BackchannelAsync(Request(Token("PS256", expired, _stranger)));
        using var expiredUntrusted = await client.BackchannelAsync(Request(Token("PS256", Claims(new { format = "opaque", id = "alice" }, issuer: "https://evil.test", exp: now - 120))));

        await ProtocolClient.AssertOAuthErrorAsync(expiredResponse, HttpStatusCode.BadRequest, "expired_login_hint_token");
        await ProtocolClient.AssertOkAsync(skewResponse);
        await ProtocolClient.AssertOAuthErrorAsync(expiredForged, HttpStatusCode.BadRequest, "invalid_request");
        await ProtocolClient.AssertOAuthErrorAsync(expiredUntrusted, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Unverifiable_IsInvalidRequest()
    {
        await TrustAsync();
        var good = Claims(new { format = "opaque", id = "alice" });
        var untrustedIssuer = Claims(new { format = "opaque", id = "alice" }, issuer: "https://evil.test");
        var noExp = Claims(new { format = "opaque", id = "alice" }, exp: null);
        var noSubId = new Dictionary<string, object?> { ["iss"] = TrustedIssuer, ["exp"] = Later() };
        var unknownFormat = Claims(new { format = "account", uri = "acct:alice@demo.test" });
        var stringSubId = new Dictionary<string, object?> { ["iss"] = TrustedIssuer, ["exp"] = Later(), ["sub_id"] = "alice" };
        var signed = Token("RS256", good);
        var parts = signed.Split('.');
        string[] tokens =
        [
            Token("RS256", good, _stranger),
            Token("RS256", untrustedIssuer),
            Token("RS256", noExp),
            Token("RS256", noSubId),
            Token("RS256", unknownFormat),
            Token("RS256", stringSubId),
            Unsigned("none", good),
            Unsigned("HS256", good),
            parts[0] + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(Claims(new { format = "opaque", id = "bob" }))) + "." + parts[2],
            "not-a-jwt",
            "a.b.c",
            "a.b.c.d.e",
        ];
        using var client = new ProtocolClient(factory);
        using (var control = await client.BackchannelAsync(Request(signed)))
        {
            await ProtocolClient.AssertOkAsync(control);
        }

        foreach (var token in tokens)
        {
            using var response = await client.BackchannelAsync(Request(token));
            await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        }
    }

    [Fact]
    public async Task WithAnotherHint_IsInvalidRequest()
    {
        await TrustAsync();
        var form = Request(Token("RS256", Claims(new { format = "opaque", id = "alice" })));
        form["login_hint"] = "alice";
        using var client = new ProtocolClient(factory);
        using var response = await client.BackchannelAsync(form);
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Console_TrustsAnIssuer_RefusesAPrivateKey_AndAuditsTheChanges()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        const string page = "/t/demo/console/settings/hint-issuers";
        const string issuer = "https://console-added.test";

        var privateJwks = JsonSerializer.Serialize(new { keys = new[] { PrivateRsaJwk(_rsa, "k1") } });
        using var refused = await admin.PostFormAsync(page, [new("Issuer", ""), new("Jwks", privateJwks)]);
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("href=\"#Issuer\"", refusedPage, StringComparison.Ordinal);
        Assert.Contains("private key", refusedPage, StringComparison.Ordinal);

        using var saved = await admin.PostFormAsync(page, [new("Issuer", issuer), new("Jwks", Jwks())]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var listed = await admin.GetPageAsync(page);
        Assert.Contains(issuer, listed, StringComparison.Ordinal);
        Assert.Contains(await ProtectionTestData.AuditAsync(factory.Services, "console.hint_issuer.created"), e => e.Subject == "hint issuer " + issuer);

        using var client = new ProtocolClient(factory);
        using var accepted = await client.BackchannelAsync(Request(Token("ES256", Claims(new { format = "opaque", id = "alice" }, issuer: issuer))));
        await ProtocolClient.AssertOkAsync(accepted);

        var id = await ProtectionTestData.ReadAsync(factory.Services, db => db.TrustedHintIssuers.Where(i => i.Issuer == issuer).Select(i => i.Id).SingleAsync());
        using var removed = await admin.PostFormAsync($"{page}/{id}/delete", [], page);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Single(await ProtectionTestData.AuditAsync(factory.Services, "console.hint_issuer.deleted"));
        using var refusedNow = await client.BackchannelAsync(Request(Token("ES256", Claims(new { format = "opaque", id = "alice" }, issuer: issuer))));
        await ProtocolClient.AssertOAuthErrorAsync(refusedNow, HttpStatusCode.BadRequest, "invalid_request");
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
        _stranger.Dispose();
    }

    private static Dictionary<string, string> Request(string token) => new()
    {
        ["scope"] = "openid",
        ["login_hint_token"] = token,
        ["notification_channel"] = "external",
    };

    private long Later() => factory.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();

    private Dictionary<string, object?> Claims(object subject, string issuer = TrustedIssuer, long? exp = -1)
    {
        var claims = new Dictionary<string, object?> { ["iss"] = issuer, ["sub_id"] = subject };
        if (exp is not null)
        {
            claims["exp"] = exp == -1 ? Later() : exp;
        }

        return claims;
    }

    /// <summary>Trusts <see cref="TrustedIssuer"/> with this test's keys (each test has its own, replacing the last test's).</summary>
    private async Task TrustAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var existing = await db.TrustedHintIssuers.SingleOrDefaultAsync(i => i.Issuer == TrustedIssuer);
        if (existing is null)
        {
            var organization = await db.Organizations.SingleAsync(o => o.Handle == "demo");
            db.TrustedHintIssuers.Add(TrustedHintIssuer.Create(organization.Id, TrustedIssuer, Jwks(), factory.Time.GetUtcNow()));
        }
        else
        {
            existing.Update(TrustedIssuer, Jwks(), factory.Time.GetUtcNow());
        }

        await db.SaveChangesAsync();
    }

    private string Jwks()
    {
        var rsa = _rsa.ExportParameters(false);
        var ec = _ec.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new object[]
            {
                new { kty = "RSA", kid = "rsa-1", use = "sig", n = Encode(rsa.Modulus!), e = Encode(rsa.Exponent!) },
                new { kty = "EC", kid = "ec-1", crv = "P-256", x = Encode(ec.Q.X!), y = Encode(ec.Q.Y!) },
            },
        });
    }

    private static object PrivateRsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(true);
        return new { kty = "RSA", kid, n = Encode(p.Modulus!), e = Encode(p.Exponent!), d = Encode(p.D!) };
    }

    private string Token(string alg, Dictionary<string, object?> claims, RSA? rsaKey = null)
    {
        var kid = alg == "ES256" ? "ec-1" : "rsa-1";
        var input = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT", kid })) + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = alg switch
        {
            "RS256" => (rsaKey ?? _rsa).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => (rsaKey ?? _rsa).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => _ec.SignData(data, HashAlgorithmName.SHA256),
        };
        return input + "." + Encode(signature);
    }

    private static string Unsigned(string alg, Dictionary<string, object?> claims) =>
        Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT" })) + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(claims)) + "." + (alg == "none" ? string.Empty : Encode(new byte[32]));

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
