namespace Ciba.Domain.Notifications;

/// <summary>
/// The channels Ciba sends messages through itself (External is delivered by the client), and the
/// callbacks to a client's notification endpoint (ping and push, CIBA Core §10.2–§10.3).
/// </summary>
public enum MessageChannel
{
    Email = 1,
    Sms = 2,
    Ping = 3,
    Push = 4,
}

public static class MessageChannels
{
    /// <summary>A callback to a client, not a message to a person.</summary>
    public static bool IsCallback(this MessageChannel channel) => channel is MessageChannel.Ping or MessageChannel.Push;
}
