using System.Collections.Concurrent;
using System.Diagnostics;
using Ciba.Infrastructure.Persistence;
using Ciba.Web.Tests.Protocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Keys;

/// <summary>
/// Issue 11 (ADR 0023, ADR 0008): keys for three algorithms did not add a database round trip to the hot
/// paths. Every command Npgsql sends is an activity of its <c>Npgsql</c> source; those in the trace of
/// one request are that request's round trips. Once the ring is cached, a redeeming poll is still the
/// lookup and the write, whatever the ID token algorithm, and no request reads <c>SigningKeys</c>.
/// </summary>
public sealed class SigningKeyRoundTripTests(CibaWebFactoryWithoutDispatcher factory) : IClassFixture<CibaWebFactoryWithoutDispatcher>, IDisposable
{
    private static readonly ActivitySource TestSource = new("Ciba.Tests.RoundTrips");
    private readonly ProtocolClient _client = new(factory);

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public async Task RedeemingPoll_IsThreeRoundTrips_AndReadsNoSigningKey(string algorithm)
    {
        await SetAlgorithmAsync(algorithm);
        try
        {
            await RedeemAsync(); // warms the key ring, as any earlier token of the organization does
            var (authReqId, linkKey) = await _client.StartExternalAsync();
            Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);

            var commands = await CommandsOfAsync(async () =>
            {
                using var response = await _client.PollAsync(authReqId);
                await ProtocolClient.AssertOkAsync(response);
            });

            // ADR 0031: the one-statement pending poll finds nothing to do, then the request is read and redeemed.
            Assert.Equal(3, commands.Count);
            Assert.DoesNotContain(commands, c => c.Contains("SigningKeys", StringComparison.Ordinal));
        }
        finally
        {
            await SetAlgorithmAsync("RS256");
        }
    }

    [Fact]
    public async Task BackchannelRequest_ReadsNoSigningKey()
    {
        await RedeemAsync();

        var commands = await CommandsOfAsync(async () =>
        {
            using var response = await _client.BackchannelAsync(ProtocolClient.ExternalRequest());
            await ProtocolClient.AssertOkAsync(response);
        });

        Assert.NotEmpty(commands);
        Assert.DoesNotContain(commands, c => c.Contains("SigningKeys", StringComparison.Ordinal));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The text of every command sent to PostgreSQL in the trace of the requests <paramref name="work"/>
    /// sends: the requests carry a W3C <c>traceparent</c>, so ASP.NET Core starts each request's activity
    /// in the test's trace, and background work (which has its own traces) is not counted.
    /// </summary>
    private async Task<List<string>> CommandsOfAsync(Func<Task> work)
    {
        var commands = new ConcurrentQueue<(ActivityTraceId Trace, string Text)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore" or "Ciba.Tests.RoundTrips",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql")
                {
                    commands.Enqueue((activity.TraceId, activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        ActivityTraceId trace;
        using (var root = TestSource.StartActivity("request", ActivityKind.Internal, parentContext: default))
        {
            Assert.NotNull(root);
            trace = root.TraceId;
            _client.Http.DefaultRequestHeaders.Add("traceparent", root.Id);
            try
            {
                await work();
            }
            finally
            {
                _client.Http.DefaultRequestHeaders.Remove("traceparent");
            }
        }

        return commands.Where(c => c.Trace == trace).Select(c => c.Text).ToList();
    }

    private async Task RedeemAsync()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);
        using var response = await _client.PollAsync(authReqId);
        await ProtocolClient.AssertOkAsync(response);
    }

    private async Task SetAlgorithmAsync(string algorithm)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CibaDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == "demo-tv");
        application.ChangeIdTokenSigningAlgorithm(algorithm, factory.Time.GetUtcNow());
        await db.SaveChangesAsync();
    }
}
