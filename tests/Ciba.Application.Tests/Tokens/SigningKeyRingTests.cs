using System.Security.Cryptography;
using Ciba.Application.Tokens;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Application.Tests.Tokens;

/// <summary>Signing keys live in the database and are shared by every node; each node loads them once.</summary>
public class SigningKeyRingTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SigningKeyRing_NodesStartingTogetherOnEmptyDatabase_CreateOneSharedKey()
    {
        var nodes = Enumerable.Range(0, 4).Select(_ => NewNode()).ToList();

        var loaded = await Task.WhenAll(nodes.Select(n => n.GetAsync(CancellationToken.None).AsTask()));

        Assert.Single(loaded.Select(k => k.Current.KeyId).Distinct());
        var stored = await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().SigningKeys.AsNoTracking().ToListAsync());
        var key = Assert.Single(stored);
        Assert.Equal("RS256", key.Algorithm);
        Assert.Equal(loaded[0].Current.KeyId, key.KeyId);
        nodes.ForEach(n => n.Dispose());
    }

    [Fact]
    public async Task SigningKeyRing_StoredPrivateKey_IsProtected()
    {
        using var node = NewNode();
        await node.GetAsync(CancellationToken.None);

        var stored = await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().SigningKeys.AsNoTracking().SingleAsync());

        using var rsa = RSA.Create();
        Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored.ProtectedPrivateKey), out _));
    }

    [Fact]
    public async Task SigningKeyRing_LoadedTwice_ReturnsTheCachedSnapshot()
    {
        using var node = NewNode();

        var first = await node.GetAsync(CancellationToken.None);
        var second = await node.GetAsync(CancellationToken.None);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task TokenIssuer_AccessTokenFromOneNode_IsReadByAnother()
    {
        using var issuingNode = NewNode();
        using var readingNode = NewNode();
        var userId = Guid.NewGuid();
        var now = fixture.Time.GetUtcNow();
        var grant = new TokenGrant("https://ciba.test/t/acme/oauth2/token", "https://ciba.test/t/acme/oauth2/userinfo", "tv", userId, "openid email", now, now);

        var tokens = await new JwtTokenIssuer(issuingNode).IssueAsync(grant, CancellationToken.None);
        var reader = new JwtTokenReader(readingNode, fixture.Time);

        var claims = await reader.ReadAccessTokenAsync(tokens.AccessToken, grant.Issuer, grant.Audience, CancellationToken.None);
        Assert.Equal(new AccessTokenClaims(userId, "tv", "openid email"), claims);
        Assert.Null(await reader.ReadAccessTokenAsync(tokens.AccessToken, "https://ciba.test/t/other/oauth2/token", grant.Audience, CancellationToken.None));
        Assert.Null(await reader.ReadAccessTokenAsync(tokens.IdToken, grant.Issuer, "tv", CancellationToken.None));
        Assert.Equal(userId, await reader.ReadIdTokenHintAsync(tokens.IdToken, grant.Issuer, "tv", CancellationToken.None));
        Assert.Null(await reader.ReadIdTokenHintAsync(tokens.IdToken, grant.Issuer, "kiosk", CancellationToken.None));
    }

    private SigningKeyRing NewNode() => ActivatorUtilities.CreateInstance<SigningKeyRing>(fixture.Services);
}
