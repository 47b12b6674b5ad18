using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.Delete;

/// <summary>Deletes an application and, with it, its auth requests.</summary>
public sealed record DeleteApplicationCommand(Guid OrganizationId, Guid ApplicationId) : IRequest<Result>;

internal sealed class DeleteApplicationHandler(IApplicationDbContext db) : IRequestHandler<DeleteApplicationCommand, Result>
{
    public async Task<Result> Handle(DeleteApplicationCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        db.Applications.Remove(application);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
