using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Ciba.Testing;
using Ciba.Web.Tests.Hosting;
using Ciba.Web.Tests.Protocol;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ciba.Web.Tests.Telemetry;

/// <summary>
/// Metrics on with a Prometheus endpoint for 10.2.0.0/16, traces on to an OTLP collector (a local
/// recording server) and, for the assertions, to an in-memory exporter.
/// </summary>
public sealed class TelemetryWebFactory : CibaWebFactory, IAsyncLifetime
{
    public RecordingHttpServer Collector { get; } = RecordingHttpServer.Start();

    public ConcurrentQueue<Activity> Activities { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ciba:Telemetry:Metrics:Enabled", "true");
        builder.UseSetting("Ciba:Telemetry:Metrics:SampleInterval", "00:00:01");
        builder.UseSetting("Ciba:Telemetry:Prometheus:Enabled", "true");
        builder.UseSetting("Ciba:Telemetry:Prometheus:AllowedNetworks:0", "10.2.0.0/16");
        builder.UseSetting("Ciba:Telemetry:Traces:Enabled", "true");
        builder.UseSetting("Ciba:Telemetry:OtlpEndpoint", Collector.BaseUrl + "/");
        builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new QueueingProcessor(Activities))));
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Collector.DisposeAsync();
    }

    private sealed class QueueingProcessor(ConcurrentQueue<Activity> activities) : OpenTelemetry.BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => activities.Enqueue(data);
    }
}

/// <summary>
/// Alone, after the parallel tests: OpenTelemetry listens to meters by name across the process, so
/// other test hosts' "Ciba" meters would otherwise show up in this host's scrape.
/// </summary>
[CollectionDefinition(nameof(TelemetryTestGroup), DisableParallelization = true)]
public sealed class TelemetryTestGroup;

[Collection(nameof(TelemetryTestGroup))]
public class TelemetryTests(TelemetryWebFactory factory) : IClassFixture<TelemetryWebFactory>, IDisposable
{
    private const string ScrapingAddress = "10.2.3.4";
    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Scrape_AfterAFlow_CountsRequestsByEndpointAndOutcome_PollOutcomesAndPending()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync("demo-kiosk");
        using (var pending = await _client.PollAsync(authReqId, "demo-kiosk"))
        {
            await ProtocolClient.AssertOAuthErrorAsync(pending, HttpStatusCode.BadRequest, "authorization_pending");
        }

        using (var refused = await _client.BackchannelAsync(new Dictionary<string, string> { ["scope"] = "profile", ["login_hint"] = "alice" }))
        {
            await ProtocolClient.AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_scope");
        }

        factory.Time.Advance(TimeSpan.FromSeconds(3));
        var pendingGauge = await ScrapeUntilAsync(text => PrometheusText.Sum(text, "ciba_auth_requests_pending") >= 1);
        Assert.True(PrometheusText.Sum(pendingGauge, "ciba_auth_requests_pending") >= 1);

        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        using (var issued = await _client.PollAsync(authReqId, "demo-kiosk"))
        {
            await ProtocolClient.AssertOkAsync(issued);
        }

