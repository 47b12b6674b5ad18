using Ciba.Domain.Notifications;

namespace Ciba.Application.Notifications.Deliveries;

/// <summary>One outbox message as the console shows it: recipient masked, never its content.</summary>
/// <param name="BackchannelRequestId">Null for a console test message.</param>
/// <param name="NextAttemptAt">When a pending message is tried next; null once it is done.</param>
public sealed record DeliveryView(
    Guid Id,
    Guid? BackchannelRequestId,
    MessageChannel Channel,
    string Recipient,
    DeliveryStatus Status,
    int Attempts,
    string? LastError,
    string? ProviderMessageId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt)
{
    internal static DeliveryView From(OutgoingMessage message) => new(
        message.Id,
        message.BackchannelRequestId,
        message.Channel,
        RecipientMasking.Mask(message.Channel, message.Recipient),
        message.Status,
        message.Attempts,
        message.LastError,
        message.ProviderMessageId,
        message.CreatedAt,
        message.Status == DeliveryStatus.Pending ? message.NextAttemptAt : null,
        message.CompletedAt);
}
