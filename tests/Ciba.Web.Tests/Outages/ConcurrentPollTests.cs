using System.Net;
using System.Text.Json;
using Ciba.Web.Tests.Protocol;

namespace Ciba.Web.Tests.Outages;

/// <summary>Issue 10 item 5: many clients polling one request at once never get a 5xx.</summary>
public sealed class ConcurrentPollTests(CibaWebFactory factory) : IClassFixture<CibaWebFactory>, IDisposable
{
    private const int Polls = 20;

    private readonly ProtocolClient _client = new(factory);

    [Fact]
    public async Task Poll_TwentyAtOnceOnAPendingRequest_AreAllPendingOrSlowDown()
    {
        var (authReqId, _) = await _client.StartExternalAsync();

        var answers = await PollTogetherAsync(authReqId);

        Assert.All(answers, answer =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Contains(answer.Error, new[] { "authorization_pending", "slow_down" });
            Assert.True(answer.NoStore);
        });
    }

    [Fact]
    public async Task Poll_TwentyAtOnceOnAnApprovedRequest_IssueTokensExactlyOnce()
    {
        var (authReqId, linkKey) = await _client.StartExternalAsync();
        Assert.True((await _client.ApproveAsync(linkKey)).IsSuccess);

        var answers = await PollTogetherAsync(authReqId);

        Assert.Single(answers, a => a.Status == HttpStatusCode.OK && a.HasAccessToken);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), answer =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Contains(answer.Error, new[] { "invalid_grant", "slow_down" });
        });
    }

    public void Dispose() => _client.Dispose();

    private async Task<Answer[]> PollTogetherAsync(string authReqId)
    {
        using var start = new SemaphoreSlim(0, Polls);
        var polls = Enumerable.Range(0, Polls).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await _client.PollAsync(authReqId);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            return new Answer(
                response.StatusCode,
                json.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null,
                json.RootElement.TryGetProperty("access_token", out JsonElement _),
                response.Headers.CacheControl?.NoStore == true);
        }).ToArray();
        start.Release(Polls);
        return await Task.WhenAll(polls);
    }

    private sealed record Answer(HttpStatusCode Status, string? Error, bool HasAccessToken, bool NoStore);
}
