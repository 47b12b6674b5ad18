using Ciba.Application.Common.Paging;
using Ciba.Application.Notifications;
using Ciba.Application.Notifications.DevelopmentInbox;
using Ciba.Application.Notifications.Providers.UpdateEmail;
using Ciba.Application.Notifications.Providers.UpdateSms;
using Ciba.Domain.Audit;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Notifications;
using Ciba.Infrastructure.Notifications.Dispatch;
using Ciba.Infrastructure.Persistence;
using Ciba.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ciba.Application.Tests.Notifications;

public class OutboxDispatcherTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private const string VonageAccepted = """{"message-count":"1","messages":[{"status":"0","message-id":"vonage-1"}]}""";

    private readonly NotificationScenario _scenario = new(fixture);
    private readonly RecordingHttpServer _vonage = RecordingHttpServer.Start();
    private Guid _organizationId;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _organizationId = await _scenario.CreateOrganizationAsync();
        var configured = await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(
            _organizationId, SmsProviderKind.Vonage, "vonage-key", "vonage-secret", "CibaDemo", _vonage.BaseUrl));
        Assert.True(configured.IsSuccess);
        _vonage.DefaultResponse = new ScriptedResponse(200, VonageAccepted);
    }

    public async Task DisposeAsync() => await _vonage.DisposeAsync();

    [Fact]
    public async Task DispatchOnce_WhenProviderAccepts_MarksSentWithProviderIdAndClearsContent()
    {
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        var claimed = await _scenario.Dispatcher.DispatchOnceAsync();

        Assert.Equal(1, claimed);
        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Sent, message.Status);
        Assert.Equal("vonage-1", message.ProviderMessageId);
        Assert.Equal(1, message.Attempts);
        Assert.Null(message.ProtectedContent);
        Assert.Equal(fixture.Time.GetUtcNow(), message.CompletedAt);
        var request = Assert.Single(_vonage.Requests);
        Assert.Equal("15550100001", request.Form["to"]);
        Assert.Contains(NotificationScenario.Link, request.Form["text"], StringComparison.Ordinal);
        Assert.Contains("expires in 2 minutes", request.Form["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchOnce_WhenNothingIsDue_ClaimsNothing()
    {
        Assert.Equal(0, await _scenario.Dispatcher.DispatchOnceAsync());
        Assert.Empty(_vonage.Requests);
    }

    [Fact]
    public async Task DispatchOnce_WhenProviderFailsTransiently_RetriesWithBackoffOnlyWhenDue()
    {
        _vonage.Enqueue(500, "oops").Enqueue(429, "slow down");
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        var start = fixture.Time.GetUtcNow();

        await _scenario.Dispatcher.DispatchOnceAsync();

        var afterFirst = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Pending, afterFirst.Status);
        Assert.Equal(1, afterFirst.Attempts);
        Assert.Equal(start.AddSeconds(2), afterFirst.NextAttemptAt);
        Assert.Contains("HTTP 500", afterFirst.LastError, StringComparison.Ordinal);
        Assert.NotNull(afterFirst.ProtectedContent);

        Assert.Equal(0, await _scenario.Dispatcher.DispatchOnceAsync());
        fixture.Time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, await _scenario.Dispatcher.DispatchOnceAsync());
        Assert.Single(_vonage.Requests);

        fixture.Time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(1, await _scenario.Dispatcher.DispatchOnceAsync());
        var afterSecond = await _scenario.MessageAsync(id);
        Assert.Equal(2, afterSecond.Attempts);
        Assert.Equal(fixture.Time.GetUtcNow().AddSeconds(4), afterSecond.NextAttemptAt);
        Assert.Contains("HTTP 429", afterSecond.LastError, StringComparison.Ordinal);

        fixture.Time.Advance(TimeSpan.FromSeconds(4));
        await _scenario.Dispatcher.DispatchOnceAsync();

        var sent = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Sent, sent.Status);
        Assert.Equal(3, sent.Attempts);
        Assert.Null(sent.LastError);
        Assert.Equal(3, _vonage.Requests.Count);
    }

    [Fact]
    public async Task DispatchOnce_WhenTransientFailuresReachMaxAttempts_MarksFailed()
    {
        var maxAttempts = fixture.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.MaxAttempts;
        _vonage.DefaultResponse = new ScriptedResponse(503, "unavailable");
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001", expiresInSeconds: 86400);

        for (var i = 0; i < maxAttempts; i++)
        {
            await _scenario.Dispatcher.DispatchOnceAsync();
            fixture.Time.Advance(TimeSpan.FromMinutes(10));
        }

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        Assert.Equal(maxAttempts, message.Attempts);
        Assert.StartsWith($"Gave up after {maxAttempts} attempts.", message.LastError, StringComparison.Ordinal);
        Assert.Null(message.ProtectedContent);
        Assert.Equal(maxAttempts, _vonage.Requests.Count);
    }

    [Fact]
    public async Task DispatchOnce_WhenProviderRejectsPermanently_MarksFailedWithError()
    {
        _vonage.Enqueue(200, """{"message-count":"1","messages":[{"status":"4","error-text":"Bad Credentials"}]}""");
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        await _scenario.Dispatcher.DispatchOnceAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await _scenario.Dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        Assert.Equal("Vonage status 4: Invalid Credentials", message.LastError);
        Assert.Equal(1, message.Attempts);
        Assert.Null(message.ProtectedContent);
        Assert.Single(_vonage.Requests);
    }

    /// <summary>
    /// product.md §14: a message the provider refuses for good, or that runs out of attempts, is
    /// audited as <c>message.failed</c> with its request's person and application, in the
    /// transaction that marks it failed, and with nothing of the message, the link or the provider's
    /// answer and credentials in the row.
    /// </summary>
    [Theory]
    [InlineData(400, false)]
    [InlineData(503, true)]
    public async Task DispatchOnce_WhenAMessageFails_AuditsMessageFailed_WithoutSecrets(int status, bool untilAttemptsRunOut)
    {
        const string Recipient = "+15550100001";
        var maxAttempts = fixture.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.MaxAttempts;
        _vonage.DefaultResponse = new ScriptedResponse(status, $$"""{"echo":"vonage-secret {{NotificationScenario.Link}} {{Recipient}}"}""");
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, Recipient, expiresInSeconds: 86400, bindingMessage: "9876");
        var requestId = (await _scenario.MessageAsync(id)).BackchannelRequestId;
        var request = await fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().BackchannelRequests.AsNoTracking().SingleAsync(r => r.Id == requestId));

        for (var i = 0; i < (untilAttemptsRunOut ? maxAttempts : 1); i++)
        {
            Assert.Empty(await FailedAuditAsync());
            await _scenario.Dispatcher.DispatchOnceAsync();
            fixture.Time.Advance(TimeSpan.FromMinutes(10));
        }

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        var row = Assert.Single(await FailedAuditAsync());
        Assert.Equal(
            (_organizationId, AuditOutcome.Failed, AuditActorKind.System, (string?)null, (Guid?)request.UserId, (Guid?)request.ApplicationId),
            (row.OrganizationId, row.Outcome, row.ActorKind, row.Actor, row.UserId, row.ApplicationId));
        Assert.Equal(message.CompletedAt, row.OccurredAt);
        Assert.Equal("Sms to " + RecipientMasking.Mask(MessageChannel.Sms, Recipient), row.Subject);
        Assert.Equal(message.LastError, row.Detail);
        Assert.Contains($"HTTP {status}", row.Detail, StringComparison.Ordinal);
        var text = string.Join('|', row.Action, row.Actor, row.Subject, row.Detail, row.SourceAddress);
        foreach (var secret in new[] { Recipient, "vonage-secret", "vonage-key", "raw-link-key-must-not-leak", "authCodeKey", "9876", "Living room TV", "echo" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private Task<List<AuditEvent>> FailedAuditAsync() =>
        fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditActions.MessageFailed).ToListAsync());

    [Fact]
    public async Task DispatchOnce_WhenHttp401_MarksFailed()
    {
        _vonage.Enqueue(401, """{"title":"Unauthorized"}""");
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        await _scenario.Dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        Assert.Contains("HTTP 401", message.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DispatchOnce_WhenRequestExpiredBeforeSending_SkipsWithoutSending()
    {
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001", expiresInSeconds: 60);
        fixture.Time.Advance(TimeSpan.FromSeconds(61));

        await _scenario.Dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Skipped, message.Status);
        Assert.Null(message.ProtectedContent);
        Assert.Empty(_vonage.Requests);
    }

    [Fact]
    public async Task DispatchOnce_WhenNoProviderForChannel_MarksFailed()
    {
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Email, "alice@demo.test");

        await _scenario.Dispatcher.DispatchOnceAsync();

        var message = await _scenario.MessageAsync(id);
        Assert.Equal(DeliveryStatus.Failed, message.Status);
        Assert.Equal("No email provider is configured.", message.LastError);
    }

    [Fact]
    public async Task DispatchOnce_WhenDevelopmentInbox_StoresMessageWithWorkingLink()
    {
        await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(_organizationId, EmailProviderKind.DevelopmentInbox));
        await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(_organizationId, SmsProviderKind.DevelopmentInbox));
        var emailId = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Email, "alice@demo.test", applicationName: "<Demo> TV");
        await _scenario.Dispatcher.DispatchOnceAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        await _scenario.Dispatcher.DispatchOnceAsync();

        var inbox = await fixture.SendAsync(_organizationId, new GetDevelopmentInboxQuery(_organizationId, PageRequest.First));
        Assert.Equal(2, inbox.Count);
        var sms = inbox.Items[0];
        var email = inbox.Items[1];
        Assert.Equal(MessageChannel.Sms, sms.Channel);
        Assert.Null(sms.Subject);
        Assert.Equal(MessageChannel.Email, email.Channel);
        Assert.Equal("alice@demo.test", email.Recipient);
        Assert.Equal("Sign-in request from <Demo> TV", email.Subject);
        Assert.Contains("Code: 1234", email.Body, StringComparison.Ordinal);
        Assert.Equal(NotificationScenario.Link, email.Link);
        var delivered = await _scenario.MessageAsync(emailId);
        Assert.Equal(DeliveryStatus.Sent, delivered.Status);
        Assert.StartsWith("inbox-", delivered.ProviderMessageId, StringComparison.Ordinal);
        Assert.Empty(_vonage.Requests);
    }

    [Fact]
    public async Task DispatchOnce_WhenTwoDispatchersRace_SendsEveryMessageExactlyOnce()
    {
        const int count = 40;
        _vonage.DefaultResponse = new ScriptedResponse(200, VonageAccepted, Delay: TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < count; i++)
        {
            await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, $"+1555020{i:D4}");
        }

        var first = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services);
        var second = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services);
        var claims = await Task.WhenAll(DrainAsync(first), DrainAsync(second), DrainAsync(first), DrainAsync(second));

        Assert.Equal(count, claims.Sum());
        Assert.Equal(count, _vonage.Requests.Count);
        Assert.Equal(count, _vonage.Requests.Select(r => r.Form["to"]).Distinct().Count());
        var messages = await _scenario.MessagesAsync();
        Assert.All(messages, m => Assert.Equal(DeliveryStatus.Sent, m.Status));
        Assert.All(messages, m => Assert.Equal(1, m.Attempts));
    }

    [Fact]
    public async Task DispatchOnce_WhenStoppedMidBatch_FinishesStartedSendsAndReleasesTheRest()
    {
        _vonage.DefaultResponse = new ScriptedResponse(200, VonageAccepted, Delay: TimeSpan.FromMilliseconds(400));
        for (var i = 0; i < 3; i++)
        {
            await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, $"+1555030{i:D4}");
        }

        var oneAtATime = ActivatorUtilities.CreateInstance<OutboxDispatcher>(
            fixture.Services, Options.Create(new NotificationOptions { MaxParallelSends = 1 }));
        using var stopping = new CancellationTokenSource();
        var dispatching = oneAtATime.DispatchOnceAsync(stopping.Token);
        await Task.Delay(150);
        await stopping.CancelAsync();
        var claimed = await dispatching;

        Assert.Equal(3, claimed);
        var messages = await _scenario.MessagesAsync();
        Assert.Single(_vonage.Requests);
        Assert.Single(messages, m => m.Status == DeliveryStatus.Sent);
        var released = messages.Where(m => m.Status == DeliveryStatus.Pending).ToList();
        Assert.Equal(2, released.Count);
        Assert.All(released, m => Assert.Equal(0, m.Attempts));
        Assert.All(released, m => Assert.True(m.NextAttemptAt <= fixture.Time.GetUtcNow()));

        Assert.Equal(2, await _scenario.Dispatcher.DispatchOnceAsync());
        Assert.Equal(3, _vonage.Requests.Count);
    }

    [Fact]
    public async Task DispatchOnce_WhenAnotherNodeHoldsTheClaim_LeavesTheMessageAlone()
    {
        _vonage.DefaultResponse = new ScriptedResponse(200, VonageAccepted, Delay: TimeSpan.FromMilliseconds(300));
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        var holding = _scenario.Dispatcher.DispatchOnceAsync();
        await Task.Delay(100);
        var meanwhile = await ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services).DispatchOnceAsync();
        await holding;

        Assert.Equal(0, meanwhile);
        Assert.Single(_vonage.Requests);
        Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(id)).Status);
    }

    [Fact]
    public async Task DispatchOnce_WhenANodeDiedHoldingTheClaim_SendsAfterTheClaimRunsOut()
    {
        var lease = fixture.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.ClaimLease;
        var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001", expiresInSeconds: 600);
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var claimByDeadNode = new NpgsqlCommand("UPDATE \"OutgoingMessages\" SET \"NextAttemptAt\" = @lease, \"ClaimId\" = gen_random_uuid() WHERE \"Id\" = @id", connection);
            claimByDeadNode.Parameters.AddWithValue("lease", fixture.Time.GetUtcNow() + lease);
            claimByDeadNode.Parameters.AddWithValue("id", id);
            await claimByDeadNode.ExecuteNonQueryAsync();
        }

        Assert.Equal(0, await _scenario.Dispatcher.DispatchOnceAsync());
        fixture.Time.Advance(lease);
        Assert.Equal(1, await _scenario.Dispatcher.DispatchOnceAsync());

        Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(id)).Status);
        Assert.Single(_vonage.Requests);
    }

    private static async Task<int> DrainAsync(OutboxDispatcher dispatcher)
    {
        var total = 0;
        for (var round = 0; round < 20; round++)
        {
            var claimed = await dispatcher.DispatchOnceAsync();
            if (claimed == 0)
            {
                return total;
            }

            total += claimed;
        }

        return total;
    }
}
