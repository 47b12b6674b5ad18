using System.Globalization;
using System.Text;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;

namespace Ciba.Application.Backchannel.Initiate;

/// <summary>How the parameters of a backchannel authentication request are read (CIBA Core §7.1, product.md §3).</summary>
public static class BackchannelParameters
{
    public const string EmailChannel = "email";
    public const string SmsChannel = "sms";
    public const string ExternalChannel = "external";

    /// <summary>
    /// A binding message is shown on the phone: up to 64 user-perceived characters (text elements,
    /// so an emoji with its modifiers counts once) and at most 256 UTF-8 bytes, of printable text: no
    /// control, format (other than the emoji joiner), private-use or unassigned characters, and no angle brackets.
    /// </summary>
    public static bool IsDisplayableBindingMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message)
            || !HasValidLength(message))
        {
            return false;
        }

        var index = 0;
        while (index < message.Length)
        {
            if (Rune.DecodeFromUtf16(message.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            if (!IsDisplayable(rune))
            {
                return false;
            }

            index += consumed;
        }

        return true;
    }

    private static bool HasValidLength(string message)
    {
        // Bound the work before counting text elements: a UTF-16 unit is at least one UTF-8 byte.
        if (message.Length > BackchannelAuthenticationRequest.MaxBindingMessageBytes)
        {
            return false;
        }

        return Encoding.UTF8.GetByteCount(message) <= BackchannelAuthenticationRequest.MaxBindingMessageBytes
            && new StringInfo(message).LengthInTextElements <= BackchannelAuthenticationRequest.MaxBindingMessageTextElements;
    }

    /// <summary><c>requested_expiry</c> is a positive integer (CIBA Core §7.1); values beyond the range of int are capped.</summary>
    public static bool TryParseRequestedExpiry(string value, out int seconds)
    {
        ArgumentNullException.ThrowIfNull(value);
        seconds = 0;
        if (value.Length == 0 || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        var trimmed = value.TrimStart('0');
        if (trimmed.Length == 0)
        {
            return false;
        }

        seconds = trimmed.Length > 9 ? int.MaxValue : int.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    public static NotificationChannels? ParseChannel(string value) => value switch
    {
        EmailChannel => NotificationChannels.Email,
        SmsChannel => NotificationChannels.Sms,
        ExternalChannel => NotificationChannels.External,
        _ => null,
    };

    private static bool IsDisplayable(Rune rune)
    {
        if (rune.Value is '<' or '>' or 0x200D)
        {
            return rune.Value == 0x200D;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }
}
