using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.Get;

/// <summary>One application of the organization; another organization's application is not found.</summary>
public sealed record GetApplicationQuery(Guid OrganizationId, Guid ApplicationId) : IRequest<Result<ApplicationDetails>>;

internal sealed class GetApplicationHandler(IApplicationDbContext db) : IRequestHandler<GetApplicationQuery, Result<ApplicationDetails>>
{
    public async Task<Result<ApplicationDetails>> Handle(GetApplicationQuery request, CancellationToken cancellationToken)
    {
        var application = await db.Applications.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        return new ApplicationDetails(
            application.Id,
            application.Name,
            application.Description,
            application.ClientId,
            application.GrantTypes,
            application.CibaSettings,
            application.CreatedAt,
            application.UpdatedAt)
        {
            IdTokenSigningAlgorithm = application.IdTokenSigningAlgorithm,
            NumberMatching = application.NumberMatching,
            MinimumAcr = application.MinimumAcr,
        };
    }
}
