using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ciba.Application.Common.Results;

namespace Ciba.Web.Tests.Hostile;

/// <summary>
/// Issue 9 "Tests": generated hostile requests over every protocol endpoint, every console form,
/// the console's lists and the sign-in and consent pages: control characters and invalid UTF-8 in
/// each field, oversized values, wrong content types, repeated parameters, malformed Basic headers
/// and JWTs, path tricks in <c>{org}</c>, overflowing numbers. Every answer is below 500, carries
/// the documented error (status, <c>error</c>, <c>Cache-Control: no-store</c> on protocol
/// endpoints), and leaks no exception text, stack frame or secret.
/// </summary>
public sealed class HostileInputTests(HostileFactory factory) : IClassFixture<HostileFactory>
{
    private const string Backchannel = "/t/demo/oauth2/ciba";
    private const string Token = "/t/demo/oauth2/token";
    private const string UserInfo = "/t/demo/oauth2/userinfo";
    private const string Revoke = "/t/demo/oauth2/revoke";
    private const string Introspect = "/t/demo/oauth2/introspect";
    private const string CibaGrant = "urn%3Aopenid%3Aparams%3Agrant-type%3Aciba";
    private static readonly string DemoTvBasic = Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-tv:demo-tv-secret"));

    private static readonly HashSet<string> KnownErrors =
    [
        OAuthErrorCodes.InvalidRequest, OAuthErrorCodes.InvalidClient, OAuthErrorCodes.InvalidScope, OAuthErrorCodes.InvalidGrant,
        OAuthErrorCodes.UnauthorizedClient, OAuthErrorCodes.UnsupportedGrantType, OAuthErrorCodes.UnknownUserId,
        OAuthErrorCodes.InvalidBindingMessage, OAuthErrorCodes.ExpiredLoginHintToken, OAuthErrorCodes.AccessDenied,
        OAuthErrorCodes.InvalidToken, OAuthErrorCodes.AuthorizationPending, OAuthErrorCodes.SlowDown, OAuthErrorCodes.ExpiredToken,
        "missing_user_code", "invalid_user_code",
    ];

    private static readonly string[] BackchannelFields =
        ["scope", "login_hint", "id_token_hint", "login_hint_token", "binding_message", "requested_expiry", "notification_channel", "user_code", "request", "client_id", "client_secret", "client_assertion", "client_assertion_type", "client_notification_token", "acr_values"];

    private static readonly string[] TokenFields = ["grant_type", "auth_req_id", "scope", "client_id", "client_secret", "client_assertion", "client_assertion_type"];

    /// <summary>RFC 7009 revocation and RFC 7662 introspection (issue 13).</summary>
    private static readonly string[] TokenLifecycleFields = ["token", "token_type_hint", "client_id", "client_secret"];

    public static IEnumerable<object[]> ProtocolFieldCases() =>
        from endpoint in new[] { Backchannel, Token, Revoke, Introspect }
        from field in endpoint switch { Backchannel => BackchannelFields, Token => TokenFields, _ => TokenLifecycleFields }
        from payload in HostilePayloads.All.Keys
        select new object[] { endpoint, field, payload };

