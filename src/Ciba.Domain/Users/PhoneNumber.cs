using System.Text;

namespace Ciba.Domain.Users;

/// <summary>Mobile numbers in E.164 (<c>+15550100001</c>): normalizing and masking.</summary>
public static class PhoneNumber
{
    /// <summary>
    /// Normalizes a typed number to E.164: keeps a leading '+' and digits, drops spaces, dashes,
    /// dots and parentheses; a leading "00" becomes '+'. Returns null when it cannot be E.164.
    /// </summary>
    public static string? NormalizeToE164(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var trimmed = input.Trim();
        var builder = new StringBuilder(trimmed.Length);
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c == '+' && i == 0)
            {
                builder.Append(c);
            }
            else if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return null;
            }
        }

        var candidate = builder.ToString();
        if (candidate.StartsWith("00", StringComparison.Ordinal))
        {
            candidate = "+" + candidate[2..];
        }

        return IsE164(candidate) ? candidate : null;
    }

    public static bool IsE164(string? value) =>
        value is { Length: >= 8 and <= 16 } && value[0] == '+' && value[1] != '0' && value.Skip(1).All(char.IsAsciiDigit);

    /// <summary>Masks the middle of a number for logs and screens: <c>+1555•••0001</c>.</summary>
    public static string Mask(string? e164)
    {
        if (string.IsNullOrEmpty(e164))
        {
            return string.Empty;
        }

        if (e164.Length <= 8)
        {
            return new string('•', e164.Length);
        }

        return string.Concat(e164.AsSpan(0, 5), "•••", e164.AsSpan(e164.Length - 4));
    }
}
