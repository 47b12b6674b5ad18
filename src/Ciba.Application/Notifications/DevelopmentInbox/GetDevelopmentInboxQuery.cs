using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Application.Common.Results;
using Ciba.Domain.Notifications;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.DevelopmentInbox;

/// <summary>The organization's development inbox, newest first. Each message's link is meant to be shown as a working anchor.</summary>
public sealed record GetDevelopmentInboxQuery(Guid OrganizationId, int Page = 1, int PageSize = 20)
    : IRequest<Result<PagedItems<DevelopmentInboxMessageView>>>;

public sealed record DevelopmentInboxMessageView(
    Guid Id,
    MessageChannel Channel,
    string Recipient,
    string? Subject,
    string Body,
    string? Link,
    DateTimeOffset ReceivedAt);

internal sealed class GetDevelopmentInboxHandler(IApplicationDbContext db)
    : IRequestHandler<GetDevelopmentInboxQuery, Result<PagedItems<DevelopmentInboxMessageView>>>
{
    public async Task<Result<PagedItems<DevelopmentInboxMessageView>>> Handle(GetDevelopmentInboxQuery request, CancellationToken cancellationToken)
    {
        var query = db.DevelopmentInbox.AsNoTracking().Where(m => m.OrganizationId == request.OrganizationId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
            .Skip((request.Page - 1) * request.PageSize)
            .Take(request.PageSize)
            .Select(m => new DevelopmentInboxMessageView(m.Id, m.Channel, m.Recipient, m.Subject, m.Body, m.Link, m.ReceivedAt))
            .ToListAsync(cancellationToken);
        return new PagedItems<DevelopmentInboxMessageView>(items, request.Page, request.PageSize, total);
    }
}

internal sealed class GetDevelopmentInboxValidator : AbstractValidator<GetDevelopmentInboxQuery>
{
    public GetDevelopmentInboxValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedItems<DevelopmentInboxMessageView>.MaxPageSize);
    }
}