    [Theory]
    [MemberData(nameof(ProtocolFieldCases))]
    public async Task ProtocolField_HostileValue_IsTheDocumentedErrorOrAccepted(string endpoint, string field, string payload)
    {
        var (encoded, kind) = HostilePayloads.All[payload];
        var postAuthentication = field is "client_id" or "client_secret";
        var form = endpoint switch
        {
            Backchannel => new List<(string Name, string Value)> { ("scope", "openid"), ("login_hint", "alice"), ("notification_channel", "external") },
            Token => [("grant_type", CibaGrant), ("auth_req_id", "unknown-auth-req-id")],
            _ => [("token", "unknown-token")],
        };
        if (postAuthentication)
        {
            form.AddRange([("client_id", "demo-tv"), ("client_secret", "demo-tv-secret")]);
        }

        if (field is "id_token_hint" or "login_hint_token")
        {
            form.RemoveAll(p => p.Name == "login_hint");
        }

        var index = form.FindIndex(p => p.Name == field);
        if (payload == "repeated")
        {
            var value = index >= 0 ? form[index].Value : "x";
            if (index < 0)
            {
                form.Add((field, value));
            }

            form.Add((field, value));
        }
        else if (index >= 0)
        {
            form[index] = (field, encoded);
        }
        else
        {
            form.Add((field, encoded));
        }

        using var response = await PostRawFormAsync(endpoint, string.Join('&', form.Select(p => p.Name + "=" + p.Value)), postAuthentication ? null : "Basic " + DemoTvBasic);

        var expected = payload == "repeated" ? OAuthErrorCodes.InvalidRequest : kind switch
        {
            PayloadKind.Control when postAuthentication => OAuthErrorCodes.InvalidClient,
            PayloadKind.Control when field == "binding_message" => OAuthErrorCodes.InvalidBindingMessage,
            PayloadKind.Control or PayloadKind.NotUtf8 or PayloadKind.Oversized => OAuthErrorCodes.InvalidRequest,
            _ => null,
        };
        await AssertProtocolAnswerAsync(response, expected);
    }

    public static IEnumerable<object[]> BasicHeaderCases()
    {
        string B64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        var headers = new[]
        {
            "Basic", "Basic ", "Basic ====", "Basic !!!!", "Basic " + B64("no-colon"), "Basic " + B64(":"), "Basic " + B64("demo-tv:"),
            "Basic " + B64(":demo-tv-secret"), "Basic " + B64("demo-tv\0:demo-tv-secret"), "Basic " + B64("demo-tv:demo-tv-secret\0"),
            "Basic " + Convert.ToBase64String([0xFF, 0xFE, 0x3A, 0x41]), "Basic " + B64("demo%zz-tv:secret"), "Basic " + B64("%00:x"),
            "Basic " + new string('A', 5000), "Basic a b c", "BASIC " + B64("demo-tv:wrong"), "Basicxyz", "Bearer abc.def.ghi",
            "Digest username=\"demo-tv\"", "Negotiate TlRMTVNTUAAB", "Basic " + B64(new string('x', 500) + ":y"),
        };
        return from endpoint in new[] { Backchannel, Token }
               from i in Enumerable.Range(0, headers.Length)
               select new object[] { endpoint, i, headers[i] };
    }

    [Theory]
    [MemberData(nameof(BasicHeaderCases))]
    public async Task ClientAuthentication_MalformedAuthorizationHeader_IsInvalidClientWithBasicChallenge(string endpoint, int index, string header)
    {
        _ = index;
        var body = endpoint == Backchannel ? "scope=openid&login_hint=alice&notification_channel=external" : $"grant_type={CibaGrant}&auth_req_id=x";

        using var response = await PostRawFormAsync(endpoint, body, header);

        await AssertProtocolAnswerAsync(response, OAuthErrorCodes.InvalidClient);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    public static IEnumerable<object[]> UserInfoCases()
    {
        var tokens = new[]
        {
            "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl",
            "eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLy4uL2V0Yy9wYXNzd2QifQ.eyJzdWIiOiJhZG1pbiJ9.AAAA", "....", "e30.e30.e30",
            new string('A', 10_000), "eyJ" + new string('x', 3000), "%00", "Ym9ndXM=", "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTk5OTk5OTk5OTk5fQ.AA",
            "not a token at all", "a..b",
        };
        return from method in new[] { "GET", "POST" }
               from i in Enumerable.Range(0, tokens.Length)
               select new object[] { method, i, tokens[i] };
    }

    [Theory]
    [MemberData(nameof(UserInfoCases))]
    public async Task UserInfo_MalformedBearerToken_IsInvalidToken(string method, int index, string token)
    {
        _ = index;
        using var request = new HttpRequestMessage(new HttpMethod(method), UserInfo);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);

        using var response = await factory.Protocol.SendAsync(request);

        await AssertProtocolAnswerAsync(response, OAuthErrorCodes.InvalidToken);
        Assert.Contains("invalid_token", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    public static IEnumerable<object[]> ContentTypeCases()
    {
        var types = new[]
        {
            "application/json", "multipart/form-data; boundary=x", "text/plain", "application/xml", "application/x-www-form-urlencoded; charset=iso-8859-1",
            "application/x-www-form-urlencoded; charset=utf-16", "application/x-www-form-urlencoded-evil", "application/x-www-form-urlencoded;;;=", "", "*/*",
        };
        return from endpoint in new[] { Backchannel, Token }
               from type in types
               select new object[] { endpoint, type };
    }

    [Theory]
    [MemberData(nameof(ContentTypeCases))]
    public async Task ProtocolEndpoint_WrongContentType_IsInvalidRequest(string endpoint, string contentType)
    {
        var body = endpoint == Backchannel ? "scope=openid&login_hint=alice&notification_channel=external" : $"grant_type={CibaGrant}&auth_req_id=x";
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(body)) };
        if (contentType.Length > 0)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + DemoTvBasic);

