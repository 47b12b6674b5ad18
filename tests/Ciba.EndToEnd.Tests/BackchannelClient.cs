using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ciba.EndToEnd.Tests;

/// <summary>What a TV or kiosk app does against the real server: a backchannel request, then polls of the token endpoint.</summary>
public sealed class BackchannelClient(CibaServerFixture server, string clientId, string clientSecret) : IDisposable
{
    public const string Organization = "demo";
    public const string CibaGrant = "urn:openid:params:grant-type:ciba";

    private readonly HttpClient _http = server.CreateHttpClient();

    public static BackchannelClient Kiosk(CibaServerFixture server) => new(server, "demo-kiosk", "demo-kiosk-secret");

    public static BackchannelClient Tv(CibaServerFixture server) => new(server, "demo-tv", "demo-tv-secret");

    /// <summary><c>POST /t/demo/oauth2/ciba</c>; fails the test unless it answers 200.</summary>
    public async Task<BackchannelAck> StartAsync(IReadOnlyDictionary<string, string> form)
    {
        var (status, _, body) = await PostAsync("ciba", form);
        Assert.True(status == HttpStatusCode.OK, $"The backchannel endpoint answered {(int)status}: {body}");
        return new BackchannelAck(
            body.GetProperty("auth_req_id").GetString()!,
            body.GetProperty("expires_in").GetInt32(),
            body.GetProperty("interval").GetInt32(),
            body.TryGetProperty("auth_url", out var authUrl) ? authUrl.GetString() : null);
    }

    /// <summary><c>POST /t/demo/oauth2/ciba</c> expected to fail: its status and <c>error</c>.</summary>
    public async Task<(int Status, string? Error)> TryStartAsync(IReadOnlyDictionary<string, string> form)
    {
        var answer = await PostAsync("ciba", form);
        return ((int)answer.Status, answer.Error);
    }

    /// <summary>One poll of <c>POST /t/demo/oauth2/token</c> with the CIBA grant.</summary>
    public Task<ProtocolAnswer> PollAsync(string authReqId) =>
        PostAsync("token", new Dictionary<string, string> { ["grant_type"] = CibaGrant, ["auth_req_id"] = authReqId });

    public void Dispose() => _http.Dispose();

    private async Task<ProtocolAnswer> PostAsync(string endpoint, IReadOnlyDictionary<string, string> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/t/{Organization}/oauth2/{endpoint}") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
        using var response = await _http.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new ProtocolAnswer(response.StatusCode, response.Headers.CacheControl?.NoStore == true, json.RootElement.Clone());
    }
}

public sealed record BackchannelAck(string AuthReqId, int ExpiresIn, int Interval, string? AuthUrl);

public sealed record ProtocolAnswer(HttpStatusCode Status, bool NoStore, JsonElement Body)
{
    public string? Error => Body.TryGetProperty("error", out var error) ? error.GetString() : null;
}
