using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Ciba.Web.Tests.Interop;

namespace Ciba.Web.Tests.Protocol;

/// <summary>
/// Issue 9 item 13: a body Kestrel cannot read (a malformed chunk, a body shorter than its
/// Content-Length) on a protocol endpoint is 400 <c>invalid_request</c>, never 500. Raw bytes over
/// TCP to a real Kestrel server, since HttpClient will not send them.
/// </summary>
public sealed class MalformedBodyTests(InteropServerFactory server) : IClassFixture<InteropServerFactory>
{
    private const string Basic = "Authorization: Basic ZGVtby10djpkZW1vLXR2LXNlY3JldA==\r\n";

    public static TheoryData<string, string> Requests()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in new[] { "/t/demo/oauth2/ciba", "/t/demo/oauth2/token" })
        {
            data.Add(path, "Transfer-Encoding: chunked\r\n\r\nZZ\r\nscope=openid\r\n0\r\n\r\n");
            data.Add(path, "Transfer-Encoding: chunked\r\n\r\n5\r\nscope=openid\r\n0\r\n\r\n");
            data.Add(path, "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nscope\r\n0\r\n\r\n");
            data.Add(path, "Transfer-Encoding: chunked\r\n\r\n5;" + new string('x', 5000) + "\r\nscope\r\n0\r\n\r\n");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task ProtocolEndpoint_UnreadableBody_IsInvalidRequest(string path, string framingAndBody)
    {
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n{Basic}Connection: close\r\n";

        var (status, headers, body) = await SendRawAsync(head + framingAndBody);

        Assert.True(status == 400, $"Expected 400, got {status}: {body}");
        Assert.Contains("cache-control: no-store", headers, StringComparison.OrdinalIgnoreCase);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("invalid_request", json.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/t/demo/oauth2/ciba")]
    [InlineData("/t/demo/oauth2/token")]
    public async Task ProtocolEndpoint_BodyShorterThanContentLength_IsNeverAServerError(string path)
    {
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n{Basic}Connection: close\r\n";

        // The client closes its side after 29 of 500 bytes: Kestrel may drop the connection, or the
        // endpoint answers invalid_request; never server_error.
        var (status, _, body) = await SendRawAsync(head + "Content-Length: 500\r\n\r\nscope=openid&login_hint=alice", allowNoResponse: true);

        Assert.True(status is 0 or 400, $"Expected no answer or 400, got {status}: {body}");
        if (status == 400)
        {
            Assert.Contains("invalid_request", body, StringComparison.Ordinal);
        }

        var (next, _, nextBody) = await SendRawAsync($"GET /t/demo/oauth2/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        Assert.True(next == 200, $"The server no longer answers: {next} {nextBody}");
    }

    [Fact]
    public async Task ProtocolEndpoint_WellFormedChunkedBody_IsRead()
    {
        const string form = "scope=openid&login_hint=alice&notification_channel=external";
        var head = $"POST /t/demo/oauth2/ciba HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n{Basic}Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n";

        var (status, _, body) = await SendRawAsync(head + $"{form.Length:X}\r\n{form}\r\n0\r\n\r\n");

        Assert.True(status == 200, $"Expected 200, got {status}: {body}");
    }

    private async Task<(int Status, string Headers, string Body)> SendRawAsync(string request, bool allowNoResponse = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        await stream.FlushAsync();

        if (request.Contains("Content-Length", StringComparison.Ordinal))
        {
            // The truncated body ends here: the client sends nothing more and closes its side.
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string response;
        try
        {
            response = await reader.ReadToEndAsync(timeout.Token);
        }
        catch (IOException) when (allowNoResponse)
        {
            return (0, string.Empty, string.Empty);
        }

        if (response.Length == 0 && allowNoResponse)
        {
            return (0, string.Empty, string.Empty);
        }

        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = split < 0 ? response : response[..split];
        var body = split < 0 ? string.Empty : response[(split + 4)..];
        Assert.True(headers.StartsWith("HTTP/1.1 ", StringComparison.Ordinal), $"No HTTP response: '{response}'");
        var status = int.Parse(headers.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        if (headers.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return (status, headers, body);
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[position..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            result.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