        using var response = await factory.Protocol.SendAsync(request);

        await AssertProtocolAnswerAsync(response, OAuthErrorCodes.InvalidRequest);
    }

    public static IEnumerable<object[]> OrganizationPathCases()
    {
        var handles = new[]
        {
            "%01", "demo%7F", "..", "..%2F..", "demo%2F..%2Fdemo", "DEMO%FF", "%C0%AE%C0%AE", new string('a', 300), "demo;x=1", "%20demo", "demo%252F", "%2e%2e",
        };
        var routes = new[] { ("POST", "oauth2/ciba"), ("POST", "oauth2/token"), ("GET", "oauth2/jwks"), ("GET", "oauth2/token/.well-known/openid-configuration"), ("GET", "oauth2/userinfo"), ("GET", "console/users") };
        return from handle in handles
               from route in routes
               select new object[] { route.Item1, "/t/" + handle + "/" + route.Item2 };
    }

    /// <remarks>A NUL in the path never reaches the app: Kestrel refuses it, and the test server will not send it.</remarks>
    [Theory]
    [MemberData(nameof(OrganizationPathCases))]
    public async Task OrganizationPath_Tricks_AreNotFoundOrRefusedNeverAServerError(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("scope=openid&login_hint=alice", Encoding.ASCII, "application/x-www-form-urlencoded");
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + DemoTvBasic);
        }

        using var response = await factory.Protocol.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500 || response.StatusCode == HttpStatusCode.Redirect, $"{method} {path}: {(int)response.StatusCode}");
        AssertNoLeak(body);
    }

    private static readonly (string Path, string[] Fields)[] ConsoleForms =
    [
        ("applications/new", ["Name", "Description"]),
        ("applications/{app}", ["Name", "Description"]),
        ("applications/{app}/protocol", ["GrantTypes", "ExpirySeconds", "Channels", "PollingIntervalSeconds"]),
        ("applications/{app}/client-authentication", ["TokenEndpointAuthMethod", "Jwks", "JwksUri", "RequireSignedRequests"]),
        ("applications/{app}/protocol/id-token-signing", ["IdTokenSigningAlgorithm"]),
        ("applications/{app}/protocol/delivery", ["TokenDeliveryMode", "ClientNotificationEndpoint"]),
        ("users/new", ["UserName", "DisplayName", "Email", "Mobile", "Password"]),
        ("users/{bob}", ["UserName", "DisplayName", "Email", "Mobile", "EmailVerified"]),
        ("users/{bob}/password", ["Password"]),
        ("providers/email", ["Email.Provider", "Email.ApiKey", "Email.FromAddress", "Email.FromName", "Email.BaseUrl"]),
        ("providers/sms", ["Sms.Provider", "Sms.ApiKey", "Sms.ApiSecret", "Sms.From", "Sms.BaseUrl"]),
        ("providers/test", ["Test.Channel", "Test.Recipient"]),
        ("organizations/new", ["Handle", "Name", "AdminUserName", "AdminEmail", "AdminPassword"]),
        ("apis/new", ["Name", "Identifier", "Description"]),
        ("applications/{app}/tokens", ["RefreshTokenLifetimeSeconds", "RefreshTokenIdleLifetimeSeconds", "AlwaysIssueRefreshToken", "ApiScopes"]),
        ("applications/{app}/protocol/user-code", ["RequireUserCode"]),
        ("settings/hint-issuers", ["Issuer", "Jwks"]),
    ];

    public static IEnumerable<object[]> ConsoleFormCases() =>
        from form in ConsoleForms
        from field in form.Fields
        from payload in HostilePayloads.ForPages
        select new object[] { form.Path, field, payload };

    [Theory]
    [MemberData(nameof(ConsoleFormCases))]
    public async Task ConsoleForm_HostileField_IsTheFriendly400PageOrAValidationAnswer(string form, string field, string payload)
    {
        var path = "/t/demo/console/" + form.Replace("{app}", factory.ApplicationId.ToString(), StringComparison.Ordinal).Replace("{bob}", factory.BobId.ToString(), StringComparison.Ordinal);
        var (encoded, kind) = HostilePayloads.All[payload];
        var body = $"{Uri.EscapeDataString(field)}={encoded}&__RequestVerificationToken={Uri.EscapeDataString(factory.AdminToken)}";

        using var response = await PostPageFormAsync(factory.Admin.Client, path, body);

        await AssertPageAnswerAsync(response, kind == PayloadKind.Control);
    }

    public static IEnumerable<object[]> ConsoleQueryCases()
    {
        var pages = new[]
        {
            "users?search=", "users?after=", "users?before=", "applications?after=", "activity?application=", "activity?user=", "activity?status=",
            "activity?since=", "activity?after=", "activity/deliveries?after=", "organizations?after=", "users?page=",
            "audit?user=", "audit?application=", "audit?action=", "audit?outcome=", "audit?since=", "audit?after=", "reports?after=",
        };
        return from page in pages
               from payload in HostilePayloads.ForPages.Where(p => p != "oversized-20k").Append("oversized-9k")
               select new object[] { page, payload };
    }

    [Theory]
    [MemberData(nameof(ConsoleQueryCases))]
    public async Task ConsoleList_HostileQueryValue_IsTheFriendly400PageOrAPage(string page, string payload)
    {
        var (encoded, kind) = HostilePayloads.All[payload];

        using var response = await factory.Admin.Client.GetAsync("/t/demo/console/" + page + encoded);

        await AssertPageAnswerAsync(response, kind == PayloadKind.Control);
    }

    public static IEnumerable<object[]> PhonePageCases()
    {
        var targets = new[]
        {
            ("GET", "/t/demo/oauth2/ciba_authorize?authCodeKey="), ("GET", "/t/demo/oauth2/ciba_authorize/done?outcome="),
            ("GET", "/t/demo/login?returnUrl="), ("POST", "/t/demo/login|Login"), ("POST", "/t/demo/login|ReturnUrl"),
            ("POST", "/t/demo/oauth2/ciba_authorize/approve|authCodeKey"), ("POST", "/t/demo/oauth2/ciba_authorize/deny|authCodeKey"),
            ("POST", "/t/demo/oauth2/ciba_authorize/report|authCodeKey"),
            ("POST", "/t/demo/passkeys/sign-in|Credential"), ("POST", "/t/demo/passkeys/sign-in|ReturnUrl"),
            ("POST", "/t/demo/passkeys/request-options|Credential"), ("GET", "/t/demo/passkeys/step-up?returnUrl="),
            ("POST", "/t/demo/account/user-code|Code"), ("POST", "/t/demo/account/user-code|ConfirmCode"),
            ("GET", "/t/demo/login/code?returnUrl="), ("POST", "/t/demo/login/code|Code"), ("POST", "/t/demo/login/code|ReturnUrl"),
            ("GET", "/t/demo/account/authenticator?returnUrl="), ("POST", "/t/demo/account/authenticator|Code"),
        };
        return from target in targets
               from payload in HostilePayloads.ForPages
               select new object[] { target.Item1, target.Item2, payload };
    }

    [Theory]
    [MemberData(nameof(PhonePageCases))]
    public async Task PhonePage_HostileValue_IsTheFriendly400PageOrAPage(string method, string target, string payload)
    {
        var (encoded, kind) = HostilePayloads.All[payload];
        HttpResponseMessage response;
        if (method == "GET")
        {
            response = await factory.Anonymous.Client.GetAsync(target + encoded);
        }
        else
        {
            var (path, field) = (target.Split('|')[0], target.Split('|')[1]);
            var other = field == "Login" ? "&Password=x" : field == "ReturnUrl" ? "&Login=nobody-here&Password=x" : string.Empty;
            response = await PostPageFormAsync(factory.Anonymous.Client, path, $"{field}={encoded}{other}&__RequestVerificationToken={Uri.EscapeDataString(factory.AnonymousToken)}");
        }

        using (response)
        {
            await AssertPageAnswerAsync(response, kind == PayloadKind.Control);
        }
    }

    private Task<HttpResponseMessage> PostRawFormAsync(string path, string body, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return factory.Protocol.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostPageFormAsync(HttpClient client, string path, string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return client.PostAsync(path, content);
    }

    /// <summary>A protocol answer: no-store always; an error has only error and error_description, with the expected or a known code.</summary>
    private static async Task AssertProtocolAnswerAsync(HttpResponseMessage response, string? expectedError)
    {
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{status}: {body}");
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"No Cache-Control: no-store ({status}: {body})");
        AssertNoLeak(body);
        if (status == 200 && body.Length == 0)
        {
            // RFC 7009 §2.2: revocation answers an empty 200.
            Assert.True(expectedError is null, $"Expected {expectedError}, got an empty 200");
            return;
        }

        using var json = JsonDocument.Parse(body);
        if (status == 200)
        {
            Assert.True(expectedError is null, $"Expected {expectedError}, got 200: {body}");
            return;
        }

        Assert.Equal(["error", "error_description"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var error = json.RootElement.GetProperty("error").GetString()!;
        if (expectedError is not null)
        {
            Assert.True(expectedError == error, $"Expected {expectedError}, got {status} {body}");
        }
        else
        {
            Assert.Contains(error, KnownErrors);
        }

        var expectedStatus = error is OAuthErrorCodes.InvalidClient or OAuthErrorCodes.InvalidToken ? 401 : error == OAuthErrorCodes.AccessDenied ? 403 : 400;
        Assert.True(expectedStatus == status || (error == OAuthErrorCodes.AccessDenied && status == 400), $"{error} answered {status}");
    }

    /// <summary>A page answer: below 500, and for a control character the friendly 400 page; nothing leaked.</summary>
    private static async Task AssertPageAnswerAsync(HttpResponseMessage response, bool controlCharacter)
    {
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{status}: {body}");
        AssertNoLeak(body);
        if (controlCharacter)
        {
            Assert.True(status == 400, $"Expected the 400 page, got {status}.");
            Assert.Contains("This request could not be read", body, StringComparison.Ordinal);
        }
    }

    private static void AssertNoLeak(string body)
    {
        foreach (var leak in HostilePayloads.Leaks)
        {
            Assert.False(body.Contains(leak, StringComparison.Ordinal), $"The answer contains '{leak}': {body[..Math.Min(body.Length, 2000)]}");
        }
    }
}
