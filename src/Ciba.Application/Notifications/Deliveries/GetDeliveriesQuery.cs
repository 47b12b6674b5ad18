using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Paging;
using Ciba.Application.Common.Results;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Notifications.Deliveries;

/// <summary>An organization's recent message deliveries, newest first (the console's activity page).</summary>
public sealed record GetDeliveriesQuery(Guid OrganizationId, int Page = 1, int PageSize = 20) : IRequest<Result<PagedItems<DeliveryView>>>;

internal sealed class GetDeliveriesHandler(IApplicationDbContext db) : IRequestHandler<GetDeliveriesQuery, Result<PagedItems<DeliveryView>>>
{
    public async Task<Result<PagedItems<DeliveryView>>> Handle(GetDeliveriesQuery request, CancellationToken cancellationToken)
    {
        var query = db.OutgoingMessages.AsNoTracking().Where(m => m.OrganizationId == request.OrganizationId);
        var total = await query.CountAsync(cancellationToken);
        var page = await query
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Skip((request.Page - 1) * request.PageSize)
            .Take(request.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedItems<DeliveryView>(page.Select(DeliveryView.From).ToList(), request.Page, request.PageSize, total);
    }
}

internal sealed class GetDeliveriesValidator : AbstractValidator<GetDeliveriesQuery>
{
    public GetDeliveriesValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, PagedItems<DeliveryView>.MaxPageSize);
    }
}
