using Ciba.Application.Common.Interfaces;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Organizations.List;

/// <summary>Every organization, for system administrators.</summary>
public sealed record ListOrganizationsQuery : IRequest<IReadOnlyList<OrganizationListItem>>;

public sealed record OrganizationListItem(Guid Id, string Handle, string Name, DateTimeOffset CreatedAt);

internal sealed class ListOrganizationsHandler(IApplicationDbContext db) : IRequestHandler<ListOrganizationsQuery, IReadOnlyList<OrganizationListItem>>
{
    public async Task<IReadOnlyList<OrganizationListItem>> Handle(ListOrganizationsQuery request, CancellationToken cancellationToken) =>
        await db.Organizations.AsNoTracking()
            .OrderBy(o => o.Handle)
            .Select(o => new OrganizationListItem(o.Id, o.Handle, o.Name, o.CreatedAt))
            .ToListAsync(cancellationToken);
}
