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
        new("carol", "Carol-Passw0rd!", "carol@demo.test", EmailVerified: true, Mobile: "+15550100003", IsAdministrator: false, DisplayName: "Carol Example"),
    ];

    public static IReadOnlyList<DemoApplication> Applications { get; } =
    [
        new("demo-tv", "demo-tv-secret", "Demo TV", CibaEnabled: true, CibaSettings.AllChannels, RefreshToken: true),
        new("demo-kiosk", "demo-kiosk-secret", "Demo Kiosk", CibaEnabled: true, NotificationChannels.External, RefreshToken: true, ApiScopes: [DemoApis.PhotosRead]),
        new("demo-web", "demo-web-secret", "Demo Web", CibaEnabled: false, CibaSettings.AllChannels),

        // product.md §18: private_key_jwt with the demo keys, signed requests required, ping.
        new("demo-bank", ClientSecret: null, "Demo Bank", CibaEnabled: true, NotificationChannels.External, RefreshToken: true)
        {
            AuthMethod = TokenEndpointAuthMethod.PrivateKeyJwt,
            JwksResource = "Ciba.Infrastructure.Seeding.demo-bank.jwks.json",
            RequireSignedRequests = true,
            DeliveryMode = TokenDeliveryMode.Ping,
            NotificationEndpoint = DemoBankEndpoint,
        },
        new("demo-push", "demo-push-secret", "Demo Push", CibaEnabled: true, NotificationChannels.External, RefreshToken: true)
        {
            DeliveryMode = TokenDeliveryMode.Push,
            NotificationEndpoint = DemoPushEndpoint,
        },

        // product.md §18: a call centre, whose callers prove they know their user code.
        new("demo-callcentre", "demo-callcentre-secret", "Demo Call Centre", CibaEnabled: true, NotificationChannels.External)
        {
            AuthMethod = TokenEndpointAuthMethod.ClientSecretPost,
            RequireUserCode = true,
        },
    ];

    /// <summary>product.md §18: the demo people's user codes.</summary>
    public static IReadOnlyDictionary<string, string> UserCodes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["alice"] = "2468",
    };

    /// <summary>Where demo-bank's pings go (README: a one-line receiver listens there).</summary>
    public const string DemoBankEndpoint = "http://127.0.0.1:5199/ciba/ping";

    /// <summary>Where demo-push's callbacks go (README: a one-line receiver listens there).</summary>
    public const string DemoPushEndpoint = "http://127.0.0.1:5199/ciba/push";
}

public sealed record DemoUser(string UserName, string Password, string Email, bool EmailVerified, string? Mobile, bool IsAdministrator, string DisplayName);

/// <param name="ClientSecret">Null for a client that authenticates with keys (its secret is random and never shown).</param>
/// <param name="RefreshToken">Whether the Refresh Token grant is ticked (product.md §13).</param>
/// <param name="ApiScopes">The demo API scopes the application may request.</param>
public sealed record DemoApplication(
    string ClientId, string? ClientSecret, string Name, bool CibaEnabled, NotificationChannels Channels, bool RefreshToken = false, IReadOnlyList<string>? ApiScopes = null)
{
    /// <summary>The part-one demo clients keep accepting either secret method.</summary>
    public TokenEndpointAuthMethod AuthMethod { get; init; } = TokenEndpointAuthMethod.ClientSecretBasicOrPost;

    /// <summary>The embedded resource holding the client's public JWK Set.</summary>
    public string? JwksResource { get; init; }

    public bool RequireSignedRequests { get; init; }

    public TokenDeliveryMode DeliveryMode { get; init; } = TokenDeliveryMode.Poll;

    public string? NotificationEndpoint { get; init; }

    /// <summary>product.md §12: requests must carry the person's user code.</summary>
    public bool RequireUserCode { get; init; }
}
