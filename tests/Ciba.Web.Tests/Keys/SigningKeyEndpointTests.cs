using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Persistence;
using Ciba.Infrastructure.Tokens;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Ciba.Web.Tests.Keys;

/// <summary>Issue 17 item 2 over HTTP: each organization's JWKS, tokens and userinfo use its own keys; the console rotates them.</summary>
public sealed class SigningKeyEndpointTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Jwks_OfTwoOrganizations_AreDisjoint_AndUserInfoRefusesTheOtherOrganizationsToken()
    {
        var handle = await CreateOrganizationAsync("keys-a");
        var accessToken = await AccessTokenAsync();

        var demoKeys = await KeyIdsAsync("demo");
        var otherKeys = await KeyIdsAsync(handle);
        using var response = await UserInfoAsync(handle, accessToken);

        Assert.NotEmpty(demoKeys);
        Assert.NotEmpty(otherKeys);
        Assert.Empty(demoKeys.Intersect(otherKeys));
        Assert.Contains(new JsonWebToken(accessToken).Kid, demoKeys);
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task ConsoleRotation_PublishesTheNewKey_OldTokensStillValidate_NewTokensUseTheNewKey()
    {
        var before = await AccessTokenAsync();
        var oldKid = new JsonWebToken(before).Kid;
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var rotate = await admin.PostFormAsync("/t/demo/console/signing-keys/rotate", [], "/t/demo/console/signing-keys");

        Assert.Equal(HttpStatusCode.Redirect, rotate.StatusCode);
        var page = await admin.GetPageAsync("/t/demo/console/signing-keys");
        Assert.Contains("Published, signs soon", page, StringComparison.Ordinal);
        Assert.Contains(oldKid, page, StringComparison.Ordinal);
        var published = await KeyIdsAsync("demo");
        Assert.Equal(6, published.Count); // the current and the new key of each of RS256, PS256, ES256 (ADR 0023)
        Assert.Equal(oldKid, new JsonWebToken(await AccessTokenAsync()).Kid);

        factory.Time.Advance(new SigningKeyOptions().ActivationDelay);
        var after = await AccessTokenAsync();

        Assert.NotEqual(oldKid, new JsonWebToken(after).Kid);
        Assert.Contains(new JsonWebToken(after).Kid, published);
        using var oldResponse = await UserInfoAsync("demo", before);
        using var newResponse = await UserInfoAsync("demo", after);
        await ProtocolClient.AssertOkAsync(oldResponse);
        await ProtocolClient.AssertOkAsync(newResponse);
        Assert.Contains("Retired, still published", await admin.GetPageAsync("/t/demo/console/signing-keys"), StringComparison.Ordinal);
    }

    public void Dispose() => _client.Dispose();

    private async Task<string> CreateOrganizationAsync(string handle)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        db.Organizations.Add(Organization.Create(handle, "Keys test", factory.Time.GetUtcNow()));
        await db.SaveChangesAsync();
        return handle;
    }

    private async Task<List<string>> KeyIdsAsync(string handle)
    {
        using var response = await _client.Http.GetAsync(new Uri($"/t/{handle}/oauth2/jwks", UriKind.Relative));
        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        return json.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToList();
    }

    private async Task<HttpResponseMessage> UserInfoAsync(string handle, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/t/{handle}/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await _client.Http.SendAsync(request);
    }

    private async Task<string> AccessTokenAsync()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        using var response = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}

/// <summary>Issue 9 item 10 over HTTP: an <c>id_token_hint</c> is accepted up to 30 days past its expiry (product.md §12).</summary>
public sealed class IdTokenHintAgeTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task IdTokenHint_29DaysPastExpiry_IsAccepted_31Days_IsInvalidRequest()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        using var tokenResponse = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOkAsync(tokenResponse);
        using var tokens = await ProtocolClient.ReadJsonAsync(tokenResponse);
        var idToken = tokens.RootElement.GetProperty("id_token").GetString()!;

        factory.Time.Advance(TimeSpan.FromSeconds(JwtTokenIssuer.IdTokenLifetimeSeconds) + TimeSpan.FromDays(29));
        using var accepted = await HintAsync(idToken);
        factory.Time.Advance(TimeSpan.FromDays(2));
        using var refused = await HintAsync(idToken);

        await ProtocolClient.AssertOkAsync(accepted);
        await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_request");
    }

    public void Dispose() => _client.Dispose();

    private Task<HttpResponseMessage> HintAsync(string idToken) =>
        _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["id_token_hint"] = idToken,
            ["notification_channel"] = "external",
        });
}
