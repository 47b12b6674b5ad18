using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.UpdateUserCodeRequirement;

/// <summary>The Protocol tab's user-code block (product.md §12): whether every request must carry the person's user code.</summary>
public sealed record UpdateUserCodeRequirementCommand(Guid OrganizationId, Guid ApplicationId, bool RequireUserCode) : IRequest<Result>;

/// <summary>Whether the application requires a user code (null when it is not this organization's).</summary>
public sealed record GetUserCodeRequirementQuery(Guid OrganizationId, Guid ApplicationId) : IRequest<bool?>;

internal sealed class UpdateUserCodeRequirementHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<UpdateUserCodeRequirementCommand, Result>
{
    public async Task<Result> Handle(UpdateUserCodeRequirementCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        application.SetRequireUserCode(request.RequireUserCode, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}

internal sealed class GetUserCodeRequirementHandler(IApplicationDbContext db) : IRequestHandler<GetUserCodeRequirementQuery, bool?>
{
    public async Task<bool?> Handle(GetUserCodeRequirementQuery request, CancellationToken cancellationToken) =>
        await db.Applications.AsNoTracking()
            .Where(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId)
            .Select(a => (bool?)a.RequireUserCode)
            .SingleOrDefaultAsync(cancellationToken);
}
