using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Security;
using Ciba.Application.Notifications.Deliveries;
using Ciba.Domain.Applications;
using Ciba.Domain.Notifications;
using Ciba.Testing;
using MediatR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Web.Tests.Callbacks;

/// <summary>The web app with a 3 s callback timeout and a fast expiry sweep, so timeout and expiry tests run in seconds.</summary>
public sealed class CallbackWebFactory : CibaWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ciba:Notifications:CallbackTimeout", "00:00:03");
        builder.UseSetting("Ciba:Notifications:CallbackSweepInterval", "00:00:00.200");
        builder.UseSetting("Ciba:Notifications:PollInterval", "00:00:00.100");
    }

    /// <summary>Sets a demo application's delivery mode (demo-kiosk: External only, so auth_url carries the link key).</summary>
    public async Task UseDeliveryAsync(TokenDeliveryMode mode, string? endpoint, string clientId = "demo-kiosk")
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var application = await db.Applications.SingleAsync(a => a.ClientId == clientId);
        application.UpdateTokenDelivery(mode, endpoint, Time.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The callback messages of the request with <paramref name="authReqId"/>.</summary>
    public async Task<List<OutgoingMessage>> CallbacksAsync(string authReqId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var hash = SecretHashing.HashToken(authReqId);
        var requestId = await db.BackchannelRequests.Where(r => r.AuthReqIdHash == hash).Select(r => r.Id).SingleAsync();
        return await db.OutgoingMessages.AsNoTracking()
            .Where(m => m.BackchannelRequestId == requestId && (m.Channel == MessageChannel.Ping || m.Channel == MessageChannel.Push))
            .ToListAsync();
    }

    /// <summary>Whether the request still holds its callback details (they must be forgotten once it ends).</summary>
    public async Task<bool> StillHoldsCallbackAsync(string authReqId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var hash = SecretHashing.HashToken(authReqId);
        return await db.BackchannelRequests.Where(r => r.AuthReqIdHash == hash).Select(r => r.ProtectedCallback != null).SingleAsync();
    }

    public async Task<DeliveryAttemptsView> AttemptsAsync(OutgoingMessage message)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetDeliveryAttemptsQuery(message.OrganizationId, message.Id));
        return result.Value;
    }
}

internal static class Receivers
{
    /// <summary>Waits until <paramref name="server"/> has recorded at least <paramref name="count"/> requests.</summary>
    public static async Task<IReadOnlyList<RecordedRequest>> WaitForAsync(this RecordingHttpServer server, int count, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (server.Requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Expected {count} callback(s), got {server.Requests.Count}.");
            }

            await Task.Delay(50);
        }

        return server.Requests;
    }

    /// <summary>Waits until the request's one callback message satisfies <paramref name="done"/>.</summary>
    public static async Task<OutgoingMessage> WaitForMessageAsync(this CallbackWebFactory factory, string authReqId, Func<OutgoingMessage, bool> done, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var message = (await factory.CallbacksAsync(authReqId)).SingleOrDefault();
            if (message is not null && done(message))
            {
                return message;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The callback message did not get there: {message?.Status} after {message?.Attempts} attempts ({message?.LastError}).");
            }

            await Task.Delay(50);
        }
    }
}
