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
        new("demo-tv", "demo-tv-secret", "Demo TV", CibaEnabled: true, CibaSettings.AllChannels, RefreshToken: true),
        new("demo-kiosk", "demo-kiosk-secret", "Demo Kiosk", CibaEnabled: true, NotificationChannels.External, RefreshToken: true, ApiScopes: [DemoApis.PhotosRead]),
        new("demo-web", "demo-web-secret", "Demo Web", CibaEnabled: false, CibaSettings.AllChannels),
    ];
}

public sealed record DemoUser(string UserName, string Password, string Email, bool EmailVerified, string? Mobile, bool IsAdministrator, string DisplayName);

/// <param name="RefreshToken">Whether the Refresh Token grant is ticked (product.md §13).</param>
/// <param name="ApiScopes">The demo API scopes the application may request.</param>
public sealed record DemoApplication(
    string ClientId, string ClientSecret, string Name, bool CibaEnabled, NotificationChannels Channels, bool RefreshToken = false, IReadOnlyList<string>? ApiScopes = null);
