namespace Ciba.Domain.Applications;

/// <summary>The application's token delivery mode and notification endpoint (CIBA Core §4; product.md §11).</summary>
public sealed partial class ClientApplication
{
    public TokenDeliveryMode TokenDeliveryMode { get; private set; }

    /// <summary>Where ping and push callbacks go; null in poll mode.</summary>
    public string? ClientNotificationEndpoint { get; private set; }

    /// <summary>
    /// Sets the delivery mode. Ping and push need an absolute endpoint (the console validates it
    /// further, with the environment's rules, before it gets here); poll forgets any endpoint.
    /// </summary>
    public void UpdateTokenDelivery(TokenDeliveryMode mode, string? notificationEndpoint, DateTimeOffset now)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }

        if (mode == TokenDeliveryMode.Poll)
        {
            notificationEndpoint = null;
        }
        else if (!Uri.TryCreate(notificationEndpoint, UriKind.Absolute, out _) || notificationEndpoint!.Length > Applications.ClientNotificationEndpoint.MaxLength)
        {
            throw new ArgumentException("Ping and push need an absolute notification endpoint.", nameof(notificationEndpoint));
        }

        TokenDeliveryMode = mode;
        ClientNotificationEndpoint = notificationEndpoint;
        UpdatedAt = now;
    }
}
