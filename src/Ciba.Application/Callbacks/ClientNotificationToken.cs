namespace Ciba.Application.Callbacks;

/// <summary>
/// <c>client_notification_token</c> (CIBA Core §7.1): at most 1024 characters of RFC 6750 §2.1
/// <c>b64token</c>: <c>1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="</c>.
/// </summary>
public static class ClientNotificationToken
{
    public const int MaxLength = 1024;

    public static bool IsValid(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            return false;
        }

        var end = token.Length;
        while (end > 0 && token[end - 1] == '=')
        {
            end--;
        }

        if (end == 0)
        {
            return false;
        }

        for (var i = 0; i < end; i++)
        {
            var c = token[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/'))
            {
                return false;
            }
        }

        return true;
    }
}
