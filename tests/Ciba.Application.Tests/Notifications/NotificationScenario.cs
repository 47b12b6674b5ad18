using Ciba.Application.Common.Security;
using Ciba.Application.Notifications;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Notifications;
using Ciba.Domain.Organizations;
using Ciba.Infrastructure.Identity;
using Ciba.Infrastructure.Notifications.Dispatch;
using Ciba.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ciba.Application.Tests.Notifications;

/// <summary>Organizations, sign-in requests and their outbox rows, written the way the backchannel endpoint writes them.</summary>
internal sealed class NotificationScenario(ApplicationFixture fixture)
{
    public const string Link = "https://ciba.test/t/demo/oauth2/ciba_authorize?authCodeKey=raw-link-key-must-not-leak";

    public OutboxDispatcher Dispatcher => fixture.Services.GetRequiredService<OutboxDispatcher>();

    public async Task<Guid> CreateOrganizationAsync(string handle = "demo")
    {
        var organization = Organization.Create(handle, "Demo Org", fixture.Time.GetUtcNow());
        await WithDbAsync(db =>
        {
            db.Organizations.Add(organization);
            return Task.CompletedTask;
        });
        return organization.Id;
    }

    /// <summary>A backchannel request and its one outgoing message, committed together.</summary>
    public async Task<Guid> EnqueueSignInAsync(
        Guid organizationId, MessageChannel channel, string recipient, int expiresInSeconds = 120, string applicationName = "Living room TV", string? bindingMessage = "1234")
    {
        var now = fixture.Time.GetUtcNow();
        var protector = fixture.Services.GetRequiredService<INotificationContentProtector>();
        var suffix = Guid.NewGuid().ToString("N");
        var application = ClientApplication.Create(
            organizationId, applicationName, "client-" + suffix, SecretHashing.HashClientSecret("secret"), [GrantTypes.Ciba], CibaSettings.Default, now);
        var user = new CibaUser { Id = Guid.NewGuid(), OrganizationId = organizationId, UserName = "user-" + suffix, NormalizedUserName = "USER-" + suffix.ToUpperInvariant() };
        var request = BackchannelAuthenticationRequest.Create(
            organizationId, application.Id, user.Id, SecretHashing.HashToken("auth-" + suffix), SecretHashing.HashToken("link-" + suffix),
            "openid", bindingMessage, NotificationChannels.Email | NotificationChannels.Sms, expiresInSeconds, 2, now);
        var expiresAt = now.AddSeconds(expiresInSeconds);
        var content = new NotificationContent(applicationName, bindingMessage, Link, expiresAt, now);
        var message = OutgoingMessage.Create(organizationId, request.Id, channel, recipient, protector.Protect(content), expiresAt, now);
        await WithDbAsync(db =>
        {
            db.Applications.Add(application);
            db.Users.Add(user);
            db.BackchannelRequests.Add(request);
            db.OutgoingMessages.Add(message);
            return Task.CompletedTask;
        });
        return message.Id;
    }

    public Task<OutgoingMessage> MessageAsync(Guid id) =>
        fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().OutgoingMessages.AsNoTracking().SingleAsync(m => m.Id == id));

    public Task<List<OutgoingMessage>> MessagesAsync() =>
        fixture.InScopeAsync(sp => sp.GetRequiredService<CibaDbContext>().OutgoingMessages.AsNoTracking().ToListAsync());

    private Task<int> WithDbAsync(Func<CibaDbContext, Task> work) =>
        fixture.InScopeAsync<int>(async sp =>
        {
            var db = sp.GetRequiredService<CibaDbContext>();
            await work(db);
            return await db.SaveChangesAsync();
        });
}
