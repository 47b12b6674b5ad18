using System.Net;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protocol;

/// <summary>product.md §3 and §4: every parameter rule and channel choice of the backchannel endpoint.</summary>
public sealed class BackchannelEndpointTests(CibaWebFactoryWithoutDispatcher factory) : IClassFixture<CibaWebFactoryWithoutDispatcher>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Backchannel_SeedExample_ReturnsAckWithoutAuthUrl()
    {
        using var response = await _client.BackchannelAsync(ProtocolClient.SeedRequest());

        await ProtocolClient.AssertOkAsync(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var root = json.RootElement;
        Assert.Equal(43, root.GetProperty("auth_req_id").GetString()!.Length);
        Assert.Equal(120, root.GetProperty("expires_in").GetInt32());
        Assert.Equal(2, root.GetProperty("interval").GetInt32());
        Assert.False(root.TryGetProperty("auth_url", out _));
    }

    [Fact]
    public async Task Backchannel_ExternalChannel_ReturnsAuthUrlWithLinkKey()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["notification_channel"] = "external" });

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var authUrl = json.RootElement.GetProperty("auth_url").GetString()!;
        Assert.StartsWith($"{CibaWebFactory.PublicOrigin}/t/demo/oauth2/ciba_authorize?authCodeKey=", authUrl, StringComparison.Ordinal);
        var linkKey = authUrl[(authUrl.IndexOf('=', StringComparison.Ordinal) + 1)..];
        Assert.Equal(43, linkKey.Length);
        Assert.NotEqual(json.RootElement.GetProperty("auth_req_id").GetString(), linkKey);
    }

    [Fact]
    public async Task Backchannel_StoresOnlyHashesOfAuthReqIdAndLinkKey()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var hash = SecretHashing.HashToken(authReqId);
        var stored = await db.BackchannelRequests.SingleAsync(r => r.AuthReqIdHash == hash);
        Assert.Equal(SecretHashing.HashToken(linkKey), stored.LinkKeyHash);
        Assert.Equal("openid profile email phone", stored.Scope);
        Assert.Equal(NotificationChannels.External, stored.Channels);
    }

    [Fact]
    public async Task Backchannel_AliceWithoutChannel_WritesOneEmailAndOneSmsToTheOutbox()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["login_hint"] = "alice",
            ["binding_message"] = "TV-4821",
        });

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        Assert.False(json.RootElement.TryGetProperty("auth_url", out _));
        var messages = await MessagesOfAsync(json.RootElement.GetProperty("auth_req_id").GetString()!);
        Assert.Equal(2, messages.Count);
        var email = Assert.Single(messages, m => m.Channel == MessageChannel.Email);
        var sms = Assert.Single(messages, m => m.Channel == MessageChannel.Sms);
        Assert.Equal("alice@demo.test", email.Recipient);
        Assert.Equal("+15550100001", sms.Recipient);
        Assert.All(messages, m => Assert.Equal(DeliveryStatus.Pending, m.Status));
        Assert.All(messages, m => Assert.Equal(factory.Time.GetUtcNow().AddSeconds(120), m.NotAfter!.Value, TimeSpan.FromMilliseconds(1)));

        var content = factory.Services.GetRequiredService<Ciba.Application.Notifications.INotificationContentProtector>().Unprotect(email.ProtectedContent!);
        Assert.Equal("Demo TV", content.ApplicationName);
        Assert.Equal("TV-4821", content.BindingMessage);
        Assert.StartsWith($"{CibaWebFactory.PublicOrigin}/t/demo/oauth2/ciba_authorize?authCodeKey=", content.Link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backchannel_EmailChannelNamed_WritesOnlyEmail()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["login_hint"] = "+15550100001",
            ["notification_channel"] = "email",
        });

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var message = Assert.Single(await MessagesOfAsync(json.RootElement.GetProperty("auth_req_id").GetString()!));
        Assert.Equal(MessageChannel.Email, message.Channel);
    }

    [Fact]
    public async Task Backchannel_BobWithEmailChannel_IsInvalidRequest()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["login_hint"] = "bob",
            ["notification_channel"] = "email",
        });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Backchannel_BobWithSmsChannel_IsInvalidRequest()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["login_hint"] = "bob",
            ["notification_channel"] = "sms",
        });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Backchannel_BobWithoutChannelNoneReaches_IsInvalidRequest()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "bob" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Backchannel_KioskExternalOnly_ReturnsAuthUrlAndWritesNoMessages()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "alice" }, "demo-kiosk");

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        Assert.True(json.RootElement.TryGetProperty("auth_url", out _));
        Assert.Empty(await MessagesOfAsync(json.RootElement.GetProperty("auth_req_id").GetString()!));
    }

    [Theory]
    [InlineData("email")]
    [InlineData("sms")]
    public async Task Backchannel_ChannelNotEnabledForClient_IsInvalidRequest(string channel)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>
        {
            ["scope"] = "openid",
            ["login_hint"] = "alice",
            ["notification_channel"] = channel,
        }, "demo-kiosk");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Backchannel_UnknownChannel_IsInvalidRequest()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["notification_channel"] = "pigeon" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Backchannel_ClientWithoutCiba_IsUnauthorizedClient()
    {
        using var response = await _client.BackchannelAsync(ProtocolClient.SeedRequest(), "demo-web");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task Backchannel_MissingScope_IsInvalidRequest()
    {
        var form = ProtocolClient.SeedRequest();
        form.Remove("scope");

        using var response = await _client.BackchannelAsync(form);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("profile")]
    [InlineData("openid admin")]
    [InlineData("OPENID")]
    public async Task Backchannel_ScopeWithoutOpenidOrUnknown_IsInvalidScope(string scope)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["scope"] = scope });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Backchannel_ReversedScopeOrder_Succeeds()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["scope"] = "email profile openid" });

        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task Backchannel_NoHint_IsInvalidRequest()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string> { ["scope"] = "openid" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("login_hint_token")]
    [InlineData("id_token_hint")]
    public async Task Backchannel_MultipleHints_IsInvalidRequest(string secondHint)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { [secondHint] = "eyJhbGciOiJub25lIn0.e30." });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Backchannel_LoginHintToken_IsInvalidRequest()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint_token"] = "opaque" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("nobody@demo.test")]
    [InlineData("+15550199999")]
    public async Task Backchannel_UnknownUser_IsUnknownUserId(string hint)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["login_hint"] = hint });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unknown_user_id");
    }

    [Fact]
    public async Task Backchannel_WrongSecretWithInvalidScopeAndUnknownUser_IsInvalidClient()
    {
        var form = new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["scope"] = "profile", ["login_hint"] = "nobody" };

        using var response = await _client.BackchannelAsync(form, "demo-tv", "wrong-secret");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task Backchannel_ClientWithoutCibaAndUnknownUser_IsUnauthorizedClient()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["login_hint"] = "nobody" }, "demo-web");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("scope", "profile", "invalid_scope")]
    [InlineData("binding_message", "<b>", "invalid_binding_message")]
    [InlineData("requested_expiry", "0", "invalid_request")]
    [InlineData("notification_channel", "fax", "invalid_request")]
    public async Task Backchannel_ParameterErrorWithUnknownUser_IsTheParameterError(string parameter, string value, string error)
    {
        var form = new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["login_hint"] = "nobody", [parameter] = value };

        using var response = await _client.BackchannelAsync(form);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task Backchannel_UnverifiableIdTokenHint_IsInvalidRequest()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string> { ["scope"] = "openid", ["id_token_hint"] = "eyJhbGciOiJub25lIn0.e30." });

        // product.md §12: bad signature or not a JWT → invalid_request.
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("alice@demo.test")]
    [InlineData("+15550100001")]
    [InlineData("ALICE")]
    public async Task Backchannel_LoginHintByEmailMobileOrName_Succeeds(string hint)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["login_hint"] = hint });

        await ProtocolClient.AssertOkAsync(response);
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("Please authenticate to My App")]
    [InlineData("Code: 4821 – café ✓ 確認")]
    [InlineData("👍 TV 2")]
    public async Task Backchannel_DisplayableBindingMessage_Succeeds(string message)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["binding_message"] = message });

        await ProtocolClient.AssertOkAsync(response);
    }

    [Theory]
    [InlineData("<script>")]
    [InlineData("a > b")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    [InlineData("rtl\u202Eoverride")]
    [InlineData("   ")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task Backchannel_UndisplayableBindingMessage_IsInvalidBindingMessage(string message)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["binding_message"] = message });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_binding_message");
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("120", 120)]
    [InlineData("600", 120)]
    [InlineData("99999999999999999999", 120)]
    public async Task Backchannel_RequestedExpiry_IsTheSmallerOfRequestAndApplication(string requested, int expected)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["requested_expiry"] = requested });

        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        Assert.Equal(expected, json.RootElement.GetProperty("expires_in").GetInt32());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("ten")]
    [InlineData("")]
    [InlineData("+30")]
    public async Task Backchannel_RequestedExpiryNotPositiveInteger_IsInvalidRequest(string requested)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["requested_expiry"] = requested });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Backchannel_UnknownExtraParameters_AreIgnored()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest())
        {
            ["acr_values"] = "urn:example:pwd",
            ["something_else"] = "x",
        });

        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task Backchannel_ClientSecretPost_Succeeds()
    {
        var form = new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["client_id"] = "demo-tv", ["client_secret"] = "demo-tv-secret" };

        using var response = await _client.BackchannelAsync(form, clientId: null);

        await ProtocolClient.AssertOkAsync(response);
    }

    public void Dispose() => _client.Dispose();

    private async Task<List<OutgoingMessage>> MessagesOfAsync(string authReqId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var hash = SecretHashing.HashToken(authReqId);
        var requestId = await db.BackchannelRequests.Where(r => r.AuthReqIdHash == hash).Select(r => r.Id).SingleAsync();
        return await db.OutgoingMessages.Where(m => m.BackchannelRequestId == requestId).ToListAsync();
    }
}
