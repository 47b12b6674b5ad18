using System.Diagnostics;
using Ciba.Application.Notifications;
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

/// <summary>
/// docs/decisions/0034-outbox-batches.md: outcomes that finish together are written in one round
/// trip, and that batching keeps every guarantee of one message at a time.
/// </summary>
public class OutboxBatchTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private readonly NotificationScenario _scenario = new(fixture);
    private Guid _organizationId;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _organizationId = await _scenario.CreateOrganizationAsync();
        Assert.True((await fixture.SendAsync(_organizationId, new UpdateEmailProviderCommand(_organizationId, EmailProviderKind.DevelopmentInbox))).IsSuccess);
        Assert.True((await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(_organizationId, SmsProviderKind.DevelopmentInbox))).IsSuccess);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task OutcomesWrittenInOneBatch_EachAuditRowCarriesItsOwnRequestsUserAndApplication()
    {
        const int count = 6;
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await _scenario.EnqueueSignInAsync(_organizationId, i % 2 == 0 ? MessageChannel.Email : MessageChannel.Sms, i % 2 == 0 ? $"user{i}@demo.test" : $"+1555040{i:D4}"));
        }

        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services);
        var batchSizes = HoldWriterUntilQueued(dispatcher, count);

        Assert.Equal(count, await dispatcher.DispatchOnceAsync());

        Assert.Equal(count, batchSizes[0]);
        var db = await ReadAsync();
        foreach (var id in ids)
        {
            var message = db.Messages.Single(m => m.Id == id);
            Assert.Equal(DeliveryStatus.Sent, message.Status);
            Assert.Equal(1, message.Attempts);
            Assert.Null(message.ClaimId);
            Assert.Null(message.ProtectedContent);
            var attempt = Assert.Single(db.Attempts, a => a.OutgoingMessageId == id);
            Assert.Equal((1, DeliveryStatus.Sent, message.ProviderMessageId), (attempt.Number, attempt.Outcome, attempt.Detail));
            var request = db.Requests[message.BackchannelRequestId!.Value];
            var audit = Assert.Single(db.Audit, e => e.UserId == request.UserId);
            Assert.Equal(
                (AuditActions.MessageSent, AuditOutcome.Succeeded, AuditActorKind.System, (Guid?)request.ApplicationId, message.CompletedAt, $"{message.Channel} to {RecipientMasking.Mask(message.Channel, message.Recipient)}"),
                (audit.Action, audit.Outcome, audit.ActorKind, audit.ApplicationId, (DateTimeOffset?)audit.OccurredAt, audit.Subject));
            var inbox = Assert.Single(db.Inbox, m => m.Recipient == message.Recipient);
            Assert.Equal(message.Channel, inbox.Channel);
            Assert.Equal(NotificationScenario.Link, inbox.Link);
        }

        Assert.Equal(count, db.Audit.Count);
    }

    [Fact]
    public async Task OneOutcomeFailingInABatch_TheOthersAreStillRecorded_AndTheFailedOneIsLeftToItsLease()
    {
        var good = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Email, "alice@demo.test");
        var alsoGood = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        var bad = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Email, "bob@demo.test");
        // The inbox subject holds 300 characters: an application name this long makes that one
        // message's insert fail inside the batch (the guarded update of its row with it).
        await ReplaceContentAsync(bad, new string('x', 400));

        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services);
        var batchSizes = HoldWriterUntilQueued(dispatcher, 3);

        Assert.Equal(3, await dispatcher.DispatchOnceAsync());

        Assert.Equal(3, batchSizes[0]);
        var db = await ReadAsync();
        foreach (var id in new[] { good, alsoGood })
        {
            var message = db.Messages.Single(m => m.Id == id);
            Assert.Equal((DeliveryStatus.Sent, 1), (message.Status, message.Attempts));
            Assert.Single(db.Attempts, a => a.OutgoingMessageId == id);
            Assert.Single(db.Inbox, m => m.Recipient == message.Recipient);
            Assert.Single(db.Audit, e => e.UserId == db.Requests[message.BackchannelRequestId!.Value].UserId);
        }

        var failed = db.Messages.Single(m => m.Id == bad);
        Assert.Equal((DeliveryStatus.Pending, 0), (failed.Status, failed.Attempts));
        Assert.NotNull(failed.ClaimId);
        Assert.NotNull(failed.ProtectedContent);
        Assert.DoesNotContain(db.Attempts, a => a.OutgoingMessageId == bad);
        Assert.DoesNotContain(db.Inbox, m => m.Recipient == "bob@demo.test");
        Assert.Equal(2, db.Audit.Count);
    }

    [Fact]
    public async Task TwoRunningDispatchersOverOneDatabase_NeverClaimTheSameMessage()
    {
        const int count = 120;
        for (var i = 0; i < count; i++)
        {
            await _scenario.EnqueueSignInAsync(_organizationId, i % 2 == 0 ? MessageChannel.Email : MessageChannel.Sms, i % 2 == 0 ? $"user{i}@demo.test" : $"+1555050{i:D4}");
        }

        var options = fixture.Services.GetRequiredService<IOptions<NotificationOptions>>();
        var first = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services, new ProviderGates(options));
        var second = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services, new ProviderGates(options));
        // Every claim either node makes, with its token: a message claimed twice shows up here.
        var claims = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        first.BeforeRecording = id => { claims.Add(id); return Task.CompletedTask; };
        second.BeforeRecording = id => { claims.Add(id); return Task.CompletedTask; };
        using var stopping = new CancellationTokenSource();
        var running = new[]
        {
            first.RunAsync(new OutboxWakeSignal(), stopping.Token),
            second.RunAsync(new OutboxWakeSignal(), stopping.Token),
        };

        var clock = Stopwatch.StartNew();
        while ((await ReadAsync()).Messages.Any(m => m.Status == DeliveryStatus.Pending) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        await stopping.CancelAsync();
        await Task.WhenAll(running);

        var db = await ReadAsync();
        Assert.Equal(count, db.Messages.Count);
        Assert.All(db.Messages, m => Assert.Equal((DeliveryStatus.Sent, 1), (m.Status, m.Attempts)));
        Assert.Equal(count, claims.Count);
        Assert.Equal(count, claims.Distinct().Count());
        Assert.Equal(count, db.Attempts.Count);
        Assert.Equal(count, db.Inbox.Select(m => m.Recipient).Distinct().Count());
        Assert.Equal(count, db.Inbox.Count);
        Assert.Equal(count, db.Audit.Select(e => e.UserId).Distinct().Count());
        Assert.Equal(count, db.Audit.Count);
    }

    [Fact]
    public async Task ProviderSettingsChangedBetweenSends_TheNextSendUsesTheNewOnes()
    {
        await using var vonage = RecordingHttpServer.Start();
        vonage.DefaultResponse = new ScriptedResponse(200, """{"message-count":"1","messages":[{"status":"0","message-id":"vonage-1"}]}""");
        var dispatcher = ActivatorUtilities.CreateInstance<OutboxDispatcher>(fixture.Services);
        var first = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");
        Assert.Equal(1, await dispatcher.DispatchOnceAsync());

        // The same instant (the clock is frozen): only the row's version tells the settings changed.
        Assert.True((await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(
            _organizationId, SmsProviderKind.Vonage, "vonage-key", "vonage-secret", "CibaDemo", vonage.BaseUrl))).IsSuccess);
        var second = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100002");
        Assert.Equal(1, await dispatcher.DispatchOnceAsync());

        var db = await ReadAsync();
        Assert.StartsWith("inbox-", db.Messages.Single(m => m.Id == first).ProviderMessageId, StringComparison.Ordinal);
        Assert.Equal("vonage-1", db.Messages.Single(m => m.Id == second).ProviderMessageId);
        Assert.Equal("15550100002", Assert.Single(vonage.Requests).Form["to"]);
        Assert.Single(db.Inbox);
    }

    /// <summary>Holds the dispatcher's writer of outcomes (its first round only) until <paramref name="count"/> wait; returns the sizes it saw.</summary>
    private static List<int> HoldWriterUntilQueued(OutboxDispatcher dispatcher, int count)
    {
        var seen = new List<int>();
        dispatcher.BeforeWritingRecords = async () =>
        {
            if (seen.Count > 0)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            while (dispatcher.QueuedRecords < count && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(10);
            }

            seen.Add(dispatcher.QueuedRecords);
        };
        return seen;
    }

    private async Task ReplaceContentAsync(Guid messageId, string applicationName)
    {
        var protector = fixture.Services.GetRequiredService<INotificationContentProtector>();
        var now = fixture.Time.GetUtcNow();
        var content = protector.Protect(new NotificationContent(applicationName, "1234", NotificationScenario.Link, now.AddMinutes(2), now));
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE \"OutgoingMessages\" SET \"ProtectedContent\" = @content WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("content", content);
        command.Parameters.AddWithValue("id", messageId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private sealed record Rows(
        List<OutgoingMessage> Messages,
        List<DeliveryAttempt> Attempts,
        List<DevelopmentInboxMessage> Inbox,
        List<AuditEvent> Audit,
        Dictionary<Guid, Ciba.Domain.Backchannel.BackchannelAuthenticationRequest> Requests);

    private Task<Rows> ReadAsync() =>
        fixture.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            return new Rows(
                await db.OutgoingMessages.AsNoTracking().ToListAsync(),
                await db.DeliveryAttempts.AsNoTracking().ToListAsync(),
                await db.DevelopmentInbox.AsNoTracking().ToListAsync(),
                await db.AuditEvents.AsNoTracking().Where(e => e.Action == AuditActions.MessageSent || e.Action == AuditActions.MessageFailed).ToListAsync(),
                await db.BackchannelRequests.AsNoTracking().ToDictionaryAsync(r => r.Id));
        });
}