        // ASP.NET Core records a request's duration after its response is sent: wait for both polls' too.
        var text = await ScrapeUntilAsync(t =>
            PrometheusText.Sum(t, "ciba_token_polls_total", ("outcome", "issued")) >= 1
            && PrometheusText.Sum(t, "http_server_request_duration_seconds_count", ("http_route", "t/{org}/oauth2/token")) >= 2);
        Assert.True(PrometheusText.Sum(text, "ciba_protocol_requests_total", ("endpoint", "backchannel"), ("outcome", "ok")) >= 1);
        Assert.True(PrometheusText.Sum(text, "ciba_protocol_requests_total", ("endpoint", "backchannel"), ("outcome", "invalid_scope")) >= 1);
        Assert.True(PrometheusText.Sum(text, "ciba_protocol_requests_total", ("endpoint", "token"), ("outcome", "authorization_pending")) >= 1);
        Assert.True(PrometheusText.Sum(text, "ciba_protocol_requests_total", ("endpoint", "token"), ("outcome", "ok")) >= 1);
        Assert.True(PrometheusText.Sum(text, "ciba_token_polls_total", ("outcome", "authorization_pending")) >= 1);
        Assert.NotNull(PrometheusText.Sum(text, "ciba_outbox_dispatch_lag_seconds"));
        Assert.NotNull(PrometheusText.Sum(text, "ciba_outbox_due"));
        Assert.True(PrometheusText.Sum(text, "http_server_request_duration_seconds_count", ("http_route", "t/{org}/oauth2/token")) >= 2);
    }

    [Fact]
    public async Task Scrape_AfterEmailAndSmsRequests_CountsDeliveriesByChannelAndStatus()
    {
        using (var response = await _client.BackchannelAsync(new Dictionary<string, string> { ["scope"] = "openid", ["login_hint"] = "alice" }))
        {
            await ProtocolClient.AssertOkAsync(response);
        }

        var text = await ScrapeUntilAsync(t =>
            PrometheusText.Sum(t, "ciba_deliveries_total", ("channel", "email"), ("status", "sent")) >= 1
            && PrometheusText.Sum(t, "ciba_deliveries_total", ("channel", "sms"), ("status", "sent")) >= 1);

        Assert.True(PrometheusText.Sum(text, "ciba_deliveries_total", ("channel", "email"), ("status", "sent")) >= 1);
    }

    [Theory]
    [InlineData("203.0.113.5")]
    [InlineData("10.3.0.1")]
    [InlineData("127.0.0.1")]
    public async Task Scrape_FromOutsideTheAllowedNetworks_IsNotFound(string remote)
    {
        var context = await factory.Server.SendFromAsync(remote, "https", "/metrics", new Dictionary<string, string> { ["X-Forwarded-For"] = ScrapingAddress });

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
        Assert.DoesNotContain("ciba_", await context.BodyAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traces_OfAFlow_HaveRouteAndDatabaseSpans_AndCarryNoSecrets()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync("demo-kiosk");
        using (var poll = await _client.PollAsync(authReqId, "demo-kiosk"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, poll.StatusCode);
        }

        using (var link = await _client.Http.GetAsync(AuthRequests.LinkPath(linkKey)))
        {
            Assert.NotEqual(HttpStatusCode.InternalServerError, link.StatusCode);
        }

        var request = await WaitForAsync(() => factory.Activities.FirstOrDefault(a =>
            a.Source.Name == "Microsoft.AspNetCore" && Equals(a.GetTagItem("http.route"), "t/{org}/oauth2/ciba")));
        Assert.Contains(factory.Activities, a => a.Source.Name == "Npgsql" && a.TraceId == request.TraceId);
        await WaitForAsync(() => factory.Activities.FirstOrDefault(a => a.DisplayName.Contains("ciba_authorize", StringComparison.Ordinal)));

        var secrets = new[] { authReqId, linkKey, Uri.EscapeDataString(linkKey), "demo-kiosk-secret", ProtocolClient.Basic("demo-kiosk", "demo-kiosk-secret").Parameter! };
        foreach (var activity in factory.Activities)
        {
            var recorded = activity.DisplayName + " " + string.Join(" ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, recorded, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Traces_AreExportedToTheOtlpCollector()
    {
        using (var discovery = await _client.Http.GetAsync("/t/demo/oauth2/token/.well-known/openid-configuration"))
        {
            await ProtocolClient.AssertOkAsync(discovery);
        }

        Assert.True(factory.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        var exports = factory.Collector.Requests.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(exports);
        Assert.All(exports, export => Assert.Equal("POST", export.Method));
        Assert.All(exports, export => Assert.Equal("application/x-protobuf", export.ContentType));
    }

    public void Dispose() => _client.Dispose();

    private async Task<string> ScrapeUntilAsync(Func<string, bool> done)
    {
        var text = string.Empty;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var context = await factory.Server.SendFromAsync(ScrapingAddress, "http", "/metrics");
            Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
            text = await context.BodyAsync();
            if (done(text))
            {
                return text;
            }

            factory.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(200);
        }

        Assert.Fail("The scrape never showed the expected values:\n" + text);
        return text;
    }

    private static async Task<Activity> WaitForAsync(Func<Activity?> find)
    {
        for (var i = 0; i < 100; i++)
        {
            if (find() is { } activity)
            {
                return activity;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The activity was never recorded.");
    }
}

[Collection(nameof(TelemetryTestGroup))]
public class TelemetryOffByDefaultTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>
{
    [Fact]
    public async Task ByDefault_NoTelemetryIsRegistered_AndThereIsNoScrapeEndpoint()
    {
        Assert.Null(factory.Services.GetService<MeterProvider>());
        Assert.Null(factory.Services.GetService<TracerProvider>());

        var context = await factory.Server.SendFromAsync("127.0.0.1", "https", "/metrics");

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
    }
}

public class TelemetryConfigurationTests
{
    [Theory]
    [InlineData("Ciba:Telemetry:Prometheus:Port", "")]
    [InlineData("Ciba:Telemetry:Prometheus:AllowedNetworks:0", "everyone")]
    [InlineData("Ciba:Telemetry:Prometheus:Port", "70000")]
    public async Task PrometheusWithoutAnAccessRule_StopsTheStart(string key, string value)
    {
        var factory = new MisconfiguredWebFactory(
            ("Ciba:Telemetry:Metrics:Enabled", "true"), ("Ciba:Telemetry:Prometheus:Enabled", "true"), (key, value));
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(factory.InitializeAsync);

            Assert.Contains("Ciba:Telemetry:Prometheus", failure.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }
}
