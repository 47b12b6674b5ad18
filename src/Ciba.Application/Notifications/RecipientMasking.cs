using Ciba.Domain.Notifications;
using Ciba.Domain.Users;

namespace Ciba.Application.Notifications;

/// <summary>How a recipient appears in logs and on the console: <c>a•••@demo.test</c>, <c>+1555•••0001</c>, a callback's endpoint without query.</summary>
public static class RecipientMasking
{
    public static string Mask(MessageChannel channel, string? recipient) => channel switch
    {
        MessageChannel.Sms => PhoneNumber.Mask(recipient),
        MessageChannel.Ping or MessageChannel.Push => Endpoint(recipient),
        _ => EmailAddress.Mask(recipient),
    };

    /// <summary>A client notification endpoint is the client's, not a person's: shown without its query.</summary>
    private static string Endpoint(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "•••";
}
