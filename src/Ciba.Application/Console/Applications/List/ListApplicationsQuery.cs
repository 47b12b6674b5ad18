using Ciba.Application.Common.Interfaces;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.List;

/// <summary>The organization's applications, by name.</summary>
public sealed record ListApplicationsQuery(Guid OrganizationId) : IRequest<IReadOnlyList<ApplicationSummary>>;

internal sealed class ListApplicationsHandler(IApplicationDbContext db) : IRequestHandler<ListApplicationsQuery, IReadOnlyList<ApplicationSummary>>
{
    public async Task<IReadOnlyList<ApplicationSummary>> Handle(ListApplicationsQuery request, CancellationToken cancellationToken)
    {
        var applications = await db.Applications.AsNoTracking()
            .Where(a => a.OrganizationId == request.OrganizationId)
            .OrderBy(a => a.Name).ThenBy(a => a.ClientId)
            .ToListAsync(cancellationToken);
        return applications.Select(a => new ApplicationSummary(a.Id, a.Name, a.ClientId, a.GrantTypes)).ToList();
    }
}
