namespace Ciba.Application.Notifications;

/// <summary>Encrypts outbox content at rest (it carries the link key) and decrypts it for sending.</summary>
public interface INotificationContentProtector
{
    string Protect(NotificationContent content);

    NotificationContent Unprotect(string protectedContent);
}
