using System.Security.Cryptography;
using System.Text.Json;
using Ciba.Application.Clients.Keys;

namespace Ciba.Application.Tests.Clients;

/// <summary>product.md §10: the JWK Set an administrator pastes is checked when saved.</summary>
public class ClientJwksTests
{
    private static readonly string DemoBankJwks = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Ciba.Infrastructure", "Seeding", "demo-bank.jwks.json"));

    [Fact]
    public void Problem_DemoBankPublicKeys_IsNone()
    {
        Assert.Null(ClientJwks.Problem(DemoBankJwks));
    }

    [Fact]
    public void Problem_APrivateKeyPastedByMistake_SaysItIsAPrivateKey()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: true);
        var jwks = Set(new { kty = "EC", kid = "k1", crv = "P-256", x = B64(p.Q.X!), y = B64(p.Q.Y!), d = B64(p.D!) });

        Assert.Contains("private key", ClientJwks.Problem(jwks), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_AnRsaPrivateKey_SaysItIsAPrivateKey()
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var jwks = Set(new { kty = "RSA", kid = "k1", n = B64(p.Modulus!), e = B64(p.Exponent!), d = B64(p.D!), p = B64(p.P!), q = B64(p.Q!) });

        Assert.Contains("private key", ClientJwks.Problem(jwks), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_KeyWithoutKid_NamesTheMissingKid()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(false);

        Assert.Contains("kid", ClientJwks.Problem(Set(new { kty = "EC", crv = "P-256", x = B64(p.Q.X!), y = B64(p.Q.Y!) })), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_RsaKeyOf1024Bits_IsTooShort()
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(false);

        Assert.Contains("2048", ClientJwks.Problem(Set(new { kty = "RSA", kid = "k1", n = B64(p.Modulus!), e = B64(p.Exponent!) })), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_EcKeyOnP384_IsRefused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ec.ExportParameters(false);

        Assert.Contains("P-256", ClientJwks.Problem(Set(new { kty = "EC", kid = "k1", crv = "P-384", x = B64(p.Q.X!), y = B64(p.Q.Y!) })), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_SymmetricKey_IsRefused()
    {
        Assert.NotNull(ClientJwks.Problem(Set(new { kty = "oct", kid = "k1", alg = "HS256" })));
    }

    [Fact]
    public void Problem_EcPointNotOnTheCurve_IsRefused()
    {
        var x = new byte[32];
        var y = new byte[32];
        x[31] = 1;
        y[31] = 1;

        Assert.NotNull(ClientJwks.Problem(Set(new { kty = "EC", kid = "k1", crv = "P-256", x = B64(x), y = B64(y) })));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"keys\": {}}")]
    [InlineData("{\"keys\": []}")]
    [InlineData("{\"keys\": [1]}")]
    public void Problem_NotAJwkSet_IsRefused(string json)
    {
        Assert.NotNull(ClientJwks.Problem(json));
    }

    [Fact]
    public void Problem_TwoKeysWithOneKid_IsRefused()
    {
        using var document = JsonDocument.Parse(DemoBankJwks);
        var keys = document.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetRawText().Replace(
            k.GetProperty("kid").GetString()!, "same", StringComparison.Ordinal)).ToList();

        Assert.Contains("used by two keys", ClientJwks.Problem("{\"keys\":[" + string.Join(',', keys) + "]}"), StringComparison.Ordinal);
    }

    private static string Set(object key) => JsonSerializer.Serialize(new { keys = new[] { key } });

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ciba.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Ciba.sln not found above the test output.");
    }
}
