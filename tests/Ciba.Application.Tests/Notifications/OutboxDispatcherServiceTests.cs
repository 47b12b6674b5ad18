using System.Diagnostics;
using Ciba.Application.Notifications.Providers.UpdateSms;
using Ciba.Domain.Notifications;
using Ciba.Infrastructure.Notifications.Dispatch;
using Ciba.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ciba.Application.Tests.Notifications;

public class OutboxDispatcherServiceTests(ApplicationFixture fixture) : IClassFixture<ApplicationFixture>, IAsyncLifetime
{
    private readonly NotificationScenario _scenario = new(fixture);
    private readonly RecordingHttpServer _vonage = RecordingHttpServer.Start();
    private Guid _organizationId;

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        _organizationId = await _scenario.CreateOrganizationAsync();
        await fixture.SendAsync(_organizationId, new UpdateSmsProviderCommand(
            _organizationId, SmsProviderKind.Vonage, "vonage-key", "vonage-secret", "CibaDemo", _vonage.BaseUrl));
        _vonage.DefaultResponse = new ScriptedResponse(200, """{"messages":[{"status":"0","message-id":"v-1"}]}""");
    }

    public async Task DisposeAsync() => await _vonage.DisposeAsync();

    [Fact]
    public async Task SavingAnOutgoingMessage_WakesTheLocalDispatcher()
    {
        var signal = fixture.Services.GetRequiredService<OutboxWakeSignal>();
        await signal.WaitAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        var woken = signal.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(woken.IsCompleted);

        await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

        await woken.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task HostedService_WhenRunning_SendsANewMessage()
    {
        var service = fixture.Services.GetServices<IHostedService>().OfType<OutboxDispatcherService>().Single();
        await service.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(200);
            var clock = Stopwatch.StartNew();
            var id = await _scenario.EnqueueSignInAsync(_organizationId, MessageChannel.Sms, "+15550100001");

            while ((await _scenario.MessageAsync(id)).Status == DeliveryStatus.Pending && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            // That a new message wakes the dispatcher at once is SavingAnOutgoingMessage_WakesTheLocalDispatcher's
            // job; a wall-clock bound here only measured how busy the machine was.
            Assert.Equal(DeliveryStatus.Sent, (await _scenario.MessageAsync(id)).Status);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Single(_vonage.Requests);
    }
}
