using Ciba.Domain.Applications;

namespace Ciba.Infrastructure.Seeding;

/// <summary>The demo organization of README.md (Development only).</summary>
public static class DemoData
{
    public const string OrganizationHandle = "demo";
    public const string OrganizationName = "Demo";

    public static IReadOnlyList<DemoUser> Users { get; } =
    [
        new("admin", "Admin-Passw0rd!", "admin@demo.test", EmailVerified: true, Mobile: null, IsAdministrator: true, DisplayName: "Demo Admin"),
        new("alice", "Alice-Passw0rd!", "alice@demo.test", EmailVerified: true, Mobile: "+15550100001", IsAdministrator: false, DisplayName: "Alice Example"),
        new("bob", "Bob-Passw0rd!", "bob@demo.test", EmailVerified: false, Mobile: null, IsAdministrator: false, DisplayName: "Bob Example"),
    ];

    public static IReadOnlyList<DemoApplication> Applications { get; } =
    [
        new("demo-tv", "demo-tv-secret", "Demo TV", CibaEnabled: true, CibaSettings.AllChannels),
        new("demo-kiosk", "demo-kiosk-secret", "Demo Kiosk", CibaEnabled: true, NotificationChannels.External),
        new("demo-web", "demo-web-secret", "Demo Web", CibaEnabled: false, CibaSettings.AllChannels),
        new("demo-push", "demo-push-secret", "Demo Push", CibaEnabled: true, NotificationChannels.External, TokenDeliveryMode.Push, DemoPushEndpoint),
    ];

    /// <summary>Where demo-push's callbacks go (README: a one-line receiver listens there).</summary>
    public const string DemoPushEndpoint = "http://127.0.0.1:5199/ciba/push";
}

public sealed record DemoUser(string UserName, string Password, string Email, bool EmailVerified, string? Mobile, bool IsAdministrator, string DisplayName);

public sealed record DemoApplication(
    string ClientId,
    string ClientSecret,
    string Name,
    bool CibaEnabled,
    NotificationChannels Channels,
    TokenDeliveryMode DeliveryMode = TokenDeliveryMode.Poll,
    string? NotificationEndpoint = null);
