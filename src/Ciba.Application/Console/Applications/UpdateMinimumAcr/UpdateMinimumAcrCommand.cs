using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Authentication;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.UpdateMinimumAcr;

/// <summary>
/// The Protocol tab's sign-in strength block (product.md §16): the weakest acr level that may approve
/// this application's requests; empty is no minimum. The change is audited with the other console changes.
/// </summary>
public sealed record UpdateMinimumAcrCommand(Guid OrganizationId, Guid ApplicationId, string? MinimumAcr) : IRequest<Result>;

internal sealed class UpdateMinimumAcrHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<UpdateMinimumAcrCommand, Result>
{
    public async Task<Result> Handle(UpdateMinimumAcrCommand request, CancellationToken cancellationToken)
    {
        var level = string.IsNullOrEmpty(request.MinimumAcr) ? null : request.MinimumAcr;
        if (level is not null && !AcrLevels.IsSupported(level))
        {
            return Error.Validation([new FieldError(nameof(UpdateMinimumAcrCommand.MinimumAcr), "Choose one of the levels listed.")]);
        }

        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        application.SetMinimumAcr(level, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
