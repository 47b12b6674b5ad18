using Ciba.Application.Notifications;
using Ciba.Application.Notifications.Deliveries;
using Ciba.Application.Notifications.DevelopmentInbox;
using Ciba.Application.Notifications.Providers.GetProviders;
using Ciba.Domain.Notifications;

namespace Ciba.Web.Console.Providers;

/// <summary>The providers page, from <see cref="NotificationProvidersView"/>: secrets are never shown, only whether one is stored.</summary>
public sealed class ProvidersViewModel
{
    public EmailProviderForm Email { get; init; } = new();

    public SmsProviderForm Sms { get; init; } = new();

    public TestMessageForm Test { get; init; } = new();

    public bool HasSendGridApiKey { get; init; }

    public bool HasVonageApiSecret { get; init; }

    public DeliveryRow? LastTestDelivery { get; init; }

    public static ProvidersViewModel From(NotificationProvidersView providers, DeliveryRow? lastTestDelivery)
    {
        ArgumentNullException.ThrowIfNull(providers);
        return new ProvidersViewModel
        {
            Email = new EmailProviderForm
            {
                Provider = providers.Email.Provider,
                FromAddress = providers.Email.FromAddress,
                FromName = providers.Email.FromName,
                BaseUrl = providers.Email.BaseUrl,
            },
            Sms = new SmsProviderForm
            {
                Provider = providers.Sms.Provider,
                ApiKey = providers.Sms.ApiKey,
                From = providers.Sms.From,
                BaseUrl = providers.Sms.BaseUrl,
            },
            HasSendGridApiKey = providers.Email.HasApiKey,
            HasVonageApiSecret = providers.Sms.HasApiSecret,
            LastTestDelivery = lastTestDelivery,
        };
    }

    /// <summary>The same page showing a form as it was posted (secrets are blanked by the view).</summary>
    public ProvidersViewModel With(EmailProviderForm? email = null, SmsProviderForm? sms = null, TestMessageForm? test = null) => new()
    {
        Email = email ?? Email,
        Sms = sms ?? Sms,
        Test = test ?? Test,
        HasSendGridApiKey = HasSendGridApiKey,
        HasVonageApiSecret = HasVonageApiSecret,
        LastTestDelivery = LastTestDelivery,
    };
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
    DateTimeOffset? CompletedAt)
{
    public static DeliveryRow From(DeliveryView delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.Id, delivery.Channel, delivery.Recipient, delivery.Status, delivery.Attempts, delivery.LastError, delivery.CreatedAt, delivery.CompletedAt);
    }
}

/// <summary>One development-inbox message, recipient masked like everywhere else on the console.</summary>
public sealed record InboxRow(
    Guid Id,
    MessageChannel Channel,
    string MaskedRecipient,
    string? Subject,
    string Body,
    string? Link,
    DateTimeOffset ReceivedAt)
{
    public static InboxRow From(DevelopmentInboxMessageView message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(
            message.Id, message.Channel, RecipientMasking.Mask(message.Channel, message.Recipient), message.Subject, message.Body, message.Link, message.ReceivedAt);
    }
}
