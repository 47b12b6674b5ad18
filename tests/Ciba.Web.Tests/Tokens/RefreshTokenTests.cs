using System.Net;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Web.Tests.Protocol;

namespace Ciba.Web.Tests.Tokens;

/// <summary>product.md §13 refresh tokens over HTTP: issue, rotate, reuse, lifetimes, narrowing.</summary>
public sealed class RefreshTokenTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly TokenLifecycleClient _client = new(factory);

    [Fact]
    public async Task CibaGrant_WithOfflineAccess_IssuesAnOpaqueRefreshTokenStoredAsAHashOnly()
    {
        var tokens = await _client.GrantAsync("openid profile offline_access");

        Assert.NotNull(tokens.RefreshToken);
        Assert.Equal(43, tokens.RefreshToken.Length);
        Assert.DoesNotContain('.', tokens.RefreshToken);
        var stored = await _client.StoredRefreshTokenAsync(tokens.RefreshToken);
        Assert.NotNull(stored);
        Assert.Equal(SecretHashing.HashToken(tokens.RefreshToken), stored.TokenHash);
        Assert.Equal("openid profile offline_access", stored.Scope);
    }

    [Fact]
    public async Task CibaGrant_WithoutOfflineAccess_IssuesNoRefreshToken_UnlessTheApplicationAlwaysIssuesOne()
    {
        Assert.Null((await _client.GrantAsync("openid profile", "demo-kiosk")).RefreshToken);

        await _client.UpdateApplicationAsync("demo-kiosk", a => a.UpdateTokens(RefreshTokenSettings.Create(3600, 600, alwaysIssue: true), a.ApiScopes, factory.Time.GetUtcNow()));
        try
        {
            Assert.NotNull((await _client.GrantAsync("openid profile", "demo-kiosk")).RefreshToken);
        }
        finally
        {
            await _client.UpdateApplicationAsync("demo-kiosk", a => a.UpdateTokens(RefreshTokenSettings.Default, a.ApiScopes, factory.Time.GetUtcNow()));
        }
    }

    [Fact]
    public async Task CibaGrant_ClientWithoutTheRefreshTokenGrant_IssuesNoRefreshToken_AndCannotRefresh()
    {
        var tokens = await _client.GrantAsync("openid offline_access");
        await _client.UpdateApplicationAsync("demo-tv", a => a.UpdateProtocol([GrantTypes.Ciba], a.CibaSettings, factory.Time.GetUtcNow()));
        try
        {
            Assert.Null((await _client.GrantAsync("openid offline_access")).RefreshToken);
            using var refused = await _client.RefreshAsync(tokens.RefreshToken!);
            await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "unauthorized_client");
        }
        finally
        {
            await _client.UpdateApplicationAsync("demo-tv", a => a.UpdateProtocol([GrantTypes.Ciba, GrantTypes.RefreshToken], a.CibaSettings, factory.Time.GetUtcNow()));
        }
    }

    [Fact]
    public async Task Refresh_RotatesTheToken_AndTheNewOneWorks()
    {
        var first = await _client.GrantAsync();

        var second = await _client.RefreshOkAsync(first.RefreshToken!);
        var third = await _client.RefreshOkAsync(second.RefreshToken!);

        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.NotEqual(second.RefreshToken, third.RefreshToken);
        Assert.Equal("openid profile offline_access", third.Scope);
        Assert.Equal(HttpStatusCode.OK, await _client.UserInfoStatusAsync(third.AccessToken));
        var stored = await _client.StoredRefreshTokenAsync(third.RefreshToken!);
        var original = await _client.StoredRefreshTokenAsync(first.RefreshToken!);
        Assert.Equal(original!.FamilyId, stored!.FamilyId);
        Assert.NotNull(original.RotatedAt);
    }

    [Fact]
    public async Task Refresh_ReuseOfARotatedToken_IsInvalidGrantAndRevokesTheWholeFamily()
    {
        var first = await _client.GrantAsync();
        var second = await _client.RefreshOkAsync(first.RefreshToken!);

        using var reuse = await _client.RefreshAsync(first.RefreshToken!);
        await ProtocolClient.AssertOAuthErrorAsync(reuse, HttpStatusCode.BadRequest, "invalid_grant");

        using var successor = await _client.RefreshAsync(second.RefreshToken!);
        await ProtocolClient.AssertOAuthErrorAsync(successor, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.NotNull((await _client.StoredRefreshTokenAsync(second.RefreshToken!))!.RevokedAt);
    }

    [Fact]
    public async Task Refresh_IdTokenKeepsAuthTimeAndSubject()
    {
        var first = await _client.GrantAsync();
        var firstId = TokenLifecycleClient.Payload(first.IdToken);
        factory.Time.Advance(TimeSpan.FromMinutes(10));

        var refreshed = await _client.RefreshOkAsync(first.RefreshToken!);

        var id = TokenLifecycleClient.Payload(refreshed.IdToken);
        Assert.Equal(firstId.GetProperty("auth_time").GetInt64(), id.GetProperty("auth_time").GetInt64());
        Assert.Equal(firstId.GetProperty("sub").GetString(), id.GetProperty("sub").GetString());
        Assert.True(id.GetProperty("iat").GetInt64() >= firstId.GetProperty("iat").GetInt64() + 600);
        Assert.Equal(id.GetProperty("auth_time").GetInt64(), TokenLifecycleClient.Payload(refreshed.AccessToken).GetProperty("auth_time").GetInt64());
    }

    [Fact]
    public async Task Refresh_WithANarrowerScope_NarrowsTheAccessToken_ButNotTheGrant()
    {
        var first = await _client.GrantAsync("openid profile email offline_access");

        var narrow = await _client.RefreshOkAsync(first.RefreshToken!, scope: "email");

        Assert.Equal("openid email", narrow.Scope);
        Assert.Equal("openid email", TokenLifecycleClient.Payload(narrow.AccessToken).GetProperty("scope").GetString());
        var wide = await _client.RefreshOkAsync(narrow.RefreshToken!);
        Assert.Equal("openid profile email offline_access", wide.Scope);
    }

    [Fact]
    public async Task Refresh_WithAWiderScope_IsInvalidScope_AndTheTokenStillWorks()
    {
        var first = await _client.GrantAsync("openid profile offline_access");

        using var response = await _client.RefreshAsync(first.RefreshToken!, scope: "openid phone");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
        await _client.RefreshOkAsync(first.RefreshToken!);
    }

    [Fact]
    public async Task Refresh_AfterTheIdleLifetime_IsInvalidGrant()
    {
        await _client.UpdateApplicationAsync("demo-kiosk", a => a.UpdateTokens(RefreshTokenSettings.Create(3600, 600, alwaysIssue: false), a.ApiScopes, factory.Time.GetUtcNow()));
        try
        {
            var first = await _client.GrantAsync(clientId: "demo-kiosk");
            factory.Time.Advance(TimeSpan.FromSeconds(599));
            var second = await _client.RefreshOkAsync(first.RefreshToken!, "demo-kiosk");

            factory.Time.Advance(TimeSpan.FromSeconds(600));
            using var idle = await _client.RefreshAsync(second.RefreshToken!, "demo-kiosk");

            await ProtocolClient.AssertOAuthErrorAsync(idle, HttpStatusCode.BadRequest, "invalid_grant");
        }
        finally
        {
            await _client.UpdateApplicationAsync("demo-kiosk", a => a.UpdateTokens(RefreshTokenSettings.Default, a.ApiScopes, factory.Time.GetUtcNow()));
        }
    }

    [Fact]
    public async Task Refresh_AfterTheAbsoluteLifetime_IsInvalidGrant_HoweverOftenItWasUsed()
    {
        await _client.UpdateApplicationAsync("demo-kiosk", a => a.UpdateTokens(RefreshTokenSettings.Create(1000, 600, alwaysIssue: false), a.ApiScopes, factory.Time.GetUtcNow()));
        try
        {
            var tokens = await _client.GrantAsync(clientId: "demo-kiosk");
            factory.Time.Advance(TimeSpan.FromSeconds(500));
            tokens = await _client.RefreshOkAsync(tokens.RefreshToken!, "demo-kiosk");
            factory.Time.Advance(TimeSpan.FromSeconds(499));
            tokens = await _client.RefreshOkAsync(tokens.RefreshToken!, "demo-kiosk");

            factory.Time.Advance(TimeSpan.FromSeconds(1));
            using var response = await _client.RefreshAsync(tokens.RefreshToken!, "demo-kiosk");

            await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
        }
        finally
        {
            await _client.UpdateApplicationAsync("demo-kiosk", a => a.UpdateTokens(RefreshTokenSettings.Default, a.ApiScopes, factory.Time.GetUtcNow()));
        }
    }

    [Fact]
    public async Task Refresh_AnotherClientsToken_IsInvalidGrant_AndLeavesItAlone()
    {
        var tokens = await _client.GrantAsync();

        using var response = await _client.RefreshAsync(tokens.RefreshToken!, "demo-kiosk");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
        await _client.RefreshOkAsync(tokens.RefreshToken!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    public async Task Refresh_UnknownToken_IsInvalidGrant_MissingIsInvalidRequest(string token)
    {
        using var response = await _client.RefreshAsync(token);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, token.Length == 0 ? "invalid_request" : "invalid_grant");
    }

    [Fact]
    public async Task Refresh_WrongClientSecret_IsInvalidClient()
    {
        var tokens = await _client.GrantAsync();

        using var response = await _client.Protocol.PostFormAsync(
            ProtocolClient.TokenPath,
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.RefreshToken! },
            "demo-tv",
            "wrong");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    public void Dispose() => _client.Dispose();
}
