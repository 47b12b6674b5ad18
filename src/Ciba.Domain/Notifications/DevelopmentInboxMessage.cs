namespace Ciba.Domain.Notifications;

/// <summary>A message "delivered" to the development inbox instead of a real provider.</summary>
public sealed class DevelopmentInboxMessage
{
    private DevelopmentInboxMessage()
    {
        Recipient = string.Empty;
        Body = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public MessageChannel Channel { get; private set; }

    public string Recipient { get; private set; }

    public string? Subject { get; private set; }

    /// <summary>The plain-text body (for email, the text part).</summary>
    public string Body { get; private set; }

    /// <summary>The link the message carries, shown as an anchor in the console.</summary>
    public string? Link { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public static DevelopmentInboxMessage Create(
        Guid organizationId, MessageChannel channel, string recipient, string? subject, string body, string? link, DateTimeOffset now) =>
        new()
        {
            Id = Guid.NewGuid(),
            OrganizationId = organizationId,
            Channel = channel,
            Recipient = recipient,
            Subject = subject,
            Body = body,
            Link = link,
            ReceivedAt = now,
        };
}
