using System.Diagnostics;
using System.Net;
using Ciba.Application.Common.Security;
using Ciba.Domain.Applications;
using Ciba.Infrastructure.Clients;
using Ciba.Infrastructure.Persistence;
using Ciba.Web.Tests.Protocol;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ciba.Web.Tests.ScaleOut;

/// <summary>
/// ADR 0031: applications are served from memory on every node, and a change made through one
/// node (or straight in the database) reaches the other within <see cref="ApplicationChangeListener.StalenessBound"/>;
/// a lost listening connection (as in a database restart) empties the cache.
/// </summary>
public sealed class ApplicationCacheTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    private static readonly TimeSpan Bound = ApplicationChangeListener.StalenessBound;

    [Fact]
    public async Task RotatedSecret_OnTheFirstNode_IsRefusedByTheSecond_WithinTheBound()
    {
        using var second = cluster.Second.CreateClient(new CookieContainer());
        await WarmAsync(cluster.Second, second, "demo-kiosk", "demo-kiosk-secret");

        await ChangeOnFirstAsync("demo-kiosk", (a, now) => a.ReplaceSecret(SecretHashing.HashClientSecret("rotated-secret"), now));

        var refusedAfter = await WithinBoundAsync(async () => (await PollAsync(second, "demo-kiosk", "demo-kiosk-secret")).Error == "invalid_client");
        Assert.True(refusedAfter < Bound, $"The old secret was accepted {refusedAfter} after the change.");
        Assert.Equal("invalid_grant", (await PollAsync(second, "demo-kiosk", "rotated-secret")).Error);
    }

    [Fact]
    public async Task EnabledCiba_OnTheFirstNode_IsUsedByTheSecond_WithinTheBound()
    {
        using var second = cluster.Second.CreateClient(new CookieContainer());
        Assert.Equal("unauthorized_client", (await PollAsync(second, "demo-web", "demo-web-secret")).Error);
        Assert.True(Cache(cluster.Second).TryGet(await OrganizationIdAsync(), "demo-web", out _));

        await ChangeOnFirstAsync("demo-web", (a, now) => a.UpdateProtocol([.. a.GrantTypes, GrantTypes.Ciba], a.CibaSettings, now));

        var usedAfter = await WithinBoundAsync(async () => (await PollAsync(second, "demo-web", "demo-web-secret")).Error == "invalid_grant");
        Assert.True(usedAfter < Bound, $"The old setting was used {usedAfter} after the change.");
    }

    [Fact]
    public async Task ApplicationDeletedInTheDatabase_IsUnknownOnBothNodes_WithinTheBound()
    {
        using var first = cluster.First.CreateClient(new CookieContainer());
        using var second = cluster.Second.CreateClient(new CookieContainer());
        await WarmAsync(cluster.First, first, "demo-push", "demo-push-secret");
        await WarmAsync(cluster.Second, second, "demo-push", "demo-push-secret");

        // Neither node's DbContext sees this: only the trigger's notification tells them.
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand("""DELETE FROM "Applications" WHERE "ClientId" = 'demo-push'""", connection);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        foreach (var client in new[] { first, second })
        {
            var refusedAfter = await WithinBoundAsync(async () => (await PollAsync(client, "demo-push", "demo-push-secret")).Error == "invalid_client");
            Assert.True(refusedAfter < Bound, $"The deleted application was accepted {refusedAfter} after the change.");
        }
    }

    [Fact]
    public async Task LostListeningConnection_EmptiesTheCache_ThenItServesAgain()
    {
        using var second = cluster.Second.CreateClient(new CookieContainer());
        var cache = Cache(cluster.Second);
        await WarmAsync(cluster.Second, second, "demo-tv", "demo-tv-secret");
        var generation = cache.Generation;

        // What a database restart does to the listening connection.
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{ApplicationChangeListener.ApplicationName}' AND datname = current_database()",
                connection);
            Assert.Equal(2L, await terminate.ExecuteScalarAsync());
        }

        var emptiedAfter = await WithinBoundAsync(() => Task.FromResult(cache.Generation > generation && cache.Count == 0));
        Assert.True(emptiedAfter < Bound, $"The cache still held applications {emptiedAfter} after the connection was lost.");
        await WithinBoundAsync(() => Task.FromResult(cache.IsServing));
        Assert.Equal("invalid_grant", (await PollAsync(second, "demo-tv", "demo-tv-secret")).Error);
        Assert.True(cache.TryGet(await OrganizationIdAsync(), "demo-tv", out _));
    }

    [Fact]
    public void ReadThatBeganBeforeAChange_IsNotKept()
    {
        var cache = new ApplicationCache();
        cache.StartServing();
        var application = ClientApplication.Create(Guid.NewGuid(), "App", "app", SecretHashing.HashClientSecret("s"), [GrantTypes.Ciba], CibaSettings.Default, DateTimeOffset.UtcNow);

        var generation = cache.Generation;
        cache.InvalidateAll();
        cache.Add(application, generation);
        Assert.False(cache.TryGet(application.OrganizationId, "app", out _));

        cache.Add(application, cache.Generation);
        Assert.True(cache.TryGet(application.OrganizationId, "app", out _));

        cache.StopServing();
        cache.Add(application, cache.Generation);
        Assert.False(cache.TryGet(application.OrganizationId, "app", out _));
    }

    /// <summary>A poll with an auth_req_id nobody issued: invalid_client, unauthorized_client or invalid_grant tell what the node thinks of the client.</summary>
    private static async Task<(HttpStatusCode Status, string? Error)> PollAsync(HttpClient client, string clientId, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ProtocolClient.TokenPath)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = ProtocolClient.CibaGrant, ["auth_req_id"] = "not-issued" }),
        };
        request.Headers.Authorization = ProtocolClient.Basic(clientId, secret);
        using var response = await client.SendAsync(request);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        return (response.StatusCode, json.RootElement.GetProperty("error").GetString());
    }

    private async Task WarmAsync(WebApplicationFactory<Program> node, HttpClient client, string clientId, string secret)
    {
        var cache = Cache(node);
        await WithinBoundAsync(() => Task.FromResult(cache.IsServing));
        Assert.NotEqual("invalid_client", (await PollAsync(client, clientId, secret)).Error);
        Assert.True(cache.TryGet(await OrganizationIdAsync(), clientId, out _), "The node did not keep the application.");
    }

    private async Task ChangeOnFirstAsync(string clientId, Action<ClientApplication, DateTimeOffset> change)
    {
        await using var scope = cluster.First.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
        change(application, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
    }

    private Task<Guid> OrganizationIdAsync() =>
        cluster.ReadAsync(db => db.Organizations.Where(o => o.Handle == "demo").Select(o => o.Id).SingleAsync());

    private static ApplicationCache Cache(WebApplicationFactory<Program> node) => node.Services.GetRequiredService<ApplicationCache>();

    /// <summary>Waits for <paramref name="condition"/> up to twice the bound; returns how long it took (fails past that).</summary>
    private static async Task<TimeSpan> WithinBoundAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < 2 * Bound, "The condition did not hold within twice the bound.");
            await Task.Delay(20);
        }

        return clock.Elapsed;
    }
}
