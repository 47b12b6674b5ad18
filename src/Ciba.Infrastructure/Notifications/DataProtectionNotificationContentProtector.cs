using System.Text.Json;
using Ciba.Application.Notifications;
using Microsoft.AspNetCore.DataProtection;

namespace Ciba.Infrastructure.Notifications;

/// <summary>Protects outbox content with ASP.NET Core Data Protection (keys in PostgreSQL).</summary>
public sealed class DataProtectionNotificationContentProtector(IDataProtectionProvider provider) : INotificationContentProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Ciba.Notifications.Content.v1");

    public string Protect(NotificationContent content) => _protector.Protect(JsonSerializer.Serialize(content));

    public NotificationContent Unprotect(string protectedContent) =>
        JsonSerializer.Deserialize<NotificationContent>(_protector.Unprotect(protectedContent))
        ?? throw new InvalidOperationException("Empty notification content.");
}
