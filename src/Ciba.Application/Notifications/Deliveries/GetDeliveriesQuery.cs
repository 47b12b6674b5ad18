using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.Deliveries;

/// <summary>An organization's message deliveries, newest first, one keyset page at a time (the console's activity page).</summary>
public sealed record GetDeliveriesQuery(Guid OrganizationId, PageRequest Page) : IRequest<KeysetPage<DeliveryView>>;

internal sealed class GetDeliveriesHandler(IApplicationDbContext db) : IRequestHandler<GetDeliveriesQuery, KeysetPage<DeliveryView>>
{
    private static readonly KeysetOrder<OutgoingMessage> Order = Keyset.ByMoment<OutgoingMessage>(m => m.CreatedAt, m => m.Id);

    public async Task<KeysetPage<DeliveryView>> Handle(GetDeliveriesQuery request, CancellationToken cancellationToken)
    {
        var page = await db.OutgoingMessages.AsNoTracking()
            .Where(m => m.OrganizationId == request.OrganizationId)
            .ReadPageAsync(request.Page, Order, cancellationToken);
        return new KeysetPage<DeliveryView>([.. page.Items.Select(DeliveryView.From)], page.Newer, page.Older, page.Count);
    }
}
