using Ciba.Domain.Notifications;
using Ciba.Domain.Users;

namespace Ciba.Application.Notifications;

/// <summary>How a recipient appears in logs and on the console: <c>a•••@demo.test</c>, <c>+1555•••0001</c>.</summary>
public static class RecipientMasking
{
    public static string Mask(MessageChannel channel, string? recipient) =>
        channel == MessageChannel.Sms ? PhoneNumber.Mask(recipient) : EmailAddress.Mask(recipient);
}
