using Ciba.Application.Notifications;

namespace Ciba.Infrastructure.Notifications.Templates;

/// <summary>Every SMS Ciba sends: short, with the application name, binding message, link and expiry.</summary>
public static class SmsTemplate
{
    public static string Render(NotificationDelivery delivery, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var content = delivery.Content;
        var name = content.ApplicationName.ReplaceLineEndings(" ").Trim();
        if (delivery.IsTest)
        {
            return $"Ciba test message for {name}: SMS delivery works. {content.Link}";
        }

        var code = string.IsNullOrEmpty(content.BindingMessage) ? string.Empty : $" Code: {content.BindingMessage}.";
        return $"{name} sign-in request.{code} Approve or deny: {content.Link} ({ExpiryWording.ExpiresIn(content.ExpiresAt, now)})";
    }
}
