using System.Net;
using System.Net.Http.Headers;
using Ciba.Testing;
using Ciba.Web.Tests.Protocol;

namespace Ciba.Web.Tests.Outages;

/// <summary>The web app over a PostgreSQL cluster of its own, which the test stops and starts again.</summary>
public sealed class OutageWebFactory : CibaWebFactory
{
    public PrivatePostgresCluster Cluster { get; private set; } = null!;

    protected override bool DispatcherEnabled => false;

    protected override async Task<string> CreateDatabaseAsync()
    {
        Cluster = await PrivatePostgresCluster.StartAsync();
        return Cluster.ConnectionString(maxPoolSize: 20, timeoutSeconds: 3);
    }

    protected override async Task DropDatabaseAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Issue 10 item 4: while the database is down, protocol endpoints answer 503
/// <c>temporarily_unavailable</c> with <c>Retry-After</c> (a client keeps polling), pages answer the
/// "Ciba is busy right now" page, <c>/readyz</c> is 503; after the database is back the same
/// endpoints work again without a restart.
/// </summary>
public sealed class DatabaseOutageTests(OutageWebFactory factory) : IClassFixture<OutageWebFactory>, IDisposable
{
    private const string UnknownOrganizationToken = "/t/outage-org/oauth2/token";

    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Outage_IsAnsweredUnavailable_AndTheServiceRecoversWithoutARestart()
    {
        var (pendingId, _) = await _client.StartExternalAsync();
        var (approvedId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        string accessToken;
        using (var tokens = await _client.PollAsync(approvedId))
        {
            await ProtocolClient.AssertOkAsync(tokens);
            using var json = await ProtocolClient.ReadJsonAsync(tokens);
            accessToken = json.RootElement.GetProperty("access_token").GetString()!;
        }

        factory.Time.Advance(TimeSpan.FromSeconds(10));
        await factory.Cluster.StopAsync();

        using (var poll = await _client.PollAsync(pendingId))
        {
            await AssertUnavailableAsync(poll);
        }

        using (var backchannel = await _client.BackchannelAsync(ProtocolClient.ExternalRequest()))
        {
            await AssertUnavailableAsync(backchannel);
        }

        using (var userInfo = await UserInfoAsync(accessToken))
        {
            await AssertUnavailableAsync(userInfo);
        }

        using (var unknownOrganization = await _client.PostFormAsync(UnknownOrganizationToken, new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant }))
        {
            await AssertUnavailableAsync(unknownOrganization);
        }

        using (var ready = await _client.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var page = await _client.Http.GetAsync("/t/outage-org/login"))
        {
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Ciba is busy right now", html, StringComparison.Ordinal);
            Assert.NotNull(page.Headers.RetryAfter);
            Assert.True(page.Headers.CacheControl?.NoStore);
        }

        await factory.Cluster.StartAgainAsync();
        factory.Time.Advance(TimeSpan.FromSeconds(10));

        await WaitUntilReadyAsync();
        using (var poll = await _client.PollAsync(pendingId))
        {
            await ProtocolClient.AssertOAuthErrorAsync(poll, HttpStatusCode.BadRequest, "authorization_pending");
        }

        using (var backchannel = await _client.BackchannelAsync(ProtocolClient.ExternalRequest()))
        {
            await ProtocolClient.AssertOkAsync(backchannel);
        }

        using (var userInfo = await UserInfoAsync(accessToken))
        {
            await ProtocolClient.AssertOkAsync(userInfo);
        }

        using (var page = await _client.Http.GetAsync("/t/demo/login"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
    }

    public void Dispose() => _client.Dispose();

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    private async Task<HttpResponseMessage> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/t/demo/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await _client.Http.SendAsync(request);
    }

    /// <summary>The first check after the restart may meet a connection the restart broke; the one after it must not.</summary>
    private async Task WaitUntilReadyAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var ready = await _client.Http.GetAsync("/readyz");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(attempt < 2, $"/readyz is still {(int)ready.StatusCode} after the database came back.");
        }
    }
}
