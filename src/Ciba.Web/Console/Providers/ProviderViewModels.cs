using Ciba.Domain.Notifications;

namespace Ciba.Web.Console.Providers;

/// <summary>
/// The providers page. Its shape follows <c>GetNotificationProvidersQuery</c>'s view (secrets are
/// never shown: only whether one is stored) so the integrator can map one onto the other.
/// </summary>
public sealed class ProvidersViewModel
{
    public bool Connected { get; init; }

    public EmailProviderForm Email { get; init; } = new();

    public SmsProviderForm Sms { get; init; } = new();

    public TestMessageForm Test { get; init; } = new();

    public bool HasSendGridApiKey { get; init; }

    public bool HasVonageApiSecret { get; init; }

    public DeliveryRow? LastTestDelivery { get; init; }
}

/// <param name="ApiKey">Write-only: blank keeps the stored key.</param>
public sealed class EmailProviderForm
{
    public EmailProviderKind Provider { get; set; }

    public string? ApiKey { get; set; }

    public string? FromAddress { get; set; }

    public string? FromName { get; set; }

    public string? BaseUrl { get; set; }
}

/// <param name="ApiSecret">Write-only: blank keeps the stored secret.</param>
public sealed class SmsProviderForm
{
    public SmsProviderKind Provider { get; set; }

    public string? ApiKey { get; set; }

    public string? ApiSecret { get; set; }

    public string? From { get; set; }

    public string? BaseUrl { get; set; }
}

public sealed class TestMessageForm
{
    public MessageChannel Channel { get; set; } = MessageChannel.Email;

    public string? Recipient { get; set; }
}

/// <summary>One delivery as the console shows it (recipient already masked), after <c>DeliveryView</c>.</summary>
public sealed record DeliveryRow(
    Guid Id,
    MessageChannel Channel,
    string MaskedRecipient,
    DeliveryStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);

/// <summary>One development-inbox message, after <c>DevelopmentInboxMessageView</c>.</summary>
public sealed record InboxRow(
    Guid Id,
    MessageChannel Channel,
    string Recipient,
    string? Subject,
    string Body,
    string? Link,
    DateTimeOffset ReceivedAt);
