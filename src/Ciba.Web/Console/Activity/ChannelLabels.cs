using Ciba.Domain.Notifications;

namespace Ciba.Web.Console.Activity;

public static class ChannelLabels
{
    public static string For(MessageChannel channel) => channel switch
    {
        MessageChannel.Sms => "SMS",
        MessageChannel.Ping => "Ping callback",
        MessageChannel.Push => "Push callback",
        _ => "Email",
    };
}
