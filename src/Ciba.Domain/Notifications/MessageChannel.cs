namespace Ciba.Domain.Notifications;

/// <summary>The channels Ciba sends messages through itself (External is delivered by the client).</summary>
public enum MessageChannel
{
    Email = 1,
    Sms = 2,
}
