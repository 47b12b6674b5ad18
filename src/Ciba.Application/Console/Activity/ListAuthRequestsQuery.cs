using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Application.Console.Users;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Activity;

/// <summary>The organization's recent auth requests, newest first. No hashes, keys or binding secrets.</summary>
public sealed record ListAuthRequestsQuery(Guid OrganizationId, int Page = 1, int PageSize = 20) : IRequest<PagedItems<AuthRequestActivity>>;

/// <param name="Status">Pending, Approved, Denied, Redeemed, or Expired for a pending request past its expiry.</param>
public sealed record AuthRequestActivity(
    Guid Id,
    string ApplicationName,
    string UserName,
    NotificationChannels Channels,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? RedeemedAt);

internal sealed class ListAuthRequestsHandler(IApplicationDbContext db, IUserAdministration users, TimeProvider time)
    : IRequestHandler<ListAuthRequestsQuery, PagedItems<AuthRequestActivity>>
{
    public async Task<PagedItems<AuthRequestActivity>> Handle(ListAuthRequestsQuery request, CancellationToken cancellationToken)
    {
        var page = Math.Max(1, request.Page);
        var pageSize = Math.Clamp(request.PageSize, 1, PagedItems<AuthRequestActivity>.MaxPageSize);
        var requests = db.BackchannelRequests.AsNoTracking().Where(r => r.OrganizationId == request.OrganizationId);
        var total = await requests.CountAsync(cancellationToken);
        var rows = await requests
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Join(
                db.Applications.Where(a => a.OrganizationId == request.OrganizationId),
                r => r.ApplicationId,
                a => a.Id,
                (r, a) => new
                {
                    r.Id,
                    ApplicationName = a.Name,
                    r.UserId,
                    r.Channels,
                    r.Status,
                    r.CreatedAt,
                    r.ExpiresAt,
                    r.DecidedAt,
                    r.RedeemedAt,
                })
            .ToListAsync(cancellationToken);

        var userNames = await users.GetUserNamesAsync(request.OrganizationId, rows.Select(r => r.UserId).Distinct().ToList(), cancellationToken);
        var now = time.GetUtcNow();
        var items = rows
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => new AuthRequestActivity(
                r.Id,
                r.ApplicationName,
                userNames.TryGetValue(r.UserId, out var userName) ? userName : "(deleted user)",
                r.Channels,
                r.Status == BackchannelRequestStatus.Pending && now >= r.ExpiresAt ? "Expired" : r.Status.ToString(),
                r.CreatedAt,
                r.ExpiresAt,
                r.DecidedAt,
                r.RedeemedAt))
            .ToList();
        return new PagedItems<AuthRequestActivity>(items, page, pageSize, total);
    }
}
