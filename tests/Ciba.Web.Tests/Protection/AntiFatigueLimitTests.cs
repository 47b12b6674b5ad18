using System.Net;
using System.Text.Json;
using Ciba.Web.Tests.Protocol;
using Ciba.Web.Tests.ScaleOut;

namespace Ciba.Web.Tests.Protection;

/// <summary>product.md §14 anti-fatigue limits, each at its edge: the N-th allowed, the N+1-th refused with nothing stored or sent, allowed again later.</summary>
public sealed class AntiFatigueLimitTests(CibaWebFactoryWithoutDispatcher factory) : IClassFixture<CibaWebFactoryWithoutDispatcher>
{
    [Fact]
    public async Task PendingLimit_AtTheEdge_RefusesTheNextWithNothingStoredOrSent_AndAllowsItAfterExpiry()
    {
        await ProtectionTestData.SetLimitsAsync(factory.Services, pending: 3, perClient: 1000);
        using var client = new ProtocolClient(factory);
        var form = ProtocolClient.SeedRequest();
        form["login_hint"] = "alice";
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.BackchannelAsync(form);
            await ProtocolClient.AssertOkAsync(allowed);
        }

        var stored = await ProtectionTestData.RequestCountAsync(factory.Services, "alice");
        var queued = await ProtectionTestData.OutboxCountAsync(factory.Services);

        using var refused = await client.BackchannelAsync(form);

        await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.Forbidden, "access_denied");
        Assert.Contains("3 pending requests per user", await DescriptionAsync(refused), StringComparison.Ordinal);
        Assert.Equal(stored, await ProtectionTestData.RequestCountAsync(factory.Services, "alice"));
        Assert.Equal(queued, await ProtectionTestData.OutboxCountAsync(factory.Services));

        factory.Time.Advance(TimeSpan.FromSeconds(121));
        using var again = await client.BackchannelAsync(form);
        await ProtocolClient.AssertOkAsync(again);
    }

    [Fact]
    public async Task PerClientWindow_AtTheEdge_RefusesTheNext_AndAllowsItAfterTenMinutes()
    {
        await ProtectionTestData.SetLimitsAsync(factory.Services, pending: 100, perClient: 2);
        using var client = new ProtocolClient(factory);
        for (var i = 0; i < 2; i++)
        {
            await client.StartExternalAsync("demo-kiosk", "bob");
        }

        var stored = await ProtectionTestData.RequestCountAsync(factory.Services, "bob");
        using var refused = await client.BackchannelAsync(ProtocolClient.ExternalRequest("bob"), "demo-kiosk");

        await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.Forbidden, "access_denied");
        Assert.Contains("2 requests per user per client in 10 minutes", await DescriptionAsync(refused), StringComparison.Ordinal);
        Assert.Equal(stored, await ProtectionTestData.RequestCountAsync(factory.Services, "bob"));

        // Another application is counted on its own.
        await client.StartExternalAsync("demo-tv", "bob");

        factory.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await client.StartExternalAsync("demo-kiosk", "bob");
        await ProtectionTestData.SetLimitsAsync(factory.Services, pending: 100, perClient: 1000);
    }

    /// <summary>
    /// A signed request names its person inside the JWT, after the lookup that reads the counts of
    /// the form's login_hint: the limits must still be counted for that person (a FAPI client must
    /// not escape them by signing).
    /// </summary>
    [Fact]
    public async Task PendingLimit_SignedRequest_IsCountedForThePersonInsideTheJwt()
    {
        await ProtectionTestData.SetLimitsAsync(factory.Services, pending: 1, perClient: 1000);
        using var client = new ProtocolClient(factory);
        try
        {
            using var first = await SendSignedAsync(client, "carol");
            await ProtocolClient.AssertOkAsync(first);
            var stored = await ProtectionTestData.RequestCountAsync(factory.Services, "carol");

            using var refused = await SendSignedAsync(client, "carol");

            await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.Forbidden, "access_denied");
            Assert.Contains("1 pending requests per user", await DescriptionAsync(refused), StringComparison.Ordinal);
            Assert.Equal(stored, await ProtectionTestData.RequestCountAsync(factory.Services, "carol"));
        }
        finally
        {
            await ProtectionTestData.SetLimitsAsync(factory.Services, pending: 100, perClient: 1000);
        }
    }

    private Task<HttpResponseMessage> SendSignedAsync(ProtocolClient client, string person)
    {
        var now = factory.Time.GetUtcNow();
        var form = Protocol.Fapi.ClientJwts.AssertionForm(Protocol.Fapi.ClientJwts.Sign(
            Protocol.Fapi.ClientJwts.AssertionClaims(Protocol.Fapi.ClientJwts.DemoBank, now), Protocol.Fapi.ClientJwts.DemoBankEs256));
        form["request"] = Protocol.Fapi.ClientJwts.Sign(
            Protocol.Fapi.ClientJwts.RequestClaims(Protocol.Fapi.ClientJwts.DemoBank, now, person), Protocol.Fapi.ClientJwts.DemoBankEs256);
        return client.BackchannelAsync(form, clientId: null);
    }

    private static async Task<string> DescriptionAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error_description").GetString()!;
    }
}

/// <summary>The limits are counted in PostgreSQL: two nodes over one database share them.</summary>
public sealed class AntiFatigueTwoNodeTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    [Fact]
    public async Task PendingLimit_AcrossTwoNodes_CountsTheRequestsOfBoth()
    {
        await ProtectionTestData.SetLimitsAsync(cluster.First.Services, pending: 2, perClient: 1000);
        using var first = cluster.First.CreateClient(new CookieContainer());
        using var second = cluster.Second.CreateClient(new CookieContainer());

        using var one = await SendAsync(first);
        using var two = await SendAsync(second);
        using var third = await SendAsync(first);

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, two.StatusCode);

        await ProtocolClient.AssertOAuthErrorAsync(third, HttpStatusCode.Forbidden, "access_denied");
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ProtocolClient.BackchannelPath)
        {
            Content = new FormUrlEncodedContent(ProtocolClient.ExternalRequest("admin")),
        };
        request.Headers.Authorization = ProtocolClient.Basic("demo-kiosk", "demo-kiosk-secret");
        return http.SendAsync(request);
    }
}
