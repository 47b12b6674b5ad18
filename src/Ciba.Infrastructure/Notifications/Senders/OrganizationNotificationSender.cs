using System.Security.Cryptography;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Notifications;
using Ciba.Application.Notifications.Providers;
using Ciba.Domain.Notifications;
using Ciba.Domain.Users;
using Ciba.Infrastructure.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Infrastructure.Notifications.Senders;

/// <summary>Renders a message and sends it through the provider its organization chose for the channel.</summary>
public sealed class OrganizationNotificationSender(
    IApplicationDbContext db,
    ISecretProtector secrets,
    SendGridEmailSender sendGrid,
    VonageSmsSender vonage,
    DevelopmentInboxSender inbox,
    ProviderEndpointPolicy endpoints,
    TimeProvider time) : INotificationSender
{
    public async Task<SendOutcome> SendAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return await SendAsync(delivery, await LoadProvidersAsync(delivery.OrganizationId, cancellationToken), cancellationToken);
    }

    /// <summary>The organization's provider settings as stored now (null when it has none).</summary>
    public Task<NotificationProviders?> LoadProvidersAsync(Guid organizationId, CancellationToken cancellationToken) =>
        db.NotificationProviders.AsNoTracking().SingleOrDefaultAsync(p => p.OrganizationId == organizationId, cancellationToken);

    /// <summary>Sends with provider settings the caller already holds (the outbox dispatcher keeps them per row version, ADR 0034).</summary>
    public async Task<SendOutcome> SendAsync(NotificationDelivery delivery, NotificationProviders? providers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Channel switch
        {
            MessageChannel.Email => await SendEmailAsync(delivery, providers, cancellationToken),
            MessageChannel.Sms => await SendSmsAsync(delivery, providers, cancellationToken),
            _ => SendOutcome.Permanent($"Unknown channel {delivery.Channel}."),
        };
    }

    private async Task<SendOutcome> SendEmailAsync(NotificationDelivery delivery, NotificationProviders? providers, CancellationToken cancellationToken)
    {
        var email = EmailTemplate.Render(delivery, time.GetUtcNow());
        switch (providers?.EmailProvider ?? EmailProviderKind.None)
        {
            case EmailProviderKind.DevelopmentInbox:
                return inbox.Send(delivery.OrganizationId, MessageChannel.Email, delivery.Recipient, email.Subject, email.Text, delivery.Content.Link);
            case EmailProviderKind.SendGrid:
                if (string.IsNullOrEmpty(providers!.SendGridFromAddress))
                {
                    return SendOutcome.Permanent("SendGrid has no from address; check the email provider settings.");
                }

                var apiKey = Reveal(providers.SendGridProtectedApiKey);
                if (apiKey is null)
                {
                    return SendOutcome.Permanent("The SendGrid API key cannot be read; enter it again in the email provider settings.");
                }

                var sendGridUrl = endpoints.BaseUrlFor(providers.SendGridBaseUrl, ProviderDefaults.SendGridBaseUrl);
                if (Refusal(sendGridUrl) is { } sendGridRefusal)
                {
                    return ProviderHttpFailures.UnsafeUrl("SendGrid", sendGridRefusal);
                }

                var settings = new SendGridSettings(apiKey, providers.SendGridFromAddress, providers.SendGridFromName, sendGridUrl);
                return await sendGrid.SendAsync(settings, delivery.Recipient, email, cancellationToken);
            default:
                return SendOutcome.Permanent("No email provider is configured.");
        }
    }

    private async Task<SendOutcome> SendSmsAsync(NotificationDelivery delivery, NotificationProviders? providers, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.IsE164(delivery.Recipient))
        {
            return SendOutcome.Permanent("The recipient is not a mobile number in E.164.");
        }

        var text = SmsTemplate.Render(delivery, time.GetUtcNow());
        switch (providers?.SmsProvider ?? SmsProviderKind.None)
        {
            case SmsProviderKind.DevelopmentInbox:
                return inbox.Send(delivery.OrganizationId, MessageChannel.Sms, delivery.Recipient, null, text, delivery.Content.Link);
            case SmsProviderKind.Vonage:
                var apiSecret = Reveal(providers!.VonageProtectedApiSecret);
                if (apiSecret is null || string.IsNullOrEmpty(providers.VonageApiKey) || string.IsNullOrEmpty(providers.VonageFrom))
                {
                    return SendOutcome.Permanent("The Vonage settings are incomplete or cannot be read; enter them again in the SMS provider settings.");
                }

                var vonageUrl = endpoints.BaseUrlFor(providers.VonageBaseUrl, ProviderDefaults.VonageBaseUrl);
                if (Refusal(vonageUrl) is { } vonageRefusal)
                {
                    return ProviderHttpFailures.UnsafeUrl("Vonage", vonageRefusal);
                }

                var settings = new VonageSettings(providers.VonageApiKey, apiSecret, providers.VonageFrom, vonageUrl);
                return await vonage.SendAsync(settings, delivery.Recipient, text, cancellationToken);
            default:
                return SendOutcome.Permanent("No SMS provider is configured.");
        }
    }

    private string? Refusal(string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? endpoints.RefusalFor(uri) : "not an absolute URL";

    private string? Reveal(string? protectedSecret)
    {
        if (string.IsNullOrEmpty(protectedSecret))
        {
            return null;
        }

        try
        {
            return secrets.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
