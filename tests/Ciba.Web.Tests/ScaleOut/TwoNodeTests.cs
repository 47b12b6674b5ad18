using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Persistence;
using Ciba.Testing;
using Ciba.Web.Tests.Protocol;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Ciba.Web.Tests.ScaleOut;

/// <summary>One node of the service: its own container, caches, Data Protection ring and outbox dispatcher; the database is shared.</summary>
public sealed class ServiceNode(string connectionString, TimeProvider time) : WebApplicationFactory<Program>
{
    public HttpClient CreateClient(CookieContainer cookies) =>
        CreateDefaultClient(new Uri(CibaWebFactory.ClientBaseAddress), new CookieContainerHandler(cookies));

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseCibaTestSettings(connectionString, CibaWebFactory.PublicOrigin, time);
}

/// <summary>Two nodes over one PostgreSQL database; the first starts (and migrates and seeds), then the second, as in a rolling start.</summary>
public sealed class TwoNodeCluster : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public ServiceNode First { get; private set; } = null!;

    public ServiceNode Second { get; private set; } = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("scale");
        First = new ServiceNode(ConnectionString, Time);
        _ = First.Server;
        Second = new ServiceNode(ConnectionString, Time);
        _ = Second.Server;
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }

    public async Task<T> ReadAsync<T>(Func<CibaDbContext, Task<T>> read)
    {
        await using var scope = First.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CibaDbContext>());
    }
}

public sealed partial class TwoNodeTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    [Fact]
    public async Task InitiateOnOne_SignInAndApproveAcrossBoth_PollBoth_TokensValidateOnTheOther()
    {
        var phoneCookies = new CookieContainer();
        using var clientToFirst = cluster.First.CreateClient(new CookieContainer());
        using var clientToSecond = cluster.Second.CreateClient(new CookieContainer());
        using var phoneOnFirst = cluster.First.CreateClient(phoneCookies);
        using var phoneOnSecond = cluster.Second.CreateClient(phoneCookies);

        var (authReqId, linkPath) = await StartExternalAsync(clientToFirst);
        using (var pending = await PollAsync(clientToSecond, authReqId))
        {
            await ProtocolClient.AssertOAuthErrorAsync(pending, HttpStatusCode.BadRequest, "authorization_pending");
        }

        // The sign-in form comes from one node and is posted to the other: antiforgery across nodes.
        var signInToken = await AntiforgeryTokenAsync(phoneOnSecond, "/t/demo/login");
        using (var signIn = await phoneOnFirst.PostAsync("/t/demo/login", Form(("Login", "alice"), ("Password", "Alice-Passw0rd!"), ("ReturnUrl", linkPath), ("__RequestVerificationToken", signInToken))))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        // The session cookie issued by the first node is honoured by the second, and the reverse.
        var approveToken = await AntiforgeryTokenAsync(phoneOnSecond, linkPath);
        var linkKey = Uri.UnescapeDataString(linkPath[(linkPath.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        using (var approve = await phoneOnFirst.PostAsync("/t/demo/oauth2/ciba_authorize/approve", Form(("authCodeKey", linkKey), ("__RequestVerificationToken", approveToken))))
        {
            Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
            Assert.Equal("/t/demo/oauth2/ciba_authorize/done?outcome=approved", approve.Headers.Location?.OriginalString);
        }

        cluster.Time.Advance(TimeSpan.FromSeconds(3));
        using var issued = await PollAsync(clientToFirst, authReqId);
        await ProtocolClient.AssertOkAsync(issued);
        using var tokens = await ProtocolClient.ReadJsonAsync(issued);
        using (var again = await PollAsync(clientToSecond, authReqId))
        {
            await ProtocolClient.AssertOAuthErrorAsync(again, HttpStatusCode.BadRequest, "invalid_grant");
        }

        // Keys across nodes: the second node publishes the key the first signed with, and accepts its access token.
        var idToken = new JsonWebToken(tokens.RootElement.GetProperty("id_token").GetString());
        using var jwks = JsonDocument.Parse(await clientToSecond.GetStringAsync("/t/demo/oauth2/jwks"));
        Assert.Contains(jwks.RootElement.GetProperty("keys").EnumerateArray(), key => key.GetProperty("kid").GetString() == idToken.Kid);
        using var userInfo = new HttpRequestMessage(HttpMethod.Get, "/t/demo/oauth2/userinfo");
        userInfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.RootElement.GetProperty("access_token").GetString());
        using var claims = await clientToSecond.SendAsync(userInfo);
        await ProtocolClient.AssertOkAsync(claims);
    }

    [Fact]
    public async Task RequestsSpreadOverBothNodes_EachOutboxMessageIsSentOnce()
    {
        const int requests = 20;
        using var clientToFirst = cluster.First.CreateClient(new CookieContainer());
        using var clientToSecond = cluster.Second.CreateClient(new CookieContainer());
        var before = await cluster.ReadAsync(db => db.OutgoingMessages.CountAsync());

        await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            using var response = await BackchannelAsync(i % 2 == 0 ? clientToFirst : clientToSecond, "demo-tv", [("scope", "openid"), ("login_hint", "alice")]);
            await ProtocolClient.AssertOkAsync(response);
        }));

        var expected = before + (requests * 2);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await cluster.ReadAsync(db => db.OutgoingMessages.CountAsync(m => m.Status == DeliveryStatus.Sent)) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var messages = await cluster.ReadAsync(db => db.OutgoingMessages.AsNoTracking().ToListAsync());
        Assert.Equal(expected, messages.Count);
        Assert.All(messages, m => Assert.Equal(DeliveryStatus.Sent, m.Status));
        Assert.All(messages, m => Assert.Equal(1, m.Attempts));
        Assert.Equal(expected, await cluster.ReadAsync(db => db.DevelopmentInbox.CountAsync()));
    }

    private static async Task<(string AuthReqId, string LinkPath)> StartExternalAsync(HttpClient client)
    {
        using var response = await BackchannelAsync(client, "demo-kiosk", [("scope", "openid profile"), ("login_hint", "alice"), ("binding_message", "1234")]);
        await ProtocolClient.AssertOkAsync(response);
        using var json = await ProtocolClient.ReadJsonAsync(response);
        var authUrl = new Uri(json.RootElement.GetProperty("auth_url").GetString()!);
        return (json.RootElement.GetProperty("auth_req_id").GetString()!, authUrl.PathAndQuery);
    }

    private static Task<HttpResponseMessage> BackchannelAsync(HttpClient client, string clientId, (string, string)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/t/demo/oauth2/ciba") { Content = Form(fields) };
        request.Headers.Authorization = ProtocolClient.Basic(clientId, clientId + "-secret");
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PollAsync(HttpClient client, string authReqId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/t/demo/oauth2/token")
        {
            Content = Form(("grant_type", ProtocolClient.CibaGrant), ("auth_req_id", authReqId)),
        };
        request.Headers.Authorization = ProtocolClient.Basic("demo-kiosk", "demo-kiosk-secret");
        return client.SendAsync(request);
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        using var page = await client.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)page.StatusCode}.");
        return WebUtility.HtmlDecode(AntiforgeryTokenField().Match(html).Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryTokenField();
}
