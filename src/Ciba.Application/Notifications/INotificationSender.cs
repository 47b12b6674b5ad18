using Ciba.Domain.Notifications;

namespace Ciba.Application.Notifications;

/// <summary>Sends one outbox message through its organization's provider for the channel.</summary>
public interface INotificationSender
{
    Task<SendOutcome> SendAsync(NotificationDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>One message, decrypted, ready to be rendered and sent.</summary>
/// <param name="Recipient">An email address, or a mobile number in E.164.</param>
/// <param name="IsTest">A console "send test message" rather than a sign-in request.</param>
public sealed record NotificationDelivery(
    Guid MessageId,
    Guid OrganizationId,
    MessageChannel Channel,
    string Recipient,
    NotificationContent Content,
    bool IsTest);
