using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Ciba.Testing;
using Ciba.Web.Tests.Protocol;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ciba.Web.Tests.Callbacks;

/// <summary>
/// Issue 12: ping and push (CIBA Core §10.2, §10.3, §12; product.md §11) end to end over HTTP, with
/// a local receiver on 127.0.0.1 recording every callback and scripting its answers.
/// </summary>
public sealed class CallbackDeliveryTests(CallbackWebFactory factory) : IClassFixture<CallbackWebFactory>, IAsyncLifetime
{
    private const string Token = "Zm9vYmFyLWJhei4xMjM0NTY3ODkw~_-+/w==";

    private readonly ProtocolClient _client = new(factory);
    private readonly RecordingHttpServer _receiver = RecordingHttpServer.Start();

    public Task InitializeAsync()
    {
        _receiver.DefaultResponse = new ScriptedResponse(204, string.Empty);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await factory.UseDeliveryAsync(TokenDeliveryMode.Poll, null);
        _client.Dispose();
    }

    private string Endpoint => _receiver.BaseUrl + "/ciba/notify?client=kiosk";

    private Task<(string AuthReqId, string LinkKey)> StartAsync(string? token = Token, Action<Dictionary<string, string>>? adjust = null) =>
        _client.StartExternalAsync("demo-kiosk", adjust: form =>
        {
            if (token is not null)
            {
                form["client_notification_token"] = token;
            }

            adjust?.Invoke(form);
        });

