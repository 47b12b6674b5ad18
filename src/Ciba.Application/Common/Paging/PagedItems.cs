namespace Ciba.Application.Common.Paging;

/// <summary>One page of a longer list, newest first unless the query says otherwise.</summary>
public sealed record PagedItems<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public const int MaxPageSize = 100;

    public bool HasMore => Page * PageSize < TotalCount;
}
