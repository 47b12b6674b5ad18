using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.Deliveries;

/// <summary>One delivery and each of its attempts, oldest first (product.md §11: each callback attempt is visible).</summary>
public sealed record GetDeliveryAttemptsQuery(Guid OrganizationId, Guid MessageId) : IRequest<Result<DeliveryAttemptsView>>;

public sealed record DeliveryAttemptsView(DeliveryView Delivery, IReadOnlyList<DeliveryAttemptView> Attempts);

/// <param name="Outcome">The message's status after the attempt: Sent, Failed, or Pending (retry scheduled).</param>
public sealed record DeliveryAttemptView(int Number, DateTimeOffset AttemptedAt, DeliveryStatus Outcome, string? Detail);

internal sealed class GetDeliveryAttemptsHandler(IApplicationDbContext db) : IRequestHandler<GetDeliveryAttemptsQuery, Result<DeliveryAttemptsView>>
{
    public async Task<Result<DeliveryAttemptsView>> Handle(GetDeliveryAttemptsQuery request, CancellationToken cancellationToken)
    {
        var message = await db.OutgoingMessages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.Id == request.MessageId && m.OrganizationId == request.OrganizationId, cancellationToken);
        if (message is null)
        {
            return Error.NotFound("The message");
        }

        var attempts = await db.DeliveryAttempts.AsNoTracking()
            .Where(a => a.OutgoingMessageId == message.Id)
            .OrderBy(a => a.Number).ThenBy(a => a.AttemptedAt)
            .Select(a => new DeliveryAttemptView(a.Number, a.AttemptedAt, a.Outcome, a.Detail))
            .ToListAsync(cancellationToken);
        return new DeliveryAttemptsView(DeliveryView.From(message), attempts);
    }
}