    [Fact]
    public async Task Ping_AfterApproval_PostsOnlyAuthReqIdWithTheBearerToken_ThenTheTokenEndpointIssues()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);

        var callback = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("POST", callback.Method);
        Assert.Equal("/ciba/notify", callback.Path);
        Assert.Equal("?client=kiosk", callback.Query);
        Assert.Equal("Bearer " + Token, callback.Headers["Authorization"]);
        Assert.StartsWith("application/json", callback.ContentType, StringComparison.Ordinal);
        using (var body = JsonDocument.Parse(callback.Body))
        {
            var member = Assert.Single(body.RootElement.EnumerateObject());
            Assert.Equal("auth_req_id", member.Name);
            Assert.Equal(authReqId, member.Value.GetString());
        }

        var message = await factory.WaitForMessageAsync(authReqId, m => m.Status == DeliveryStatus.Sent);
        Assert.Equal(MessageChannel.Ping, message.Channel);
        Assert.Null(message.ProtectedContent);
        Assert.False(await factory.StillHoldsCallbackAsync(authReqId));

        using var tokens = await _client.PollAsync(authReqId, "demo-kiosk");
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
    }

    [Fact]
    public async Task Ping_AfterDenial_PostsAuthReqId_AndTheTokenEndpointAnswersAccessDenied()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        Assert.True((await _client.DenyAsync(linkKey)).IsSuccess);

        var callback = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal($$"""{"auth_req_id":"{{authReqId}}"}""", callback.Body);

        using var response = await _client.PollAsync(authReqId, "demo-kiosk");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "access_denied");
    }

    [Fact]
    public async Task Ping_ClientsMayAlsoPoll_BeforeTheDecision()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, _) = await StartAsync();

        using var response = await _client.PollAsync(authReqId, "demo-kiosk");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "authorization_pending");
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task Ping_ReceiverAnswering200WithABody_IsDelivered_AndTheTokenEndpointWorks()
    {
        _receiver.DefaultResponse = new ScriptedResponse(200, """{"ok":true,"note":"a body the server ignores"}""");
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        await _client.ApproveAsync(linkKey);

        var message = await factory.WaitForMessageAsync(authReqId, m => m.Status != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Sent, message.Status);
        Assert.Equal("HTTP 200", message.ProviderMessageId);
        using var tokens = await _client.PollAsync(authReqId, "demo-kiosk");
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Ping_ReceiverAnswering401Or403_IsCalledExactlyOnce_AndTheTokensStayRedeemable(int status)
    {
        _receiver.DefaultResponse = new ScriptedResponse(status, string.Empty);
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        await _client.ApproveAsync(linkKey);

        var message = await factory.WaitForMessageAsync(authReqId, m => m.Status != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        Assert.Contains($"HTTP {status}", message.LastError, StringComparison.Ordinal);

        // Well past every backoff: still exactly one call.
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(600);
        Assert.Single(_receiver.Requests);

        using var tokens = await _client.PollAsync(authReqId, "demo-kiosk");
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
    }

    [Fact]
    public async Task Ping_ReceiverAnswering301_IsNotFollowed_TheTargetIsNeverCalled()
    {
        await using var target = RecordingHttpServer.Start();
        _receiver.DefaultResponse = new ScriptedResponse(301, string.Empty, Headers: new Dictionary<string, string> { ["Location"] = target.BaseUrl + "/stolen" });
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        await _client.ApproveAsync(linkKey);

        var message = await factory.WaitForMessageAsync(authReqId, m => m.Status != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        Assert.Contains("redirect, not followed", message.LastError, StringComparison.Ordinal);
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(600);
        Assert.Single(_receiver.Requests);
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task Ping_ReceiverAnswering500Then200_IsRetried_AndDeliveredOnce_EachAttemptRecorded()
    {
        _receiver.Enqueue(500, "oops");
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        await _client.ApproveAsync(linkKey);

        await _receiver.WaitForAsync(1);
        var first = await factory.WaitForMessageAsync(authReqId, m => m.Attempts == 1);
        Assert.Equal(DeliveryStatus.Pending, first.Status);
        Assert.Contains("HTTP 500", first.LastError, StringComparison.Ordinal);

        factory.Time.Advance(TimeSpan.FromSeconds(3));
        var delivered = await factory.WaitForMessageAsync(authReqId, m => m.Status == DeliveryStatus.Sent);
        Assert.Equal(2, delivered.Attempts);
        factory.Time.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(600);
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.All(_receiver.Requests, r => Assert.Equal($$"""{"auth_req_id":"{{authReqId}}"}""", r.Body));

        var attempts = (await factory.AttemptsAsync(delivered)).Attempts;
        Assert.Collection(
            attempts,
            a => { Assert.Equal(1, a.Number); Assert.Equal(DeliveryStatus.Pending, a.Outcome); Assert.Contains("HTTP 500", a.Detail, StringComparison.Ordinal); },
            a => { Assert.Equal(2, a.Number); Assert.Equal(DeliveryStatus.Sent, a.Outcome); Assert.Equal("HTTP 204", a.Detail); });
    }

    [Fact]
    public async Task Ping_ReceiverThatNeverAnswers_TimesOut_AndIsRetried()
    {
        _receiver.Enqueue(new ScriptedResponse(204, string.Empty, Delay: TimeSpan.FromSeconds(20)));
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        await _client.ApproveAsync(linkKey);

        var first = await factory.WaitForMessageAsync(authReqId, m => m.Attempts == 1);
        Assert.Equal(DeliveryStatus.Pending, first.Status);
        Assert.Contains("timeout", first.LastError, StringComparison.Ordinal);

        factory.Time.Advance(TimeSpan.FromSeconds(3));
        var delivered = await factory.WaitForMessageAsync(authReqId, m => m.Status == DeliveryStatus.Sent);
        Assert.Equal(2, delivered.Attempts);
        Assert.Equal(2, _receiver.Requests.Count);
    }

    [Fact]
    public async Task Ping_NotificationTokenOf1024Characters_IsEchoedExactly()
    {
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";
        var token = string.Concat(Enumerable.Range(0, 1023).Select(i => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)])) + "=";
        Assert.Equal(1024, token.Length);
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (_, linkKey) = await StartAsync(token);
        await _client.ApproveAsync(linkKey);

        var callback = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("Bearer " + token, callback.Headers["Authorization"]);
    }

    [Theory]
    [InlineData(TokenDeliveryMode.Ping, null)]
    [InlineData(TokenDeliveryMode.Push, null)]
    [InlineData(TokenDeliveryMode.Ping, "")]
    [InlineData(TokenDeliveryMode.Ping, "has space")]
    [InlineData(TokenDeliveryMode.Push, "quote\"d")]
    [InlineData(TokenDeliveryMode.Ping, "==")]
    [InlineData(TokenDeliveryMode.Ping, "abc=def")]
    [InlineData(TokenDeliveryMode.Ping, "ünïcode")]
    [InlineData(TokenDeliveryMode.Push, "1025")]
    public async Task Backchannel_MissingOrMalformedNotificationToken_ForPingAndPush_IsInvalidRequest(TokenDeliveryMode mode, string? token)
    {
        if (token == "1025")
        {
            token = new string('a', 1025);
        }

        await factory.UseDeliveryAsync(mode, Endpoint);
        var form = ProtocolClient.ExternalRequest();
        if (token is not null)
        {
            form["client_notification_token"] = token;
        }

        using var response = await _client.BackchannelAsync(form, "demo-kiosk");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Backchannel_PollClient_IgnoresNotificationToken_AndIsNeverCalled()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Poll, null);
        var (authReqId, linkKey) = await StartAsync("not a b64token!");
        await _client.ApproveAsync(linkKey);
        using var tokens = await _client.PollAsync(authReqId, "demo-kiosk");
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        Assert.Empty(await factory.CallbacksAsync(authReqId));
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task Push_AfterApproval_PostsTheTokenResponse_WithAVerifiableIdTokenBoundToTheRequest()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Push, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);

        var callback = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("Bearer " + Token, callback.Headers["Authorization"]);
        using var body = JsonDocument.Parse(callback.Body);
        var root = body.RootElement;
        Assert.Equal(authReqId, root.GetProperty("auth_req_id").GetString());
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.True(root.GetProperty("expires_in").GetInt32() > 0);
        var accessToken = root.GetProperty("access_token").GetString()!;
        var idToken = root.GetProperty("id_token").GetString()!;

        // The ID token: signed by a key of the organization's JWKS, for this client, bound to the request.
        using var jwksResponse = await _client.Http.GetAsync("/t/demo/oauth2/jwks");
        var jwks = new JsonWebKeySet(await jwksResponse.Content.ReadAsStringAsync());
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = CibaWebFactory.PublicOrigin + "/t/demo/oauth2/token",
            ValidAudience = "demo-kiosk",
            ValidateLifetime = false,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var claims = (JsonWebToken)validation.SecurityToken;
        Assert.Equal(authReqId, claims.GetClaim("urn:openid:params:jwt:claim:auth_req_id").Value);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
        Assert.Equal(Base64UrlEncoder.Encode(hash[..16]), claims.GetClaim("at_hash").Value);

        var message = await factory.WaitForMessageAsync(authReqId, m => m.Status == DeliveryStatus.Sent);
        Assert.Equal(MessageChannel.Push, message.Channel);
        Assert.Null(message.ProtectedContent);

        // CIBA Core §11: a push client never uses the token endpoint with the CIBA grant.
        using var poll = await _client.PollAsync(authReqId, "demo-kiosk");
        await AssertErrorAsync(poll, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    /// <summary>CIBA Core §10.3.1, product.md §11 and §13: a pushed refresh token is bound by rt_hash and refreshes.</summary>
    [Fact]
    public async Task Push_WithOfflineAccess_PostsARefreshTokenBoundByRtHash_ThatRefreshes()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Push, Endpoint);
        var (authReqId, linkKey) = await StartAsync(adjust: form => form["scope"] = "openid offline_access");
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);

        var callback = Assert.Single(await _receiver.WaitForAsync(1));
        using var body = JsonDocument.Parse(callback.Body);
        var root = body.RootElement;
        Assert.Equal(authReqId, root.GetProperty("auth_req_id").GetString());
        var refreshToken = root.GetProperty("refresh_token").GetString()!;
        var idToken = new JsonWebToken(root.GetProperty("id_token").GetString()!);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(refreshToken));
        Assert.Equal(Base64UrlEncoder.Encode(hash[..16]), idToken.GetClaim("urn:openid:params:jwt:claim:rt_hash").Value);

        using var refreshed = await _client.PostFormAsync(
            ProtocolClient.TokenPath,
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken },
            "demo-kiosk",
            "demo-kiosk-secret");
        await ProtocolClient.AssertOkAsync(refreshed);
        using var tokens = await ProtocolClient.ReadJsonAsync(refreshed);
        Assert.NotEqual(refreshToken, tokens.RootElement.GetProperty("refresh_token").GetString());
    }

    /// <summary>Without offline_access (and without "always issue"), a push carries no refresh token and no rt_hash.</summary>
    [Fact]
    public async Task Push_WithoutOfflineAccess_PostsNoRefreshToken()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Push, Endpoint);
        var (_, linkKey) = await StartAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);

        var callback = Assert.Single(await _receiver.WaitForAsync(1));
        using var body = JsonDocument.Parse(callback.Body);
        Assert.False(body.RootElement.TryGetProperty("refresh_token", out _));
        var idToken = new JsonWebToken(body.RootElement.GetProperty("id_token").GetString()!);
        Assert.False(idToken.TryGetClaim("urn:openid:params:jwt:claim:rt_hash", out _));
    }

    [Fact]
    public async Task Push_WhenDeliveryFails_TheTokensAreNotRedeemableElsewhere()
    {
        _receiver.DefaultResponse = new ScriptedResponse(403, string.Empty);
        await factory.UseDeliveryAsync(TokenDeliveryMode.Push, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        await _client.ApproveAsync(linkKey);
        var message = await factory.WaitForMessageAsync(authReqId, m => m.Status != DeliveryStatus.Pending);
        Assert.Equal(DeliveryStatus.Failed, message.Status);

        // Switched back to poll, the client still cannot redeem the pushed grant: it was consumed by the push.
        await factory.UseDeliveryAsync(TokenDeliveryMode.Poll, null);
        using var poll = await _client.PollAsync(authReqId, "demo-kiosk");
        await AssertErrorAsync(poll, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Push_AfterDenial_PostsTheAccessDeniedErrorPayload()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Push, Endpoint);
        var (authReqId, linkKey) = await StartAsync();
        await _client.DenyAsync(linkKey);

        var callback = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("Bearer " + Token, callback.Headers["Authorization"]);
        using var body = JsonDocument.Parse(callback.Body);
        Assert.Equal("access_denied", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(authReqId, body.RootElement.GetProperty("auth_req_id").GetString());
        Assert.Equal(["error", "error_description", "auth_req_id"], body.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Push_AfterExpiry_PostsTheExpiredTokenErrorPayload_AndForgetsTheToken()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Push, Endpoint);
        var (authReqId, _) = await StartAsync(adjust: form => form["requested_expiry"] = "5");
        Assert.True(await factory.StillHoldsCallbackAsync(authReqId));

        factory.Time.Advance(TimeSpan.FromSeconds(6));
        var callback = Assert.Single(await _receiver.WaitForAsync(1));
        using var body = JsonDocument.Parse(callback.Body);
        Assert.Equal("expired_token", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(authReqId, body.RootElement.GetProperty("auth_req_id").GetString());
        Assert.False(await factory.StillHoldsCallbackAsync(authReqId));
    }

    [Fact]
    public async Task Ping_AfterExpiry_IsNotCalled_ButForgetsTheToken()
    {
        await factory.UseDeliveryAsync(TokenDeliveryMode.Ping, Endpoint);
        var (authReqId, _) = await StartAsync(adjust: form => form["requested_expiry"] = "5");

        factory.Time.Advance(TimeSpan.FromSeconds(6));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await factory.StillHoldsCallbackAsync(authReqId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(await factory.StillHoldsCallbackAsync(authReqId));
        Assert.Empty(await factory.CallbacksAsync(authReqId));
        Assert.Empty(_receiver.Requests);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
