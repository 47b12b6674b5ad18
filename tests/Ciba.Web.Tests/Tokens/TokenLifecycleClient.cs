using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Infrastructure.Persistence;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Tokens;

/// <summary>Gets tokens through a whole CIBA flow and calls the refresh, revocation and introspection endpoints.</summary>
public sealed class TokenLifecycleClient(CibaWebFactory factory) : IDisposable
{
    public const string RevokePath = "/t/demo/oauth2/revoke";
    public const string IntrospectPath = "/t/demo/oauth2/introspect";
    public const string UserInfoPath = "/t/demo/oauth2/userinfo";

    public ProtocolClient Protocol { get; } = new(factory);

    /// <summary>Runs a CIBA flow for alice (external channel) and returns the token response.</summary>
    public async Task<TokenSet> GrantAsync(string scope = "openid profile offline_access", string clientId = "demo-tv", string? resource = null)
    {
        var (authReqId, linkKey) = await Protocol.StartExternalAsync(clientId, adjust: form =>
        {
            form["scope"] = scope;
            if (resource is not null)
            {
                form["resource"] = resource;
            }
        });
        Assert.True((await Protocol.ApproveAsync(linkKey)).IsSuccess);
        using var response = await Protocol.PollAsync(authReqId, clientId);
        await ProtocolClient.AssertOkAsync(response);
        return await TokenSet.ReadAsync(response);
    }

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken, string clientId = "demo-tv", string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return Protocol.PostFormAsync(ProtocolClient.TokenPath, form, clientId);
    }

    public async Task<TokenSet> RefreshOkAsync(string refreshToken, string clientId = "demo-tv", string? scope = null)
    {
        using var response = await RefreshAsync(refreshToken, clientId, scope);
        await ProtocolClient.AssertOkAsync(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
        return await TokenSet.ReadAsync(response);
    }

    public Task<HttpResponseMessage> RevokeAsync(string token, string clientId = "demo-tv", string? hint = null) =>
        Protocol.PostFormAsync(RevokePath, Form(token, hint), clientId);

    public Task<HttpResponseMessage> IntrospectAsync(string token, string clientId = "demo-tv", string? hint = null) =>
        Protocol.PostFormAsync(IntrospectPath, Form(token, hint), clientId);

    public async Task<JsonElement> IntrospectOkAsync(string token, string clientId = "demo-tv")
    {
        using var response = await IntrospectAsync(token, clientId);
        await ProtocolClient.AssertOkAsync(response);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store is missing.");
        using var json = await ProtocolClient.ReadJsonAsync(response);
        return json.RootElement.Clone();
    }

    public async Task<HttpStatusCode> UserInfoStatusAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, UserInfoPath);
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await Protocol.Http.SendAsync(request);
        return response.StatusCode;
    }

    public async Task UpdateApplicationAsync(string clientId, Action<ClientApplication> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
        change(application);
        await db.SaveChangesAsync();
    }

    public async Task<Domain.Tokens.RefreshToken?> StoredRefreshTokenAsync(string raw)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var hash = SecretHashing.HashToken(raw);
        return await scope.ServiceProvider.GetRequiredService<CibaDbContext>().RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash);
    }

    public static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1];
        using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(part));
        return json.RootElement.Clone();
    }

    public void Dispose() => Protocol.Dispose();

    private static Dictionary<string, string> Form(string token, string? hint)
    {
        var form = new Dictionary<string, string> { ["token"] = token };
        if (hint is not null)
        {
            form["token_type_hint"] = hint;
        }

        return form;
    }
}

public sealed record TokenSet(string AccessToken, string IdToken, string? RefreshToken, string Scope)
{
    public static async Task<TokenSet> ReadAsync(HttpResponseMessage response)
    {
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var root = json.RootElement;
        return new TokenSet(
            root.GetProperty("access_token").GetString()!,
            root.GetProperty("id_token").GetString()!,
            root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            root.GetProperty("scope").GetString()!);
    }
}
