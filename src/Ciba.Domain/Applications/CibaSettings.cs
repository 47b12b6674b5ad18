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

    /// <summary>
    /// product.md §4: the channel the client named, if it can reach the person (External always can);
    /// without one, External alone when it is the only enabled channel, otherwise every enabled Email/SMS
    /// channel that reaches the person. Whether a named channel is enabled is checked with the request.
    /// </summary>
    public ChannelSelection SelectChannels(NotificationChannels? named, ChannelReach reach)
    {
        if (named == NotificationChannels.External || (named is null && Channels == NotificationChannels.External))
        {
            return ChannelSelection.Of(NotificationChannels.External);
        }

        if (named == NotificationChannels.Email)
        {
            return reach.Email ? ChannelSelection.Of(NotificationChannels.Email) : ChannelSelection.Failed(ChannelSelectionFailure.EmailUnreachable);
        }

        if (named == NotificationChannels.Sms)
        {
            return reach.Sms ? ChannelSelection.Of(NotificationChannels.Sms) : ChannelSelection.Failed(ChannelSelectionFailure.SmsUnreachable);
        }

        var selected = NotificationChannels.None;
        if (reach.Email && Allows(NotificationChannels.Email))
        {
            selected |= NotificationChannels.Email;
        }

        if (reach.Sms && Allows(NotificationChannels.Sms))
        {
            selected |= NotificationChannels.Sms;
        }

        return selected != NotificationChannels.None ? ChannelSelection.Of(selected) : ChannelSelection.Failed(ChannelSelectionFailure.NothingReachable);
    }
}
