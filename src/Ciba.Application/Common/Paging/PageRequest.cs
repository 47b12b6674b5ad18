namespace Ciba.Application.Common.Paging;

/// <summary>
/// Which page of a console list to show: the first, the one after a row (older, further down) or
/// the one before a row (newer, back up). Lists are read by keyset, never by offset, so no page
/// number can overflow and deep pages cost what the first does.
/// </summary>
public sealed record PageRequest
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;

    private PageRequest(PageCursor? after, PageCursor? before, int size)
    {
        After = after;
        Before = before;
        Size = size;
    }

    public PageCursor? After { get; }

    public PageCursor? Before { get; }

    public int Size { get; }

    public static PageRequest First { get; } = new(null, null, DefaultSize);

    /// <summary>From the link's <c>after</c> or <c>before</c> token (after wins); a token that does not decode gives the first page.</summary>
    public static PageRequest From(string? after, string? before, int size = DefaultSize)
    {
        var afterCursor = PageCursor.Decode(after);
        return new(afterCursor, afterCursor is null ? PageCursor.Decode(before) : null, Math.Clamp(size, 1, MaxSize));
    }
}
