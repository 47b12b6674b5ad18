using System.Net;
using System.Text;
using Ciba.Web.Tests.Console;

namespace Ciba.Web.Tests.Protocol;

/// <summary>
/// Issue 9 item 3: NUL and other control characters are refused at the edge with the specific
/// error, before any query: the protocol form, the Basic-auth reader, and every MVC query string and form.
/// </summary>
public sealed class EdgeInputTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    public static TheoryData<string> ControlCharacters => new() { "\0", "\u0001", "\r\n", "\u001b", "\u007f", "\u0085" };

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task Backchannel_ControlCharacterInLoginHint_IsInvalidRequest(string control)
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["login_hint"] = "ad" + control + "min" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("scope")]
    [InlineData("requested_expiry")]
    [InlineData("notification_channel")]
    [InlineData("unknown_extra")]
    public async Task Backchannel_NulInAnyOtherParameter_IsInvalidRequest(string parameter)
    {
        var form = new Dictionary<string, string>(ProtocolClient.SeedRequest()) { [parameter] = "openid\0" };

        using var response = await _client.BackchannelAsync(form);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_NulInAuthReqIdOrGrantType_IsInvalidRequest()
    {
        using var authReqId = await _client.PostFormAsync(ProtocolClient.TokenPath, new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant, ["auth_req_id"] = "a\0b" });
        using var grantType = await _client.PostFormAsync(ProtocolClient.TokenPath, new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant + "\0", ["auth_req_id"] = "x" });

        await ProtocolClient.AssertOAuthErrorAsync(authReqId, HttpStatusCode.BadRequest, "invalid_request");
        await ProtocolClient.AssertOAuthErrorAsync(grantType, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData(ProtocolClient.BackchannelPath, "demo\0-tv")]
    [InlineData(ProtocolClient.TokenPath, "demo\0-tv")]
    [InlineData(ProtocolClient.BackchannelPath, "demo-tv\u0007")]
    [InlineData(ProtocolClient.TokenPath, "démo-tv")]
    [InlineData(ProtocolClient.BackchannelPath, "demo-tv\u00a0")]
    public async Task ClientAuth_BadClientIdInBasic_IsInvalidClientWithChallenge(string path, string clientId)
    {
        using var response = await _client.PostFormAsync(path, FormFor(path), clientId, "demo-tv-secret");

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task ClientAuth_RawNulByteInBasic_IsInvalidClientWithChallenge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ProtocolClient.BackchannelPath) { Content = new FormUrlEncodedContent(ProtocolClient.SeedRequest()) };
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-tv\0:demo-tv-secret")));

        using var response = await _client.Http.SendAsync(request);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [InlineData(ProtocolClient.BackchannelPath)]
    [InlineData(ProtocolClient.TokenPath)]
    public async Task ClientAuth_NulInPostedClientIdOrSecret_IsInvalidClient(string path)
    {
        var badId = FormFor(path);
        badId["client_id"] = "demo-tv\0";
        badId["client_secret"] = "demo-tv-secret";
        var badSecret = FormFor(path);
        badSecret["client_id"] = "demo-tv";
        badSecret["client_secret"] = "demo-tv-secret\0";

        using var id = await _client.PostFormAsync(path, badId, clientId: null);
        using var secret = await _client.PostFormAsync(path, badSecret, clientId: null);

        await ProtocolClient.AssertOAuthErrorAsync(id, HttpStatusCode.Unauthorized, "invalid_client");
        await ProtocolClient.AssertOAuthErrorAsync(secret, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Backchannel_ControlCharacterInBindingMessage_IsInvalidBindingMessage()
    {
        using var response = await _client.BackchannelAsync(new Dictionary<string, string>(ProtocolClient.SeedRequest()) { ["binding_message"] = "12\034" });

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_binding_message");
    }

    [Theory]
    [InlineData("/t/demo/console/users?search=al%00ice")]
    [InlineData("/t/demo/console/users?search=%01")]
    [InlineData("/t/demo/console/activity?after=%00")]
    [InlineData("/t/demo/console/applications?x%00=1")]
    public async Task Console_ControlCharacterInQueryString_IsTheFriendly400Page(string path)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.GetAsync(path);

        await AssertFriendly400Async(response);
    }

    [Fact]
    public async Task Console_NulInAFormField_IsTheFriendly400PageAndSavesNothing()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostFormAsync("/t/demo/console/applications/new", [new("Name", "Evil\0App")]);

        await AssertFriendly400Async(response);
        var list = await admin.GetPageAsync("/t/demo/console/applications");
        Assert.DoesNotContain("Evil", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_LineBreaksInAMultiLineField_AreAccepted()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);

        using var response = await admin.PostFormAsync("/t/demo/console/applications/new", [new("Name", "Multi-line app"), new("Description", "Two\r\nlines\tand a tab")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Theory]
    [InlineData("/t/demo/oauth2/ciba_authorize?authCodeKey=abc%00def")]
    [InlineData("/t/demo/login?returnUrl=%2Ft%2Fdemo%00")]
    public async Task PhonePages_ControlCharacterInQueryString_AreTheFriendly400Page(string path)
    {
        using var anonymous = ConsoleSession.Anonymous(factory);

        using var response = await anonymous.GetAsync(path);

        await AssertFriendly400Async(response);
    }

    [Fact]
    public async Task SignIn_NulInLogin_IsTheFriendly400Page()
    {
        using var anonymous = ConsoleSession.Anonymous(factory);

        using var response = await anonymous.PostFormAsync("/t/demo/login", [new("Login", "ad\0min"), new("Password", "Admin-Passw0rd!")]);

        await AssertFriendly400Async(response);
    }

    public void Dispose() => _client.Dispose();

    private static async Task AssertFriendly400Async(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}.");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.Contains("This request could not be read", StringComparison.Ordinal), body);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> FormFor(string path) => path == ProtocolClient.TokenPath
        ? new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant, ["auth_req_id"] = "unknown" }
        : ProtocolClient.SeedRequest();
}
