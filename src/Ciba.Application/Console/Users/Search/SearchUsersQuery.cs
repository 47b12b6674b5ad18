using Ciba.Application.Common.Paging;
using MediatR;

namespace Ciba.Application.Console.Users.Search;

/// <summary>The organization's users whose username, email or mobile number contains <paramref name="Search"/>, by username, one keyset page at a time.</summary>
public sealed record SearchUsersQuery(Guid OrganizationId, string? Search, PageRequest Page) : IRequest<KeysetPage<UserListItem>>;

internal sealed class SearchUsersHandler(IUserAdministration users) : IRequestHandler<SearchUsersQuery, KeysetPage<UserListItem>>
{
    public Task<KeysetPage<UserListItem>> Handle(SearchUsersQuery request, CancellationToken cancellationToken) =>
        users.SearchAsync(
            request.OrganizationId,
            string.IsNullOrWhiteSpace(request.Search) ? null : request.Search.Trim(),
            request.Page,
            cancellationToken);
}
