using System.Globalization;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Notifications;
using Ciba.Domain.Notifications;

namespace Ciba.Infrastructure.Notifications.Senders;

/// <summary>"Delivers" a message by storing it in the organization's development inbox, shown in the console.</summary>
public sealed class DevelopmentInboxSender(IApplicationDbContext db, TimeProvider time)
{
    public async Task<SendOutcome> SendAsync(
        Guid organizationId, MessageChannel channel, string recipient, string? subject, string body, string? link, CancellationToken cancellationToken)
    {
        var message = DevelopmentInboxMessage.Create(organizationId, channel, recipient, subject, body, link, time.GetUtcNow());
        db.DevelopmentInbox.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return SendOutcome.Sent("inbox-" + message.Id.ToString("N", CultureInfo.InvariantCulture));
    }
}
