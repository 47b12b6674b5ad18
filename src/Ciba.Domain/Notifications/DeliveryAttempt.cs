namespace Ciba.Domain.Notifications;

/// <summary>
/// One try at sending an outbox message and what came of it, for the console's deliveries page
/// (product.md §11: each callback attempt is visible). Never the content, never a response body.
/// </summary>
public sealed class DeliveryAttempt
{
    private DeliveryAttempt()
    {
    }

    public Guid Id { get; private set; }

    public Guid OutgoingMessageId { get; private set; }

    public int Number { get; private set; }

    public DateTimeOffset AttemptedAt { get; private set; }

    /// <summary>The message's status right after this attempt: Sent, Failed, or Pending (a retry is scheduled).</summary>
    public DeliveryStatus Outcome { get; private set; }

    /// <summary>The classification of a failure (never a response body), or what the receiver answered.</summary>
    public string? Detail { get; private set; }

    /// <summary>Records the attempt the message has just counted.</summary>
    public static DeliveryAttempt Of(OutgoingMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new DeliveryAttempt
        {
            Id = Guid.NewGuid(),
            OutgoingMessageId = message.Id,
            Number = message.Attempts,
            AttemptedAt = now,
            Outcome = message.Status,
            Detail = message.Status == DeliveryStatus.Sent ? message.ProviderMessageId : message.LastError,
        };
    }
}
