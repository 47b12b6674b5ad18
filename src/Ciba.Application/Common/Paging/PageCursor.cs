using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Ciba.Application.Common.Paging;

/// <summary>
/// A row's place in a console list: its sort key (a moment or a name) and its id, which breaks
/// ties. Travels in links as an opaque base64url token; anything that does not decode is no cursor.
/// </summary>
public sealed record PageCursor(string Key, Guid Id)
{
    private const int MaxEncodedLength = 700;

    public static PageCursor For(DateTimeOffset moment, Guid id) => new(moment.UtcTicks.ToString(CultureInfo.InvariantCulture), id);

    /// <summary>The key as a moment, for lists ordered by time; null when it is not one.</summary>
    public DateTimeOffset? Moment =>
        long.TryParse(Key, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Id:N}{Key}"));

    public static PageCursor? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxEncodedLength || !Base64Url.IsValid(value))
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(value));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return text.Length >= 32
            && Guid.TryParseExact(text.AsSpan(0, 32), "N", out var id)
            && !text.AsSpan(32).ContainsAnyInRange('\0', '\u001f')
            ? new PageCursor(text[32..], id)
            : null;
    }
}
