using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.DevelopmentInbox;

/// <summary>The organization's development inbox, newest first, one keyset page at a time. Each message's link is meant to be shown as a working anchor.</summary>
public sealed record GetDevelopmentInboxQuery(Guid OrganizationId, PageRequest Page) : IRequest<KeysetPage<DevelopmentInboxMessageView>>;

public sealed record DevelopmentInboxMessageView(
    Guid Id,
    MessageChannel Channel,
    string Recipient,
    string? Subject,
    string Body,
    string? Link,
    DateTimeOffset ReceivedAt);

internal sealed class GetDevelopmentInboxHandler(IApplicationDbContext db)
    : IRequestHandler<GetDevelopmentInboxQuery, KeysetPage<DevelopmentInboxMessageView>>
{
    private static readonly KeysetOrder<DevelopmentInboxMessage> Order = Keyset.ByMoment<DevelopmentInboxMessage>(m => m.ReceivedAt, m => m.Id);

    public async Task<KeysetPage<DevelopmentInboxMessageView>> Handle(GetDevelopmentInboxQuery request, CancellationToken cancellationToken)
    {
        var page = await db.DevelopmentInbox.AsNoTracking()
            .Where(m => m.OrganizationId == request.OrganizationId)
            .ReadPageAsync(request.Page, Order, cancellationToken);
        return new KeysetPage<DevelopmentInboxMessageView>(
            [.. page.Items.Select(m => new DevelopmentInboxMessageView(m.Id, m.Channel, m.Recipient, m.Subject, m.Body, m.Link, m.ReceivedAt))],
            page.Newer,
            page.Older,
            page.Count);
    }
}
