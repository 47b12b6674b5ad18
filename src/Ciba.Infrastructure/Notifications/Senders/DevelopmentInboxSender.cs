using Ciba.Application.Notifications;
using Ciba.Domain.Notifications;

namespace Ciba.Infrastructure.Notifications.Senders;

/// <summary>
/// "Delivers" a message to the organization's development inbox, shown in the console. The message
/// is not saved here: the dispatcher stores it in the same transaction as the outcome. Refused
/// outside Development (and the test host).
/// </summary>
public sealed class DevelopmentInboxSender(ProviderEndpointPolicy policy, TimeProvider time)
{
    public const string NotAvailable = "The development inbox is available only when Ciba runs in Development; choose a real provider.";

    public SendOutcome Send(Guid organizationId, MessageChannel channel, string recipient, string? subject, string body, string? link)
    {
        if (!policy.DevelopmentInboxAllowed)
        {
            return SendOutcome.Permanent(NotAvailable);
        }

        return SendOutcome.StoredInInbox(DevelopmentInboxMessage.Create(organizationId, channel, recipient, subject, body, link, time.GetUtcNow()));
    }
}
