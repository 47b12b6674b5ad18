using System.Net;
using System.Text.Json;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Retention;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Tokens;

/// <summary>
/// RFC 7009 §2.1 (ADR 0025): revoking a refresh token, detecting its reuse, or signing the application
/// out revokes the access tokens issued with the same grant; other grants are untouched. And
/// <c>token_type_hint</c> is only a hint: a wrong or unknown one still finds the token.
/// </summary>
public sealed class GrantFamilyRevocationTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly TokenLifecycleClient _client = new(factory);

    [Fact]
    public async Task AccessToken_OfAGrantWithARefreshToken_NamesItsFamily_OthersDoNot()
    {
        var withRefresh = await _client.GrantAsync();
        var withoutRefresh = await _client.GrantAsync("openid profile");

        var stored = await _client.StoredRefreshTokenAsync(withRefresh.RefreshToken!);
        Assert.Equal(stored!.FamilyId.ToString("N"), TokenLifecycleClient.Payload(withRefresh.AccessToken).GetProperty("grant_id").GetString());
        Assert.Null(withoutRefresh.RefreshToken);
        Assert.False(TokenLifecycleClient.Payload(withoutRefresh.AccessToken).TryGetProperty("grant_id", out _));
    }

    [Fact]
    public async Task Revoke_RefreshToken_RevokesEveryAccessTokenOfItsGrant_AndNoOtherGrants()
    {
        var first = await _client.GrantAsync();
        var refreshed = await _client.RefreshOkAsync(first.RefreshToken!);
        var other = await _client.GrantAsync();
        Assert.Equal(TokenLifecycleClient.Payload(first.AccessToken).GetProperty("grant_id").GetString(), TokenLifecycleClient.Payload(refreshed.AccessToken).GetProperty("grant_id").GetString());

        using var response = await _client.RevokeAsync(refreshed.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var accessToken in new[] { first.AccessToken, refreshed.AccessToken })
        {
            AssertInactive(await _client.IntrospectOkAsync(accessToken));
            Assert.Equal(HttpStatusCode.Unauthorized, await _client.UserInfoStatusAsync(accessToken));
        }

        Assert.True((await _client.IntrospectOkAsync(other.AccessToken)).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await _client.UserInfoStatusAsync(other.AccessToken));
        await _client.RefreshOkAsync(other.RefreshToken!);
    }

    [Fact]
    public async Task ReuseOfARotatedRefreshToken_RevokesTheAccessTokensOfItsGrant()
    {
        var first = await _client.GrantAsync();
        var refreshed = await _client.RefreshOkAsync(first.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, await _client.UserInfoStatusAsync(refreshed.AccessToken));

        using var reuse = await _client.RefreshAsync(first.RefreshToken!);

        await ProtocolClient.AssertOAuthErrorAsync(reuse, HttpStatusCode.BadRequest, "invalid_grant");
        AssertInactive(await _client.IntrospectOkAsync(refreshed.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await _client.UserInfoStatusAsync(refreshed.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await _client.UserInfoStatusAsync(first.AccessToken));
    }

    [Fact]
    public async Task AccountPage_SignOut_RevokesTheApplicationsAccessTokens()
    {
        var tokens = await _client.GrantAsync("openid offline_access", "demo-kiosk");
        var tvTokens = await _client.GrantAsync();
        using var alice = await ConsoleSession.SignInAsync(factory, "alice", "Alice-Passw0rd!");
        var kioskId = await factory.ReadAsync(db => db.Applications.Where(a => a.ClientId == "demo-kiosk").Select(a => a.Id).SingleAsync());

        using var signOut = await alice.PostFormAsync($"/t/demo/account/applications/{kioskId}/sign-out", [], "/t/demo/account/applications");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await _client.UserInfoStatusAsync(tokens.AccessToken));
        AssertInactive(await _client.IntrospectOkAsync(tokens.AccessToken, "demo-kiosk"));
        Assert.Equal(HttpStatusCode.OK, await _client.UserInfoStatusAsync(tvTokens.AccessToken));
    }

    [Fact]
    public async Task ConsoleUserPage_SignOut_RevokesTheApplicationsAccessTokens()
    {
        var tokens = await _client.GrantAsync("openid offline_access");
        using var admin = await ConsoleSession.AdminAsync(factory);
        var aliceId = await _client.Protocol.UserIdAsync("alice");
        var userPath = $"/t/demo/console/users/{aliceId}";
        var tvId = await factory.ReadAsync(db => db.Applications.Where(a => a.ClientId == "demo-tv").Select(a => a.Id).SingleAsync());

        using var signOut = await admin.PostFormAsync($"{userPath}/applications/{tvId}/sign-out", [], userPath);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await _client.UserInfoStatusAsync(tokens.AccessToken));
        AssertInactive(await _client.IntrospectOkAsync(tokens.AccessToken));
    }

    [Fact]
    public async Task RevokedFamily_IsKeptWhileItsAccessTokensLive_ThenPurged()
    {
        var tokens = await _client.GrantAsync();
        var familyId = (await _client.StoredRefreshTokenAsync(tokens.RefreshToken!))!.FamilyId;
        using (await _client.RevokeAsync(tokens.RefreshToken!))
        {
        }

        factory.Time.Advance(TimeSpan.FromMinutes(59));
        await PurgeAsync();
        Assert.True(await IsRecordedAsync(familyId));
        AssertInactive(await _client.IntrospectOkAsync(tokens.AccessToken));

        factory.Time.Advance(TimeSpan.FromMinutes(2));
        await PurgeAsync();
        Assert.False(await IsRecordedAsync(familyId));
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData("id_token")]
    [InlineData("not-a-type")]
    public async Task Revoke_RefreshTokenWithAWrongOrUnknownHint_StillRevokesIt(string hint)
    {
        var tokens = await _client.GrantAsync();

        using var response = await _client.RevokeAsync(tokens.RefreshToken!, hint: hint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var refresh = await _client.RefreshAsync(tokens.RefreshToken!);
        await ProtocolClient.AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("refresh_token")]
    [InlineData("urn:example:unknown")]
    public async Task Revoke_AccessTokenWithAWrongOrUnknownHint_StillRevokesIt(string hint)
    {
        var tokens = await _client.GrantAsync("openid profile");

        using var response = await _client.RevokeAsync(tokens.AccessToken, hint: hint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await _client.UserInfoStatusAsync(tokens.AccessToken));
    }

    [Theory]
    [InlineData("access_token", "refresh_token")]
    [InlineData("refresh_token", "access_token")]
    [InlineData("something", "something")]
    public async Task Introspect_WithAWrongOrUnknownHint_StillFindsTheToken(string accessHint, string refreshHint)
    {
        var tokens = await _client.GrantAsync();

        using var access = await _client.IntrospectAsync(tokens.AccessToken, hint: refreshHint);
        using var refresh = await _client.IntrospectAsync(tokens.RefreshToken!, hint: accessHint);

        foreach (var response in new[] { access, refresh })
        {
            await ProtocolClient.AssertOkAsync(response);
            using var json = await ProtocolClient.ReadJsonAsync(response);
            Assert.True(json.RootElement.GetProperty("active").GetBoolean());
        }
    }

    public void Dispose() => _client.Dispose();

    private static void AssertInactive(JsonElement answer)
    {
        Assert.False(answer.GetProperty("active").GetBoolean());
        Assert.Single(answer.EnumerateObject());
    }

    private async Task PurgeAsync()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if ((await factory.Services.GetRequiredService<RetentionPurger>().PurgeAsync(CancellationToken.None)).Ran)
            {
                return;
            }

            await Task.Delay(100);
        }
    }

    private async Task<bool> IsRecordedAsync(Guid familyId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CibaDbContext>().RevokedGrantFamilies.AnyAsync(f => f.FamilyId == familyId);
    }
}
