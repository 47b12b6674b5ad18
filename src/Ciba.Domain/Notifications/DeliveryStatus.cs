namespace Ciba.Domain.Notifications;

public enum DeliveryStatus
{
    /// <summary>Waiting for the dispatcher (first try or a scheduled retry).</summary>
    Pending = 0,
    Sent = 1,
    Failed = 2,

    /// <summary>Not sent because its auth request expired first.</summary>
    Skipped = 3,
}
