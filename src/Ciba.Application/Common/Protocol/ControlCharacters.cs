namespace Ciba.Application.Common.Protocol;

/// <summary>
/// Control characters (Unicode category Cc: C0 including NUL, CR, LF and TAB, DEL, C1) never belong
/// in a protocol parameter, a client id or a query string value. PostgreSQL refuses NUL in text, so
/// they are refused at the edge, before any query (issue 9 item 3).
/// </summary>
public static class ControlCharacters
{
    public static bool Contains(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Like <see cref="Contains"/>, but TAB, CR and LF are allowed (multi-line form fields).</summary>
    public static bool ContainsExceptLineBreaks(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && c is not ('\t' or '\r' or '\n'))
            {
                return true;
            }
        }

        return false;
    }
}
