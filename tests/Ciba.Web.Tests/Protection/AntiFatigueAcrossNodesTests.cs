using System.Net;
using System.Text.Json;
using Ciba.Application.Backchannel.Report;
using Ciba.Application.Common.Interfaces;
using Ciba.Web.Tests.Protocol;
using Ciba.Web.Tests.ScaleOut;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Protection;

/// <summary>
/// Issue 14's tests: each anti-fatigue limit at its edge across two nodes over one database. The
/// N-th request is allowed on one node, the N+1-th refused on the other with nothing stored or
/// queued, and allowed again once the window (or the cooldown) is over, on the FakeTimeProvider
/// both nodes share.
/// </summary>
public sealed class AntiFatigueAcrossNodesTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    [Fact]
    public async Task PendingLimit_NthOnOneNode_NextRefusedOnTheOther_NothingSent_AllowedAfterExpiry()
    {
        await StartCleanAsync(pending: 2, perClient: 1000);
        using var first = cluster.First.CreateClient(new CookieContainer());
        using var second = cluster.Second.CreateClient(new CookieContainer());
        using (var one = await SendAsync(second, "demo-tv"))
        using (var nth = await SendAsync(first, "demo-tv"))
        {
            await ProtocolClient.AssertOkAsync(one);
            await ProtocolClient.AssertOkAsync(nth);
        }

        var (stored, queued) = await CountsAsync();
        Assert.True(queued > 0, "The accepted requests queued no message: the test would not see one being sent.");

        using var refused = await SendAsync(second, "demo-tv");

        await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.Forbidden, "access_denied");
        Assert.Contains("2 pending requests per user", await DescriptionAsync(refused), StringComparison.Ordinal);
        Assert.Equal((stored, queued), await CountsAsync());

        cluster.Time.Advance(TimeSpan.FromSeconds(121));
        using var again = await SendAsync(second, "demo-tv");
        await ProtocolClient.AssertOkAsync(again);
    }

    [Fact]
    public async Task PerClientWindow_NthOnOneNode_NextRefusedOnTheOther_NothingSent_AllowedAfterTenMinutes()
    {
        await StartCleanAsync(pending: 100, perClient: 2);
        using var first = cluster.First.CreateClient(new CookieContainer());
        using var second = cluster.Second.CreateClient(new CookieContainer());
        using (var one = await SendAsync(first, "demo-tv"))
        using (var nth = await SendAsync(first, "demo-tv"))
        {
            await ProtocolClient.AssertOkAsync(one);
            await ProtocolClient.AssertOkAsync(nth);
        }

        var counts = await CountsAsync();

        using var refused = await SendAsync(second, "demo-tv");

        await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.Forbidden, "access_denied");
        Assert.Contains("2 requests per user per client in 10 minutes", await DescriptionAsync(refused), StringComparison.Ordinal);
        Assert.Equal(counts, await CountsAsync());

        cluster.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var again = await SendAsync(second, "demo-tv");
        await ProtocolClient.AssertOkAsync(again);
    }

    [Fact]
    public async Task Cooldown_ReportedOnOneNode_RefusedOnTheOther_NothingSent_AllowedAfterTheCooldown()
    {
        await StartCleanAsync(pending: 100, perClient: 1000, cooldownMinutes: 5);
        using var first = cluster.First.CreateClient(new CookieContainer());
        using var second = cluster.Second.CreateClient(new CookieContainer());
        string linkKey;
        using (var started = await SendAsync(first, "demo-tv", external: true))
        {
            await ProtocolClient.AssertOkAsync(started);
            using var json = await ProtocolClient.ReadJsonAsync(started);
            var authUrl = new Uri(json.RootElement.GetProperty("auth_url").GetString()!);
            linkKey = Uri.UnescapeDataString(authUrl.Query["?authCodeKey=".Length..]);
        }

        Assert.True((await ReportOnFirstNodeAsync(linkKey)).IsSuccess);
        var counts = await CountsAsync();

        using var refused = await SendAsync(second, "demo-tv");

        await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.Forbidden, "access_denied");
        Assert.Contains("Cooldown", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(counts, await CountsAsync());

        // Another application may still reach the person.
        using (var other = await SendAsync(second, "demo-kiosk", external: true))
        {
            await ProtocolClient.AssertOkAsync(other);
        }

        cluster.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var again = await SendAsync(second, "demo-tv");
        await ProtocolClient.AssertOkAsync(again);
    }

    /// <summary>Sets the limits, and lets every earlier test's requests and windows run out.</summary>
    private async Task StartCleanAsync(int pending, int perClient, int cooldownMinutes = 60)
    {
        cluster.Time.Advance(TimeSpan.FromMinutes(61));
        await ProtectionTestData.SetLimitsAsync(cluster.First.Services, pending, perClient, cooldownMinutes);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string clientId, bool external = false)
    {
        var form = external ? ProtocolClient.ExternalRequest("alice") : ProtocolClient.SeedRequest();
        form["login_hint"] = "alice";
        var request = new HttpRequestMessage(HttpMethod.Post, ProtocolClient.BackchannelPath) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = ProtocolClient.Basic(clientId, clientId + "-secret");
        return http.SendAsync(request);
    }

    private Task<(int Requests, int Messages)> CountsAsync() => cluster.ReadAsync(async db =>
    {
        var aliceId = await db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync();
        return (await db.BackchannelRequests.CountAsync(r => r.UserId == aliceId), await db.OutgoingMessages.CountAsync());
    });

    private async Task<Application.Common.Results.Result> ReportOnFirstNodeAsync(string linkKey)
    {
        await using var scope = cluster.First.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var organization = (await services.GetRequiredService<IOrganizationLookup>().FindByHandleAsync("demo", CancellationToken.None))!;
        var alice = await services.GetRequiredService<IUserDirectory>().FindByLoginHintAsync(organization.Id, "alice", CancellationToken.None);
        services.GetRequiredService<IOrganizationContext>().Enter(organization.Id, organization.Handle);
        return await services.GetRequiredService<IMediator>().Send(new ReportBackchannelRequestCommand(organization.Id, linkKey, alice!.Id));
    }

    private static async Task<string> DescriptionAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error_description").GetString()!;
    }
}
