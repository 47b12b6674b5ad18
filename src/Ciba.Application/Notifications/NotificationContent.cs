namespace Ciba.Application.Notifications;

/// <summary>
/// What a CIBA notification says (product.md §4): the application's name, the binding message,
/// the link (which holds the link key) and when the request expires. Kept encrypted in the outbox.
/// A <paramref name="Notice"/> makes it a notice to administrators (a report, product.md §14) instead.
/// </summary>
public sealed record NotificationContent(
    string ApplicationName,
    string? BindingMessage,
    string Link,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    string? Notice = null);
