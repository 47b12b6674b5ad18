using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Applications;
using Ciba.Domain.Backchannel;
using Ciba.Domain.Protection;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Accounts.Activity;

/// <summary>The signed-in person's latest requests and the reports they made (issue 15 item 5), newest first, at most <see cref="Limit"/> of each.</summary>
public sealed record ListMyActivityQuery(Guid OrganizationId, Guid UserId) : IRequest<MyActivity>
{
    public const int Limit = 20;
}

public sealed record MyActivity(IReadOnlyList<MyRequest> Requests, IReadOnlyList<MyReport> Reports);

/// <param name="Outcome">What became of it, in words: waiting, approved, denied, expired.</param>
public sealed record MyRequest(string ApplicationName, DateTimeOffset CreatedAt, string Outcome, NotificationChannels Channels);

public sealed record MyReport(string ApplicationName, DateTimeOffset ReportedAt, ReportReason Reason);

internal sealed class ListMyActivityHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<ListMyActivityQuery, MyActivity>
{
    public async Task<MyActivity> Handle(ListMyActivityQuery request, CancellationToken cancellationToken)
    {
        var requests = await db.BackchannelRequests.AsNoTracking()
            .Where(r => r.OrganizationId == request.OrganizationId && r.UserId == request.UserId)
            .OrderByDescending(r => r.CreatedAt)
            .Take(ListMyActivityQuery.Limit)
            .Join(db.Applications, r => r.ApplicationId, a => a.Id, (r, a) => new { a.Name, r.CreatedAt, r.Status, r.ExpiresAt, r.Channels })
            .ToListAsync(cancellationToken);
        var reports = await db.RequestReports.AsNoTracking()
            .Where(r => r.OrganizationId == request.OrganizationId && r.UserId == request.UserId)
            .OrderByDescending(r => r.ReportedAt)
            .Take(ListMyActivityQuery.Limit)
            .Join(db.Applications, r => r.ApplicationId, a => a.Id, (r, a) => new MyReport(a.Name, r.ReportedAt, r.Reason))
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return new MyActivity(
            [.. requests.OrderByDescending(r => r.CreatedAt).Select(r => new MyRequest(r.Name, r.CreatedAt, Outcome(r.Status, r.ExpiresAt, now), r.Channels))],
            [.. reports.OrderByDescending(r => r.ReportedAt)]);
    }

    private static string Outcome(BackchannelRequestStatus status, DateTimeOffset expiresAt, DateTimeOffset now) => status switch
    {
        BackchannelRequestStatus.Approved or BackchannelRequestStatus.Redeemed => "Approved",
        BackchannelRequestStatus.Denied => "Denied",
        _ when expiresAt <= now => "Expired",
        _ => "Waiting for you",
    };
}
