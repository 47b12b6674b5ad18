using System.Security.Cryptography;
using Ciba.Application.Tokens;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Ciba.Application.Tests.Tokens;

/// <summary>
/// Issue 17 item 2 and issue 9 item 10: signing keys per organization in the database, shared by
/// every node, rotated by hand and on schedule, retired keys published until their tokens expire,
/// and <c>id_token_hint</c> accepted at most 30 days past its expiry.
/// </summary>
public class SigningKeyRingTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private const string Issuer = "https://ciba.test/t/acme/oauth2/token";
    private const string Audience = "https://ciba.test/t/acme/oauth2/userinfo";
    private static readonly TimeSpan ActivationDelay = new SigningKeyOptions().ActivationDelay;
    private Guid _acme;
    private Guid _other;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        var now = fixture.Time.GetUtcNow();
        var acme = Organization.Create("acme", "Acme", now);
        var other = Organization.Create("other", "Other", now);
        await fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            db.Organizations.AddRange(acme, other);
            return await db.SaveChangesAsync();
        });
        _acme = acme.Id;
        _other = other.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task NodesStartingTogetherOnEmptyDatabase_CreateOneKeyPerOrganization()
    {
        var nodes = Enumerable.Range(0, 4).Select(_ => NewNode()).ToList();

        var loaded = await Task.WhenAll(nodes.Select(n => n.GetAsync(_acme, CancellationToken.None).AsTask()));

        var now = fixture.Time.GetUtcNow();
        Assert.Single(loaded.Select(k => k.Current("RS256", now).KeyId).Distinct());
        var stored = await StoredAsync();
        Assert.Equal(["ES256", "PS256", "RS256"], stored.Select(k => k.Algorithm).Order(StringComparer.Ordinal));
        Assert.All(stored, k => Assert.Equal(_acme, k.OrganizationId));
        Assert.Equal(loaded[0].Current("RS256", now).KeyId, stored.Single(k => k.Algorithm == "RS256").KeyId);
        nodes.ForEach(n => n.Dispose());
    }

    [Fact]
    public async Task StoredPrivateKey_IsProtected()
    {
        using var node = NewNode();
        await node.GetAsync(_acme, CancellationToken.None);

        var stored = await StoredAsync();

        Assert.Equal(3, stored.Count);
        foreach (var key in stored)
        {
            using var rsa = RSA.Create();
            using var ecdsa = ECDsa.Create();
            Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(key.ProtectedPrivateKey), out _));
            Assert.ThrowsAny<CryptographicException>(() => ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(key.ProtectedPrivateKey), out _));
        }
    }

    [Fact]
    public async Task LoadedTwiceWithinTheCacheDuration_ReturnsTheCachedSnapshot()
    {
        using var node = NewNode();

        var first = await node.GetAsync(_acme, CancellationToken.None);
        var second = await node.GetAsync(_acme, CancellationToken.None);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task TwoOrganizations_HaveDisjointKeys_AndNeitherValidatesTheOthersToken()
    {
        using var node = NewNode();
        var issuer = new JwtTokenIssuer(node, fixture.Time);
        var reader = new JwtTokenReader(node, fixture.Time);
        var userId = Guid.NewGuid();

        var tokens = await issuer.IssueAsync(Grant(_acme, userId), CancellationToken.None);

        var acmeKeys = (await issuer.GetPublicKeysAsync(_acme, CancellationToken.None)).Select(k => k.KeyId).ToList();
        var otherKeys = (await issuer.GetPublicKeysAsync(_other, CancellationToken.None)).Select(k => k.KeyId).ToList();
        Assert.NotEmpty(acmeKeys);
        Assert.NotEmpty(otherKeys);
        Assert.Empty(acmeKeys.Intersect(otherKeys));
        Assert.Contains(new JsonWebToken(tokens.AccessToken).Kid, acmeKeys);
        Assert.NotNull(await reader.ReadAccessTokenAsync(_acme, tokens.AccessToken, Issuer, Audience, CancellationToken.None));
        // Same issuer and audience strings, so only the keys tell the organizations apart.
        Assert.Null(await reader.ReadAccessTokenAsync(_other, tokens.AccessToken, Issuer, Audience, CancellationToken.None));
        Assert.Equal(IdTokenHintStatus.Invalid, (await reader.ReadIdTokenHintAsync(_other, tokens.IdToken, Issuer, "tv", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task AccessTokenFromOneNode_IsReadByAnother()
    {
        using var issuingNode = NewNode();
        using var readingNode = NewNode();
        var userId = Guid.NewGuid();
        var grant = Grant(_acme, userId);

        var tokens = await new JwtTokenIssuer(issuingNode, fixture.Time).IssueAsync(grant, CancellationToken.None);
        var reader = new JwtTokenReader(readingNode, fixture.Time);

        var read = await reader.ReadAccessTokenAsync(_acme, tokens.AccessToken, grant.Issuer, grant.Audience, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(new AccessTokenClaims(userId, "tv", "openid email", read.Jti), read);
        Assert.False(string.IsNullOrEmpty(read.Jti));
        Assert.Null(await reader.ReadAccessTokenAsync(_acme, tokens.AccessToken, "https://ciba.test/t/other/oauth2/token", grant.Audience, CancellationToken.None));
        Assert.Null(await reader.ReadAccessTokenAsync(_acme, tokens.IdToken, grant.Issuer, "tv", CancellationToken.None));
        Assert.Equal(IdTokenHint.Valid(userId), await reader.ReadIdTokenHintAsync(_acme, tokens.IdToken, grant.Issuer, "tv", CancellationToken.None));
        Assert.Equal(IdTokenHint.Invalid, await reader.ReadIdTokenHintAsync(_acme, tokens.IdToken, grant.Issuer, "kiosk", CancellationToken.None));
    }

    [Fact]
    public async Task Rotation_PublishesTheNewKeyFirst_ThenSignsWithIt_AndTokensSignedBeforeStillValidate()
    {
        using var node = NewNode();
        using var staleNode = NewNode();
        var issuer = new JwtTokenIssuer(node, fixture.Time);
        var before = await issuer.IssueAsync(Grant(_acme, Guid.NewGuid()), CancellationToken.None);
        var oldKid = new JsonWebToken(before.AccessToken).Kid;
        await staleNode.GetAsync(_acme, CancellationToken.None);

        var rotation = await node.RotateAsync(_acme, CancellationToken.None);

        Assert.False(rotation.AlreadyPending);
        var published = (await issuer.GetPublicKeysAsync(_acme, CancellationToken.None)).Select(k => k.KeyId).ToList();
        Assert.Contains(rotation.KeyId, published);
        Assert.Contains(oldKid, published);
        var stillOld = await issuer.IssueAsync(Grant(_acme, Guid.NewGuid()), CancellationToken.None);
        Assert.Equal(oldKid, new JsonWebToken(stillOld.AccessToken).Kid);

        fixture.Time.Advance(ActivationDelay);
        var after = await issuer.IssueAsync(Grant(_acme, Guid.NewGuid()), CancellationToken.None);

        Assert.Equal(rotation.KeyId, new JsonWebToken(after.AccessToken).Kid);
        // A node whose cached copy predates the rotation re-reads it after the cache duration (30 s),
        // well before the new key signs (2 min): it validates tokens of both keys.
        var staleReader = new JwtTokenReader(staleNode, fixture.Time);
        await staleNode.GetAsync(_acme, CancellationToken.None);
        await WaitUntilAsync(async () => (await staleNode.GetAsync(_acme, CancellationToken.None)).Keys.Any(k => k.KeyId == rotation.KeyId));
        Assert.NotNull(await staleReader.ReadAccessTokenAsync(_acme, before.AccessToken, Issuer, Audience, CancellationToken.None));
        Assert.NotNull(await staleReader.ReadAccessTokenAsync(_acme, after.AccessToken, Issuer, Audience, CancellationToken.None));
    }

    [Fact]
    public async Task RetiredKey_LeavesTheJwksWhenItsTokensHaveExpired()
    {
        using var node = NewNode();
        var issuer = new JwtTokenIssuer(node, fixture.Time);
        var before = await issuer.IssueAsync(Grant(_acme, Guid.NewGuid()), CancellationToken.None);
        var oldKid = new JsonWebToken(before.AccessToken).Kid;
        await node.RotateAsync(_acme, CancellationToken.None);
        fixture.Time.Advance(ActivationDelay);

        fixture.Time.Advance(SigningKeyRing.PublishedAfterRetirement - TimeSpan.FromSeconds(1));
        Assert.Contains(oldKid, (await FreshIssuer().GetPublicKeysAsync(_acme, CancellationToken.None)).Select(k => k.KeyId));

        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        var published = (await FreshIssuer().GetPublicKeysAsync(_acme, CancellationToken.None)).Select(k => k.KeyId).ToList();

        Assert.DoesNotContain(oldKid, published);
        Assert.Equal(3, published.Count); // the current key of each algorithm
        Assert.Contains((await node.ListAsync(_acme, CancellationToken.None)), k => k.KeyId == oldKid && k.State == SigningKeyState.Unpublished);
    }

    [Fact]
    public async Task TwoNodesRotatingAtOnce_MakeOneNewKey()
    {
        using var first = NewNode();
        using var second = NewNode();
        await first.GetAsync(_acme, CancellationToken.None);

        var rotations = await Task.WhenAll(first.RotateAsync(_acme, CancellationToken.None), second.RotateAsync(_acme, CancellationToken.None));

        Assert.Equal(6, (await StoredAsync()).Count); // one current and one pending key per algorithm
        Assert.Single(rotations.Select(r => r.KeyId).Distinct());
        Assert.Single(rotations, r => !r.AlreadyPending);
    }

    [Fact]
    public async Task ScheduledRotation_OnTwoNodesAtOnce_RotatesDueOrganizationsOnce()
    {
        using var first = NewNode();
        using var second = NewNode();
        await first.GetAsync(_acme, CancellationToken.None);
        await first.GetAsync(_other, CancellationToken.None);
        Assert.Equal(0, await first.RotateDueKeysAsync(CancellationToken.None));

        fixture.Time.Advance(new SigningKeyOptions().RotateAfter);
        var rotated = await Task.WhenAll(first.RotateDueKeysAsync(CancellationToken.None), second.RotateDueKeysAsync(CancellationToken.None));

        Assert.Equal(2, rotated.Sum());
        Assert.Equal(12, (await StoredAsync()).Count);
        Assert.Equal(0, await first.RotateDueKeysAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(29, IdTokenHintStatus.Valid)]
    [InlineData(31, IdTokenHintStatus.ExpiredTooLongAgo)]
    public async Task IdTokenHint_IsAcceptedUpTo30DaysPastExpiry(int daysPastExpiry, IdTokenHintStatus expected)
    {
        using var node = NewNode();
        var tokens = await new JwtTokenIssuer(node, fixture.Time).IssueAsync(Grant(_acme, Guid.NewGuid()), CancellationToken.None);

        fixture.Time.Advance(TimeSpan.FromSeconds(JwtTokenIssuer.IdTokenLifetimeSeconds) + TimeSpan.FromDays(daysPastExpiry));
        var hint = await new JwtTokenReader(node, fixture.Time).ReadIdTokenHintAsync(_acme, tokens.IdToken, Issuer, "tv", CancellationToken.None);

        Assert.Equal(expected, hint.Status);
    }

    private TokenGrant Grant(Guid organizationId, Guid userId) =>
        new(organizationId, Issuer, Audience, "tv", userId, "openid email", fixture.Time.GetUtcNow(), fixture.Time.GetUtcNow());

    private JwtTokenIssuer FreshIssuer() => new(NewNode(), fixture.Time);

    private Task<List<SigningKey>> StoredAsync() =>
        fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().SigningKeys.AsNoTracking().ToListAsync());

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50);
        }
    }

    private SigningKeyRing NewNode() => ActivatorUtilities.CreateInstance<SigningKeyRing>(fixture.Services);
}
