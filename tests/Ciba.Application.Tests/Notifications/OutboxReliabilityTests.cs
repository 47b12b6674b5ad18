using System.Diagnostics;
using System.Globalization;
using Ciba.Application.Common.Paging;
using Ciba.Application.Notifications.DevelopmentInbox;
using Ciba.Application.Notifications.Providers.UpdateEmail;
using Ciba.Application.Notifications.Providers.UpdateSms;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Notifications;
using Ciba.Infrastructure.Notifications.Dispatch;
using Ciba.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ciba.Application.Tests.Notifications;

/// <summary>Issue 10 items 1–3: claims renewed, recorded with retries, never recorded by a stale claim; Retry-After, breakers and send slots.</summary>
public class OutboxReliabilityTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private const string VonageAccepted = """{"message-count":"1","messages":[{"status":"0","message-id":"vonage-1"}]}""";

    private readonly NotificationScenario _scenario = new(fixture);
    private readonly RecordingHttpServer _vonage = RecordingHttpServer.Start();
    private readonly RecordingHttpServer _sendGrid = RecordingHttpServer.Start();
    private Guid _organizationId;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _organizationId = await _scenario.CreateOrganizationAsync();
        Assert.True((await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(
            _organizationId, SmsProviderKind.Vonage, "vonage-key", "vonage-secret", "CibaDemo", _vonage.BaseUrl))).IsSuccess);
        Assert.True((await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(
            _organizationId, EmailProviderKind.SendGrid, "SG.key", "no-reply@ciba.test", "Ciba", _sendGrid.BaseUrl))).IsSuccess);
        _vonage.DefaultResponse = new ScriptedResponse(200, VonageAccepted);
        _sendGrid.DefaultResponse = new ScriptedResponse(202, string.Empty, Headers: new Dictionary<string, string> { ["X-Message-Id"] = "sg-1" });
    }

    public async Task DisposeAsync()
    {
        await _vonage.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    [Fact]
    public async Task Http429WithRetryAfterSeconds_NextAttemptWaitsThatLong()
    {
        _vonage.Enqueue(429, "busy", headers: new Dictionary<string, string> { ["Retry-After"] = "7" });
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        var start = fixture.Time.GetUtcNow();

        await _scenario.Dispatcher.DispatchOnceAsync();

        var throttled = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Pending, throttled.Status);
        Assert.Equal(start.AddSeconds(7), throttled.NextAttemptAt);
        Assert.Equal("Vonage: http 4xx (HTTP 429).", throttled.LastError);
        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(0, await _scenario.Dispatcher.DispatchOnceAsync());
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _scenario.Dispatcher.DispatchOnceAsync());
        Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(id)).Status);
        Assert.Equal(2, _vonage.Requests.Count);
    }

    [Fact]
    public async Task Http429WithRetryAfterDate_NextAttemptWaitsUntilThen()
    {
        var start = fixture.Time.GetUtcNow();
        var retryAt = start.AddSeconds(9);
        _vonage.Enqueue(429, "busy", headers: new Dictionary<string, string> { ["Retry-After"] = retryAt.ToString("R", CultureInfo.InvariantCulture) });
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        await _scenario.Dispatcher.DispatchOnceAsync();

        var next = (await _scenario.MessageAsync(id)).NextAttemptAt;
        Assert.InRange(next, retryAt.AddSeconds(-1), retryAt);
        Assert.True(next > start.AddSeconds(2), "The date outweighs the 2 s backoff.");
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Http401Or403_IsNotRetried(int status)
    {
        _vonage.Enqueue(status, "no");
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        await _scenario.Dispatcher.DispatchOnceAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await _scenario.Dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        Assert.Equal($"Vonage: http 4xx (HTTP {status}).", message.LastError);
        Assert.Single(_vonage.Requests);
    }

    [Fact]
    public async Task ProviderAnswerBody_NeverReachesTheRecordedError()
    {
        _vonage.Enqueue(500, "root:x:0:0:internal-service-banner", "text/plain");
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        await _scenario.Dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal("Vonage: http 5xx (HTTP 500).", message.LastError);
    }

    [Fact]
    public async Task RepeatedTransientFailures_OpenTheBreakerForThatProviderOnly()
    {
        var threshold = fixture.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.BreakerFailureThreshold;
        _vonage.DefaultResponse = new ScriptedResponse(503, "down");
        for (var i = 0; i < threshold; i++)
        {
            await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, $"+155502000{i:D2}", expiresInSeconds: 3600);
            Assert.Equal(1, await _scenario.Dispatcher.DispatchOnceAsync());
        }

        var heldBack = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001", expiresInSeconds: 3600);
        var email = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Email, "alice@demo.test", expiresInSeconds: 3600);
        await _scenario.Dispatcher.DispatchOnceAsync();

        Assert.Equal(threshold, _vonage.Requests.Count);
        var held = await _scenario.MessageAsync(heldBack);
        Assert.Equal(DeliveryStatus.Pending, held.Status);
        Assert.Equal(0, held.Attempts);
        Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(email)).Status);

        _vonage.DefaultResponse = new ScriptedResponse(200, VonageAccepted);
        fixture.Time.Advance(fixture.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.BreakerOpenFor);
        for (var round = 0; round < 10 && (await _scenario.MessageAsync(heldBack)).Status == DeliveryStatus.Pending; round++)
        {
            await _scenario.Dispatcher.DispatchOnceAsync();
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(heldBack)).Status);
    }

    [Fact]
    public async Task HangingProvider_DoesNotDelayOtherChannels()
    {
        _sendGrid.DefaultResponse = new ScriptedResponse(202, string.Empty, Delay: TimeSpan.FromSeconds(6));
        for (var i = 0; i < 4; i++)
        {
            await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Email, $"user{i}@demo.test");
        }

        fixture.Time.Advance(TimeSpan.FromMilliseconds(1));
        var sms = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            sms.Add(await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, $"+155503000{i:D2}"));
        }

        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(
            fixture.Services, Options.Create(new NotificationOptions { MaxParallelSends = 4 }));
        using var stopping = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var running = dispatcher.RunAsync(new OutboxWakeSignal(), stopping.Token);
        while (_vonage.Requests.Count < sms.Count && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
        }

        var smsDone = clock.Elapsed;
        await stopping.CancelAsync();
        await running;

        Assert.Equal(sms.Count, _vonage.Requests.Count);
        // The email provider hangs until its 5 s timeout; the SMS must not wait for it.
        Assert.True(smsDone < TimeSpan.FromSeconds(3), $"The SMS took {smsDone}.");
        foreach (var id in sms)
        {
            Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(id)).Status);
        }

        Assert.InRange(_sendGrid.Requests.Count, 1, 3);
    }

    [Fact]
    public async Task OrphanedClaim_WhenTheRequestExpiredMeanwhile_IsRecordedAsOrphanedNotAsExpiry()
    {
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001", expiresInSeconds: 20);
        await ClaimAsDeadNodeAsync(id, fixture.Time.GetUtcNow().AddSeconds(30));
        fixture.Time.Advance(TimeSpan.FromSeconds(31));

        await _scenario.Dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Skipped, message.Status);
        Assert.Equal(OutgoingMessage.OrphanedClaimReason, message.LastError);
        Assert.Null(message.ClaimId);
        Assert.Empty(_vonage.Requests);
    }

    [Fact]
    public async Task OrphanedClaim_WhenTheRequestIsStillLive_IsSentAfterTheLease()
    {
        var lease = fixture.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.ClaimLease;
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        await ClaimAsDeadNodeAsync(id, fixture.Time.GetUtcNow() + lease);

        Assert.Equal(0, await _scenario.Dispatcher.DispatchOnceAsync());
        fixture.Time.Advance(lease);
        Assert.Equal(1, await _scenario.Dispatcher.DispatchOnceAsync());

        Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(id)).Status);
        Assert.Single(_vonage.Requests);
    }

    [Fact]
    public async Task ClaimTakenOverBeforeRecording_RecordsNothingAndStoresNoInboxMessage()
    {
        await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(_organizationId, SmsProviderKind.DevelopmentInbox));
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services);
        dispatcher.BeforeRecording = _ => ClaimAsDeadNodeAsync(id, fixture.Time.GetUtcNow().AddSeconds(30));

        await dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Pending, message.Status);
        Assert.Equal(0, message.Attempts);
        var inbox = await fixture.SendAsync(_organizationId, new GetDevelopmentInboxQuery(_organizationId, PageRequest.First));
        Assert.Empty(inbox.Items);
    }

    [Fact]
    public async Task DevelopmentInbox_MessageIsStoredWithItsOutcome()
    {
        await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(_organizationId, SmsProviderKind.DevelopmentInbox));
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        await _scenario.Dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        var stored = Assert.Single((await fixture.SendAsync(_organizationId, new GetDevelopmentInboxQuery(_organizationId, PageRequest.First))).Items);
        Assert.Equal("inbox-" + stored.Id.ToString("N"), message.ProviderMessageId);
    }

    [Fact]
    public async Task DatabaseConnectionsKilledBeforeRecording_OutcomeIsStillRecordedOnce()
    {
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services);
        dispatcher.BeforeRecording = _ => TerminateOtherConnectionsAsync();

        await dispatcher.DispatchOnceAsync();
        NpgsqlConnection.ClearAllPools();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Sent, message.Status);
        Assert.Equal(1, message.Attempts);
        Assert.Null(message.ClaimId);
        Assert.Single(_vonage.Requests);
    }

    [Fact]
    public async Task SlowSend_RenewsItsLease_SoNoOtherNodeTakesTheMessage()
    {
        _vonage.DefaultResponse = new ScriptedResponse(200, VonageAccepted, Delay: TimeSpan.FromSeconds(3.5));
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        var shortLease = Options.Create(new NotificationOptions { ClaimLease = TimeSpan.FromSeconds(3), ProviderTimeout = TimeSpan.FromSeconds(3) });
        var holder = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services, shortLease);
        var other = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services, shortLease);

        var holding = holder.DispatchOnceAsync();
        await Task.Delay(300);
        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(TimeSpan.FromSeconds(2.2)); // renewals at 1 s and 2 s push the lease to now + 3 s
        fixture.Time.Advance(TimeSpan.FromSeconds(2)); // past the first lease (3 s), within the renewed one
        var takenMeanwhile = await other.DispatchOnceAsync();
        await holding;

        Assert.Equal(0, takenMeanwhile);
        Assert.Single(_vonage.Requests);
        Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(id)).Status);
    }

    [Fact]
    public async Task ProcessingErrorBeforeSending_GivesTheClaimBackAtOnce()
    {
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        // The claim needs no scope (ADR 0034); the first scope (the provider's sender, resolved before anything goes out) fails.
        var failing = new FailingScopeFactory(fixture.Services.GetRequiredService<IServiceScopeFactory>(), failOnCall: 1);
        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services, failing);

        Assert.Equal(1, await dispatcher.DispatchOnceAsync());

        var released = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Pending, released.Status);
        Assert.Null(released.ClaimId);
        Assert.Equal(0, released.Attempts);
        Assert.True(released.NextAttemptAt <= fixture.Time.GetUtcNow());
        Assert.Empty(_vonage.Requests);

        // Due again at once, not when the lease would have ended.
        Assert.Equal(1, await _scenario.Dispatcher.DispatchOnceAsync());
        Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(id)).Status);
    }

    [Fact]
    public void Options_LeaseMustBeWellBelowTheRequestExpiry()
    {
        Assert.Empty(NotificationOptions.Validate(new NotificationOptions()));
        Assert.Contains(NotificationOptions.Validate(new NotificationOptions { ClaimLease = TimeSpan.FromMinutes(2) }), e => e.Contains("ClaimLease", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(5), new NotificationOptions().ProviderTimeout);
    }

    private async Task ClaimAsDeadNodeAsync(Guid id, DateTimeOffset leaseUntil)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE \"OutgoingMessages\" SET \"NextAttemptAt\" = @lease, \"ClaimId\" = gen_random_uuid() WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("lease", leaseUntil);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync();
    }

    // Ends every server session of this test class's own database: the dispatcher's pooled
    // connections break, as in a PostgreSQL restart, without touching any other test's database.
    private async Task TerminateOtherConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        await command.ExecuteScalarAsync();
    }

    private sealed class FailingScopeFactory(IServiceScopeFactory inner, int failOnCall) : IServiceScopeFactory
    {
        private int _calls;

        public IServiceScope CreateScope() =>
            Interlocked.Increment(ref _calls) == failOnCall
                ? throw new InvalidOperationException("Simulated failure before sending.")
                : inner.CreateScope();
    }
}
