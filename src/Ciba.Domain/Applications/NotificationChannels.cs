namespace Ciba.Domain.Applications;

/// <summary>The ways Ciba can reach a person for a backchannel request (product.md §4).</summary>
[Flags]
public enum NotificationChannels
{
    None = 0,
    Email = 1,
    Sms = 2,
    External = 4,
}
