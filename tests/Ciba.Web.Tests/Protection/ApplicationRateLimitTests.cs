using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Ciba.Domain.Applications;
using Ciba.Web.Tests.Console;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Web.Tests.Protection;

/// <summary>A database of its own: the per-application limits set here must not reach other tests.</summary>
public sealed class ApplicationRateLimitFactory : CibaWebFactory;

/// <summary>Issue 14 item 4: the per-application limit on the backchannel, token, revocation and introspection endpoints (ADR 0026).</summary>
public sealed class ApplicationRateLimitTests(ApplicationRateLimitFactory factory) : IClassFixture<ApplicationRateLimitFactory>, IDisposable
{
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task LimitedApplication_NthRequestAllowed_NextIs429WithRetryAfter_OtherApplicationUnaffected()
    {
        await SetLimitAsync("demo-tv", 3);

        // The backchannel and token endpoints share the one limit.
        using (var first = await _client.PollAsync("unknown-1", "demo-tv"))
        {
            await ProtocolClient.AssertOAuthErrorAsync(first, HttpStatusCode.BadRequest, "invalid_grant");
        }

        using (var second = await _client.BackchannelAsync(new Dictionary<string, string> { ["scope"] = "openid" }, "demo-tv"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        }

        using (var third = await _client.PollAsync("unknown-3", "demo-tv"))
        {
            await ProtocolClient.AssertOAuthErrorAsync(third, HttpStatusCode.BadRequest, "invalid_grant");
        }

        using var fourth = await _client.PollAsync("unknown-4", "demo-tv");
        await ProtocolClient.AssertOAuthErrorAsync(fourth, HttpStatusCode.TooManyRequests, "temporarily_unavailable");
        var retryAfter = fourth.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 60);
        using (var json = await ProtocolClient.ReadJsonAsync(fourth))
        {
            Assert.Contains("3 requests per minute", json.RootElement.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        }

        using var backchannel = await _client.BackchannelAsync(ProtocolClient.ExternalRequest(), "demo-tv");
        await ProtocolClient.AssertOAuthErrorAsync(backchannel, HttpStatusCode.TooManyRequests, "temporarily_unavailable");

        using var revoke = await _client.PostFormAsync("/t/demo/oauth2/revoke", new Dictionary<string, string> { ["token"] = "x" }, "demo-tv");
        await ProtocolClient.AssertOAuthErrorAsync(revoke, HttpStatusCode.TooManyRequests, "temporarily_unavailable");

        // Another application is not touched by demo-tv's limit.
        for (var i = 0; i < 5; i++)
        {
            using var other = await _client.PollAsync("unknown", "demo-kiosk");
            await ProtocolClient.AssertOAuthErrorAsync(other, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    [Fact]
    public async Task ByDefault_NoLimit()
    {
        Assert.Null((await factory.ApplicationAsync("demo-kiosk")).RateLimitPerMinute);

        for (var i = 0; i < 40; i++)
        {
            using var response = await _client.PollAsync("unknown", "demo-kiosk");
            await ProtocolClient.AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    [Fact]
    public async Task Console_TokensTab_SetsAndClearsTheLimit()
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var web = await factory.ApplicationAsync("demo-web");
        var path = $"/t/demo/console/applications/{web.Id}/tokens";

        using (var saved = await admin.PostFormAsync(path, [.. Lifetimes(), new("RateLimitPerMinute", "120")]))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        Assert.Equal(120, (await factory.ApplicationAsync("demo-web")).RateLimitPerMinute);
        Assert.Matches("\"RateLimitPerMinute\"[^>]*value=\"120\"", await admin.GetPageAsync(path));

        using (var cleared = await admin.PostFormAsync(path, [.. Lifetimes(), new("RateLimitPerMinute", "")]))
        {
            Assert.Equal(HttpStatusCode.Redirect, cleared.StatusCode);
        }

        Assert.Null((await factory.ApplicationAsync("demo-web")).RateLimitPerMinute);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("-5")]
    [InlineData("ten")]
    [InlineData("1.5")]
    public async Task Console_TokensTab_LimitOutOfRange_IsAFieldErrorAndSavesNothing(string value)
    {
        using var admin = await ConsoleSession.AdminAsync(factory);
        var web = await factory.ApplicationAsync("demo-web");

        using var response = await admin.PostFormAsync($"/t/demo/console/applications/{web.Id}/tokens", [.. Lifetimes(), new("RateLimitPerMinute", value)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(new Regex("data-valmsg-for=\"RateLimitPerMinute\"[^>]*>Leave empty for no limit"), await response.Content.ReadAsStringAsync());
        Assert.Null((await factory.ApplicationAsync("demo-web")).RateLimitPerMinute);
    }

    public void Dispose() => _client.Dispose();

    private static KeyValuePair<string, string>[] Lifetimes() =>
    [
        new("RefreshTokenLifetimeSeconds", RefreshTokenSettings.Default.AbsoluteLifetimeSeconds.ToString(CultureInfo.InvariantCulture)),
        new("RefreshTokenIdleLifetimeSeconds", RefreshTokenSettings.Default.IdleLifetimeSeconds.ToString(CultureInfo.InvariantCulture)),
    ];

    private Task<int> SetLimitAsync(string clientId, int perMinute) =>
        factory.ReadAsync(async db =>
        {
            var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
            application.SetProtection(application.NumberMatching, perMinute, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
}
