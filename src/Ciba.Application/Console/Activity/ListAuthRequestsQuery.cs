using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Application.Console.Users;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Activity;

/// <summary>The organization's auth requests, newest first, filtered. No hashes, keys or binding messages.</summary>
public sealed record ListAuthRequestsQuery(Guid OrganizationId, ActivityFilter Filter, PageRequest Page) : IRequest<ActivityList>;

/// <summary>What the Activity list is narrowed to; every part is optional.</summary>
/// <param name="User">A username, email or mobile number of the organization.</param>
/// <param name="Since">Only requests created at or after this moment.</param>
public sealed record ActivityFilter(Guid? ApplicationId = null, string? User = null, AuthRequestState? Status = null, DateTimeOffset? Since = null)
{
    public static ActivityFilter None { get; } = new();

    public bool IsEmpty => this == None;
}

/// <summary>A request's state as an administrator reads it: Expired is a pending request past its expiry.</summary>
public enum AuthRequestState
{
    Pending,
    Approved,
    Denied,
    Redeemed,
    Expired,
}

/// <param name="UserFound">False when the filter named a user the organization does not have.</param>
public sealed record ActivityList(KeysetPage<AuthRequestActivity> Requests, IReadOnlyList<ApplicationChoice> Applications, bool UserFound);

public sealed record ApplicationChoice(Guid Id, string Name);

public sealed record AuthRequestActivity(
    Guid Id,
    string ApplicationName,
    string UserName,
    NotificationChannels Channels,
    AuthRequestState Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? RedeemedAt);

internal sealed class ListAuthRequestsHandler(IApplicationDbContext db, IUserAdministration users, IUserDirectory directory, TimeProvider time)
    : IRequestHandler<ListAuthRequestsQuery, ActivityList>
{
    private static readonly KeysetOrder<BackchannelAuthenticationRequest> Order =
        Keyset.ByMoment<BackchannelAuthenticationRequest>(r => r.CreatedAt, r => r.Id);

    public async Task<ActivityList> Handle(ListAuthRequestsQuery request, CancellationToken cancellationToken)
    {
        var applications = await db.Applications.AsNoTracking()
            .Where(a => a.OrganizationId == request.OrganizationId)
            .OrderBy(a => a.Name)
            .Select(a => new ApplicationChoice(a.Id, a.Name))
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var filter = request.Filter;
        var requests = db.BackchannelRequests.AsNoTracking().Where(r => r.OrganizationId == request.OrganizationId);
        if (filter.ApplicationId is { } applicationId)
        {
            requests = requests.Where(r => r.ApplicationId == applicationId);
        }

        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            var user = await directory.FindByLoginHintAsync(request.OrganizationId, filter.User.Trim(), cancellationToken);
            if (user is null)
            {
                return new ActivityList(new KeysetPage<AuthRequestActivity>([], null, null, 0), applications, UserFound: false);
            }

            requests = requests.Where(r => r.UserId == user.Id);
        }

        requests = filter.Status switch
        {
            AuthRequestState.Pending => requests.Where(r => r.Status == BackchannelRequestStatus.Pending && r.ExpiresAt > now),
            AuthRequestState.Expired => requests.Where(r => r.Status == BackchannelRequestStatus.Pending && r.ExpiresAt <= now),
            AuthRequestState.Approved => requests.Where(r => r.Status == BackchannelRequestStatus.Approved),
            AuthRequestState.Denied => requests.Where(r => r.Status == BackchannelRequestStatus.Denied),
            AuthRequestState.Redeemed => requests.Where(r => r.Status == BackchannelRequestStatus.Redeemed),
            _ => requests,
        };
        if (filter.Since is { } since)
        {
            requests = requests.Where(r => r.CreatedAt >= since);
        }

        var page = await requests.ReadPageAsync(request.Page, Order, cancellationToken);
        var userNames = await users.GetUserNamesAsync(request.OrganizationId, page.Items.Select(r => r.UserId).Distinct().ToList(), cancellationToken);
        var applicationNames = applications.ToDictionary(a => a.Id, a => a.Name);
        var items = page.Items
            .Select(r => new AuthRequestActivity(
                r.Id,
                applicationNames.GetValueOrDefault(r.ApplicationId, "(deleted application)"),
                userNames.TryGetValue(r.UserId, out var userName) ? userName : "(deleted user)",
                r.Channels,
                StateOf(r, now),
                r.CreatedAt,
                r.ExpiresAt,
                r.DecidedAt,
                r.RedeemedAt))
            .ToList();
        return new ActivityList(new KeysetPage<AuthRequestActivity>(items, page.Newer, page.Older, page.Count), applications, UserFound: true);
    }

    internal static AuthRequestState StateOf(BackchannelAuthenticationRequest request, DateTimeOffset now) => request.Status switch
    {
        BackchannelRequestStatus.Pending => request.IsExpired(now) ? AuthRequestState.Expired : AuthRequestState.Pending,
        BackchannelRequestStatus.Approved => AuthRequestState.Approved,
        BackchannelRequestStatus.Denied => AuthRequestState.Denied,
        _ => AuthRequestState.Redeemed,
    };
}
