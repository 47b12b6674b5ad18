namespace Ciba.Domain.Applications;

/// <summary>
/// How an application uses CIBA: how long a request lives, how the person is reached, and how
/// often the client may poll. The invariants hold for every instance.
/// </summary>
public sealed record CibaSettings
{
    public const int DefaultExpirySeconds = 120;
    public const int MinExpirySeconds = 1;
    public const int MaxExpirySeconds = 86_400;
    public const int DefaultPollingIntervalSeconds = 2;
    public const int MinPollingIntervalSeconds = 1;
    public const int MaxPollingIntervalSeconds = 60;
    public const NotificationChannels AllChannels = NotificationChannels.Email | NotificationChannels.Sms | NotificationChannels.External;

    private CibaSettings(int expirySeconds, NotificationChannels channels, int pollingIntervalSeconds)
    {
        ExpirySeconds = expirySeconds;
        Channels = channels;
        PollingIntervalSeconds = pollingIntervalSeconds;
    }

    public int ExpirySeconds { get; }

    public NotificationChannels Channels { get; }

    public int PollingIntervalSeconds { get; }

    public static CibaSettings Default { get; } = new(DefaultExpirySeconds, AllChannels, DefaultPollingIntervalSeconds);

    public static CibaSettings Create(int expirySeconds, NotificationChannels channels, int pollingIntervalSeconds)
    {
        if (!IsValidExpiry(expirySeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(expirySeconds), expirySeconds, $"Expiry is {MinExpirySeconds} to {MaxExpirySeconds} seconds.");
        }

        if (!IsValidChannelSet(channels))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "At least one of Email, SMS and External, and nothing else.");
        }

        if (!IsValidPollingInterval(pollingIntervalSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(pollingIntervalSeconds), pollingIntervalSeconds, $"Polling interval is {MinPollingIntervalSeconds} to {MaxPollingIntervalSeconds} seconds.");
        }

        return new CibaSettings(expirySeconds, channels, pollingIntervalSeconds);
    }

    public static bool IsValidExpiry(int seconds) => seconds is >= MinExpirySeconds and <= MaxExpirySeconds;

    public static bool IsValidPollingInterval(int seconds) => seconds is >= MinPollingIntervalSeconds and <= MaxPollingIntervalSeconds;

    public static bool IsValidChannelSet(NotificationChannels channels) =>
        channels != NotificationChannels.None && (channels & ~AllChannels) == NotificationChannels.None;

    public bool Allows(NotificationChannels channel) => (Channels & channel) == channel;
}
