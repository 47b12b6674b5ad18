namespace Ciba.Domain.Applications;

/// <summary>Why no channel could be picked for a request (product.md §4).</summary>
public enum ChannelSelectionFailure
{
    None = 0,

    /// <summary>The client named the email channel, and it cannot reach the person.</summary>
    EmailUnreachable,

    /// <summary>The client named the sms channel, and it cannot reach the person.</summary>
    SmsUnreachable,

    /// <summary>No channel enabled for the application can reach the person.</summary>
    NothingReachable,
}

/// <summary>What the organization can deliver to one person: a provider and an address for each channel.</summary>
public readonly record struct ChannelReach(bool Email, bool Sms);

/// <summary>The channels a request uses, or why there are none.</summary>
public readonly record struct ChannelSelection(NotificationChannels Channels, ChannelSelectionFailure Failure)
{
    public bool IsSuccess => Failure == ChannelSelectionFailure.None;

    internal static ChannelSelection Of(NotificationChannels channels) => new(channels, ChannelSelectionFailure.None);

    internal static ChannelSelection Failed(ChannelSelectionFailure failure) => new(NotificationChannels.None, failure);
}
