using System.Globalization;
using Ciba.Application.Common.Paging;

namespace Ciba.Web.Console;

/// <summary>The links under a console list: the previous and next pages, and how many there are in all (capped).</summary>
public sealed record Pager(string? NewerUrl, string? OlderUrl, string CountText)
{
    /// <param name="baseUrl">The list's address with its filters, without paging parameters.</param>
    public static Pager For<T>(KeysetPage<T> page, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var separator = baseUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var count = page.CountIsCapped
            ? $"more than {KeysetPage<T>.CountCap.ToString("N0", CultureInfo.InvariantCulture)} in all"
            : $"{page.Count.ToString("N0", CultureInfo.InvariantCulture)} in all";
        return new Pager(
            page.Newer is { } newer ? $"{baseUrl}{separator}before={newer.Encode()}" : null,
            page.Older is { } older ? $"{baseUrl}{separator}after={older.Encode()}" : null,
            count);
    }
}

/// <summary>A console list's rows and its pager.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, Pager Pager);
