using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.Deliveries;

/// <summary>One delivery of an organization, for example the outcome of a test message.</summary>
public sealed record GetDeliveryQuery(Guid OrganizationId, Guid MessageId) : IRequest<Result<DeliveryView>>;

internal sealed class GetDeliveryHandler(IApplicationDbContext db) : IRequestHandler<GetDeliveryQuery, Result<DeliveryView>>
{
    public async Task<Result<DeliveryView>> Handle(GetDeliveryQuery request, CancellationToken cancellationToken)
    {
        var message = await db.OutgoingMessages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.Id == request.MessageId && m.OrganizationId == request.OrganizationId, cancellationToken);
        return message is null ? Error.NotFound("The message") : DeliveryView.From(message);
    }
}
