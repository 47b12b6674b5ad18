using Ciba.Application.Common.Paging;
using MediatR;

namespace Ciba.Application.Console.Users.Search;

/// <summary>The organization's users whose username, email or mobile number contains <paramref name="Search"/>.</summary>
public sealed record SearchUsersQuery(Guid OrganizationId, string? Search, int Page = 1, int PageSize = 20) : IRequest<PagedItems<UserListItem>>;

internal sealed class SearchUsersHandler(IUserAdministration users) : IRequestHandler<SearchUsersQuery, PagedItems<UserListItem>>
{
    public Task<PagedItems<UserListItem>> Handle(SearchUsersQuery request, CancellationToken cancellationToken) =>
        users.SearchAsync(
            request.OrganizationId,
            string.IsNullOrWhiteSpace(request.Search) ? null : request.Search.Trim(),
            Math.Max(1, request.Page),
            Math.Clamp(request.PageSize, 1, PagedItems<UserListItem>.MaxPageSize),
            cancellationToken);
}
