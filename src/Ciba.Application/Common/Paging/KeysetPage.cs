namespace Ciba.Application.Common.Paging;

/// <summary>
/// One page of a console list. <see cref="Newer"/> and <see cref="Older"/> point at the pages
/// either side (null at an end). The count stops at <see cref="CountCap"/>: past it the console
/// says "more than 1,000" instead of counting a million rows.
/// </summary>
public sealed record KeysetPage<T>(IReadOnlyList<T> Items, PageCursor? Newer, PageCursor? Older, int Count)
{
    public const int CountCap = 1000;

    public bool CountIsCapped => Count > CountCap;
}
