using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Ciba.Web.Tests.Protocol;

/// <summary>product.md §9: bad input of any shape is 400 invalid_request, never a 500.</summary>
public sealed class MalformedInputTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    public static TheoryData<string> Endpoints => new() { ProtocolClient.BackchannelPath, ProtocolClient.TokenPath };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Form_JsonContentType_IsInvalidRequest(string path)
    {
        using var response = await SendAsync(path, new StringContent("{\"scope\":\"openid\",\"login_hint\":\"alice\"}", Encoding.UTF8, "application/json"));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Form_NoContentType_IsInvalidRequest(string path)
    {
        using var response = await SendAsync(path, new ByteArrayContent("scope=openid&login_hint=alice"u8.ToArray()));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Form_MultipartContentType_IsInvalidRequest(string path)
    {
        using var content = new MultipartFormDataContent { { new StringContent("openid"), "scope" } };

        using var response = await SendAsync(path, content);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Form_EmptyBody_IsInvalidRequest(string path)
    {
        using var response = await SendAsync(path, FormBytes([]));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("scope=openid&scope=openid&login_hint=alice")]
    [InlineData("scope=openid&login_hint=alice&login_hint=alice")]
    [InlineData("scope=openid&login_hint=alice&unknown=1&unknown=2")]
    public async Task Backchannel_RepeatedParameter_IsInvalidRequest(string body)
    {
        using var response = await SendAsync(ProtocolClient.BackchannelPath, FormBytes(Encoding.ASCII.GetBytes(body)));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_RepeatedGrantType_IsInvalidRequest()
    {
        var body = $"grant_type={Uri.EscapeDataString(ProtocolClient.CibaGrant)}&grant_type={Uri.EscapeDataString(ProtocolClient.CibaGrant)}&auth_req_id=x";

        using var response = await SendAsync(ProtocolClient.TokenPath, FormBytes(Encoding.ASCII.GetBytes(body)));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Form_100KilobyteValue_IsInvalidRequest(string path)
    {
        var body = "scope=openid&login_hint=alice&binding_message=" + new string('a', 100 * 1024);

        using var response = await SendAsync(path, FormBytes(Encoding.ASCII.GetBytes(body)));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Form_InvalidUtf8Escape_IsInvalidRequest(string path)
    {
        using var response = await SendAsync(path, FormBytes("scope=openid&login_hint=%C3%28&binding_message=%FF%FE"u8.ToArray()));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Form_BrokenPercentEscape_IsInvalidRequest(string path)
    {
        using var response = await SendAsync(path, FormBytes("scope=openid%2&login_hint=alice%"u8.ToArray()));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Form_BinaryBody_IsInvalidRequest(string path)
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);

        using var response = await SendAsync(path, FormBytes(bytes));

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Form_NonUtf8Charset_IsInvalidRequest()
    {
        var content = new ByteArrayContent("scope=openid&login_hint=alice"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=iso-8859-1");

        using var response = await SendAsync(ProtocolClient.BackchannelPath, content);

        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Form_Utf8CharsetParameter_IsAccepted()
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes("scope=openid+profile&login_hint=admin&binding_message=1234"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=UTF-8");

        using var response = await SendAsync(ProtocolClient.BackchannelPath, content);

        await ProtocolClient.AssertOkAsync(response);
    }

    [Fact]
    public async Task Backchannel_GetMethod_IsNotAServerError()
    {
        using var response = await _client.Http.GetAsync(ProtocolClient.BackchannelPath);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    public void Dispose() => _client.Dispose();

    private static ByteArrayContent FormBytes(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }

    private async Task<HttpResponseMessage> SendAsync(string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = ProtocolClient.Basic("demo-tv", "demo-tv-secret");
        return await _client.Http.SendAsync(request);
    }
}
