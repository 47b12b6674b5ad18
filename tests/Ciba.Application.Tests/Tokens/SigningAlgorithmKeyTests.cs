using System.Security.Cryptography;
using Ciba.Application.Tokens;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Application.Tests.Tokens;

/// <summary>
/// Issue 11 item 3 (ADR 0023): a key per algorithm (RS256, PS256, ES256) for each organization,
/// ID tokens signed with the application's algorithm, access tokens RS256, and every key signing
/// (and verifying) with its own algorithm only.
/// </summary>
public class SigningAlgorithmKeyTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private const string Issuer = "https://ciba.test/t/acme/oauth2/token";
    private const string Audience = "https://ciba.test/t/acme/oauth2/userinfo";
    private Guid _acme;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        var acme = Organization.Create("acme", "Acme", fixture.Time.GetUtcNow());
        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.Organizations.Add(acme);
            return await db.SaveChangesAsync();
        });
        _acme = acme.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("RS256", "RSA")]
    [InlineData("PS256", "RSA")]
    [InlineData("ES256", "EC")]
    public async Task IdToken_IsSignedWithTheApplicationsAlgorithm_AccessTokenStaysRS256(string algorithm, string keyType)
    {
        using var node = NewNode();
        var issuer = new JwtTokenIssuer(node, fixture.Time);
        var userId = Guid.NewGuid();

        var tokens = await issuer.IssueAsync(Grant(userId) with { IdTokenSigningAlgorithm = algorithm }, CancellationToken.None);

        var published = await issuer.GetPublicKeysAsync(_acme, CancellationToken.None);
        var idToken = new JsonWebToken(tokens.IdToken);
        var accessToken = new JsonWebToken(tokens.AccessToken);
        Assert.Equal(algorithm, idToken.Alg);
        var key = Assert.Single(published, k => k.KeyId == idToken.Kid);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(keyType, key.KeyType);
        Assert.Equal("RS256", accessToken.Alg);
        Assert.Equal("RS256", Assert.Single(published, k => k.KeyId == accessToken.Kid).Algorithm);
        var reader = new JwtTokenReader(node, fixture.Time);
        Assert.Equal(IdTokenHint.Valid(userId), await reader.ReadIdTokenHintAsync(_acme, tokens.IdToken, Issuer, "tv", CancellationToken.None));
        Assert.NotNull(await reader.ReadAccessTokenAsync(_acme, tokens.AccessToken, Issuer, Audience, CancellationToken.None));
    }

    [Fact]
    public async Task Keys_AreDistinctPerAlgorithm_RsaKeysAreNotShared_EcKeyIsP256()
    {
        using var node = NewNode();

        var published = await new JwtTokenIssuer(node, fixture.Time).GetPublicKeysAsync(_acme, CancellationToken.None);

        Assert.Equal(["ES256", "PS256", "RS256"], published.Select(k => k.Algorithm).Order(StringComparer.Ordinal));
        Assert.Equal(3, published.Select(k => k.KeyId).Distinct().Count());
        var rs = published.Single(k => k.Algorithm == "RS256");
        var ps = published.Single(k => k.Algorithm == "PS256");
        Assert.NotEqual(rs.Modulus, ps.Modulus);
        var es = published.Single(k => k.Algorithm == "ES256");
        Assert.Equal("P-256", es.Curve);
        Assert.Equal(32, Base64UrlEncoder.DecodeBytes(es.X).Length);
        Assert.Equal(32, Base64UrlEncoder.DecodeBytes(es.Y).Length);
        Assert.Null(es.Modulus);
    }

    [Fact]
    public async Task TokenSignedByOurPs256Key_ButLabelledRS256_IsRefused()
    {
        using var node = NewNode();
        var keys = await node.GetAsync(_acme, CancellationToken.None);
        var psKey = keys.Current("PS256", fixture.Time.GetUtcNow()).Key;
        var now = fixture.Time.GetUtcNow().UtcDateTime;
        var forged = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = "tv",
            IssuedAt = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(psKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString() },
        });

        var hint = await new JwtTokenReader(node, fixture.Time).ReadIdTokenHintAsync(_acme, forged, Issuer, "tv", CancellationToken.None);

        Assert.Equal("RS256", new JsonWebToken(forged).Alg);
        Assert.Equal(IdTokenHintStatus.Invalid, hint.Status);
    }

    [Fact]
    public async Task OrganizationWithOnlyAnRs256Key_GetsItsPs256AndEs256KeysOnFirstUse_AndKeepsItsRs256Key()
    {
        using (var first = NewNode())
        {
            await first.GetAsync(_acme, CancellationToken.None);
        }

        // The state an organization made before ADR 0023 is in.
        var rsKeyId = await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            await db.SigningKeys.Where(k => k.Algorithm != "RS256").ExecuteDeleteAsync();
            return await db.SigningKeys.Select(k => k.KeyId).SingleAsync();
        });

        using var upgraded = NewNode();
        var loaded = await upgraded.GetAsync(_acme, CancellationToken.None);

        var now = fixture.Time.GetUtcNow();
        Assert.Equal(rsKeyId, loaded.Current("RS256", now).KeyId);
        Assert.Equal("PS256", loaded.Current("PS256", now).Algorithm);
        Assert.Equal("ES256", loaded.Current("ES256", now).Algorithm);
        Assert.Equal(3, (await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().SigningKeys.CountAsync())));
    }

    [Fact]
    public async Task Rotation_RotatesEveryAlgorithm_EachNewKeyPublishedBeforeItSigns()
    {
        using var node = NewNode();
        var issuer = new JwtTokenIssuer(node, fixture.Time);
        var before = await issuer.IssueAsync(Grant(Guid.NewGuid()) with { IdTokenSigningAlgorithm = "ES256" }, CancellationToken.None);

        var rotation = await node.RotateAsync(_acme, CancellationToken.None);

        Assert.Equal(3, rotation.KeyIds.Count);
        var published = (await issuer.GetPublicKeysAsync(_acme, CancellationToken.None)).Select(k => k.KeyId).ToList();
        Assert.Equal(6, published.Count);
        Assert.All(rotation.KeyIds, k => Assert.Contains(k, published));
        Assert.Equal(new JsonWebToken(before.IdToken).Kid, new JsonWebToken((await issuer.IssueAsync(Grant(Guid.NewGuid()) with { IdTokenSigningAlgorithm = "ES256" }, CancellationToken.None)).IdToken).Kid);

        fixture.Time.Advance(new SigningKeyOptions().ActivationDelay);
        var after = await issuer.IssueAsync(Grant(Guid.NewGuid()) with { IdTokenSigningAlgorithm = "ES256" }, CancellationToken.None);

        Assert.Contains(new JsonWebToken(after.IdToken).Kid, rotation.KeyIds);
        Assert.Equal(IdTokenHintStatus.Valid, (await new JwtTokenReader(node, fixture.Time).ReadIdTokenHintAsync(_acme, before.IdToken, Issuer, "tv", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task StoredEcPrivateKey_IsProtected()
    {
        using var node = NewNode();
        await node.GetAsync(_acme, CancellationToken.None);

        var stored = await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().SigningKeys.AsNoTracking().SingleAsync(k => k.Algorithm == "ES256"));

        using var ecdsa = ECDsa.Create();
        Assert.ThrowsAny<CryptographicException>(() => ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored.ProtectedPrivateKey), out _));
    }

    private TokenGrant Grant(Guid userId) =>
        new(_acme, Issuer, Audience, "tv", userId, "openid email", fixture.Time.GetUtcNow(), fixture.Time.GetUtcNow());

    private SigningKeyRing NewNode() => ActivatorUtilities.CreateInstance<SigningKeyRing>(fixture.Services);
}
